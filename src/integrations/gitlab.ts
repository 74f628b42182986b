// GitLab: the CI/CD environment (docs.gitlab.com/ci/variables/predefined_variables) and the merge-request notes API
// (docs.gitlab.com/api/notes#merge-requests) for merge-request comments.

import { fail } from "../diagnostics/index.js";
import { VERSION } from "../version.js";
import type { CommentHost, ExistingComment } from "./comment.js";
import { nextLink, sameOrigin } from "./github.js";
import { requestJson, type HttpDeps } from "./http.js";

export interface GitlabEnv {
  apiUrl?: string;
  /** Numeric id or full path of the project the merge request belongs to. */
  projectId?: string;
  projectPath?: string;
  projectUrl?: string;
  mergeRequestIid?: number;
  commit?: string;
  branch?: string;
  jobUrl?: string;
  pipelineUrl?: string;
  /** The token and the header it goes in: PRIVATE-TOKEN for personal/project/group tokens, JOB-TOKEN for CI_JOB_TOKEN. */
  token?: { value: string; header: "PRIVATE-TOKEN" | "JOB-TOKEN" };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

export function gitlabEnv(env: NodeJS.ProcessEnv): GitlabEnv {
  const out: GitlabEnv = {};
  const api = nonEmpty(env.CI_API_V4_URL) ?? (nonEmpty(env.CI_SERVER_URL) ? `${nonEmpty(env.CI_SERVER_URL)}/api/v4` : undefined);
  if (api) out.apiUrl = api;
  // In a merge-request pipeline for a fork, the MR lives in the target project: CI_MERGE_REQUEST_PROJECT_ID.
  const project = nonEmpty(env.CI_MERGE_REQUEST_PROJECT_ID) ?? nonEmpty(env.CI_PROJECT_ID);
  if (project) out.projectId = project;
  const projectPath = nonEmpty(env.CI_MERGE_REQUEST_PROJECT_PATH) ?? nonEmpty(env.CI_PROJECT_PATH);
  if (projectPath) out.projectPath = projectPath;
  const projectUrl = nonEmpty(env.CI_MERGE_REQUEST_PROJECT_URL) ?? nonEmpty(env.CI_PROJECT_URL);
  if (projectUrl) out.projectUrl = projectUrl;
  const iid = nonEmpty(env.CI_MERGE_REQUEST_IID);
  if (iid && /^\d+$/.test(iid)) out.mergeRequestIid = Number(iid);
  const commit = nonEmpty(env.CI_COMMIT_SHA);
  if (commit) out.commit = commit;
  const branch = nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME) ?? nonEmpty(env.CI_COMMIT_REF_NAME);
  if (branch) out.branch = branch;
  const job = nonEmpty(env.CI_JOB_URL);
  if (job) out.jobUrl = job;
  const pipeline = nonEmpty(env.CI_PIPELINE_URL);
  if (pipeline) out.pipelineUrl = pipeline;
  const priv = nonEmpty(env.GITLAB_TOKEN);
  const jobToken = nonEmpty(env.CI_JOB_TOKEN);
  if (priv) out.token = { value: priv, header: "PRIVATE-TOKEN" };
  else if (jobToken) out.token = { value: jobToken, header: "JOB-TOKEN" };
  return out;
}

export interface GitlabTarget {
  apiUrl: string;
  projectId: string;
  mergeRequestIid: number;
  token: { value: string; header: "PRIVATE-TOKEN" | "JOB-TOKEN" };
  /** For a link to the note (the API does not return one). */
  projectUrl?: string;
}

interface GlNote {
  id: number;
  body?: string | null;
  system?: boolean;
}

/** Merge-request notes, oldest first. */
export function gitlabHost(t: GitlabTarget, deps: HttpDeps): CommentHost {
  if (!t.projectId) throw fail("BG5001", "no GitLab project given", { fix: "pass --project ID (CI_PROJECT_ID in GitLab CI)" });
  const base = t.apiUrl.replace(/\/+$/, "");
  const headers = { [t.token.header.toLowerCase()]: t.token.value, "user-agent": `blastgate/${VERSION}`, accept: "application/json" };
  const notes = `${base}/projects/${encodeURIComponent(t.projectId)}/merge_requests/${t.mergeRequestIid}/notes`;
  const link = (id: number): { url?: string } => (t.projectUrl ? { url: `${t.projectUrl.replace(/\/+$/, "")}/-/merge_requests/${t.mergeRequestIid}#note_${id}` } : {});
  return {
    name: "GitLab",
    async list() {
      const out: ExistingComment[] = [];
      let page: string | undefined = "1";
      for (let n = 0; page !== undefined && n < 100; n++) {
        const url = `${notes}?sort=asc&order_by=created_at&per_page=100&page=${encodeURIComponent(page)}`;
        const res: Awaited<ReturnType<typeof requestJson<GlNote[]>>> = await requestJson<GlNote[]>({ method: "GET", url, headers }, deps);
        for (const c of Array.isArray(res.body) ? res.body : []) out.push({ id: c.id, body: c.body ?? "", system: c.system === true });
        // x-next-page is empty on the last page (docs.gitlab.com/api/rest/#pagination); keyset pagination uses Link.
        const next = res.headers.get("x-next-page");
        if (next !== null && next.trim() !== "") page = next.trim();
        else {
          const l = nextLink(res.headers.get("link"));
          if (l !== undefined && !sameOrigin(base, l)) throw fail("BG5002", "the GitLab API's pagination link points to another host; not following it with the token", { fix: "check --api-url / CI_API_V4_URL" });
          page = l !== undefined ? (new URL(l, base).searchParams.get("page") ?? undefined) : undefined;
        }
      }
      return out;
    },
    async create(body) {
      const res = await requestJson<GlNote>({ method: "POST", url: notes, headers, body: { body } }, deps);
      return { id: res.body.id, ...link(res.body.id) };
    },
    async update(id, body) {
      const res = await requestJson<GlNote>({ method: "PUT", url: `${notes}/${id}`, headers, body: { body } }, deps);
      return { id: res.body.id, ...link(res.body.id) };
    },
  };
}
