// GitHub: the Actions environment (event, outputs, job summary) and the issue-comments API for pull-request comments.
// Pure except for the injected fetch; the CLI reads files and writes outputs.

import { fail } from "../diagnostics/index.js";
import { ghData, ghProperty } from "../report/text.js";
import { VERSION } from "../version.js";
import type { CommentHost, ExistingComment } from "./comment.js";
import { requestJson, type HttpDeps } from "./http.js";

export const DEFAULT_GITHUB_API = "https://api.github.com";

/** What blastgate reads from the environment GitHub Actions sets (docs.github.com/en/actions/reference/variables-reference). */
export interface GithubEnv {
  repository?: string;
  eventName?: string;
  eventPath?: string;
  sha?: string;
  ref?: string;
  serverUrl: string;
  apiUrl: string;
  runId?: string;
  stepSummary?: string;
  output?: string;
  token?: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

export function githubEnv(env: NodeJS.ProcessEnv): GithubEnv {
  const out: GithubEnv = {
    serverUrl: nonEmpty(env.GITHUB_SERVER_URL) ?? "https://github.com",
    apiUrl: nonEmpty(env.GITHUB_API_URL) ?? DEFAULT_GITHUB_API,
  };
  const set = (k: keyof GithubEnv, v: string | undefined): void => {
    const x = nonEmpty(v);
    if (x !== undefined) (out as unknown as Record<string, string>)[k] = x;
  };
  set("repository", env.GITHUB_REPOSITORY);
  set("eventName", env.GITHUB_EVENT_NAME);
  set("eventPath", env.GITHUB_EVENT_PATH);
  set("sha", env.GITHUB_SHA);
  set("ref", env.GITHUB_REF);
  set("runId", env.GITHUB_RUN_ID);
  set("stepSummary", env.GITHUB_STEP_SUMMARY);
  set("output", env.GITHUB_OUTPUT);
  set("token", env.GITHUB_TOKEN ?? env.INPUT_GITHUB_TOKEN);
  return out;
}

/**
 * The pull request a run belongs to: `pull_request` / `pull_request_target` events carry it in the payload, an
 * `issue_comment` on a pull request carries `issue.pull_request`, and `refs/pull/N/merge` names it otherwise.
 */
export function pullRequestNumber(event: unknown, ref?: string): number | undefined {
  const e = (event ?? {}) as { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown }; number?: unknown };
  if (typeof e.pull_request?.number === "number") return e.pull_request.number;
  if (e.issue?.pull_request !== undefined && typeof e.issue.number === "number") return e.issue.number;
  const m = ref ? /^refs\/pull\/(\d+)\/(merge|head)$/.exec(ref) : null;
  if (m) return Number(m[1]);
  return undefined;
}

/** The head commit of the pull request (GITHUB_SHA is the merge commit on pull_request events). */
export function headSha(event: unknown): string | undefined {
  const sha = (event as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request?.head?.sha;
  return typeof sha === "string" ? sha : undefined;
}

/** The link to a run's page. */
export function runUrl(gh: GithubEnv): string | undefined {
  return gh.repository && gh.runId ? `${gh.serverUrl}/${gh.repository}/actions/runs/${gh.runId}` : undefined;
}

/**
 * Lines for $GITHUB_OUTPUT: `name=value`, or the heredoc form `name<<DELIM` ... `DELIM` for a value with a newline
 * (docs.github.com/en/actions/reference/workflow-commands-for-github-actions#multiline-strings). The delimiter is
 * chosen so it does not occur in the value.
 */
export function formatOutputs(values: Record<string, string>, random: () => number = Math.random): string {
  let out = "";
  for (const [name, value] of Object.entries(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`bad output name ${name}`);
    if (!value.includes("\n") && !value.includes("\r")) {
      out += `${name}=${value}\n`;
      continue;
    }
    let delim: string;
    do delim = `ghadelimiter_${Math.floor(random() * 1e12).toString(36)}`;
    while (value.includes(delim));
    out += `${name}<<${delim}\n${value}\n${delim}\n`;
  }
  return out;
}

/**
 * One workflow command, e.g. `::error title=...::message`: data and properties escaped as the runner decodes them
 * (report/text.ts ghData and ghProperty, which also make other control characters visible).
 */
export function workflowCommand(kind: "error" | "warning" | "notice", message: string, props: Record<string, string | number | undefined> = {}): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${ghProperty(String(v))}`)
    .join(",");
  return `::${kind}${p ? " " + p : ""}::${ghData(message)}`;
}

export interface GithubTarget {
  apiUrl: string;
  /** owner/name */
  repository: string;
  pull: number;
  token: string;
}

interface GhComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

/** The `next` URL of an RFC 8288 Link header. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

/** Refuses to follow a pagination link to another host: the token must only ever go to the API it is for. */
export function sameOrigin(base: string, next: string): boolean {
  try {
    return new URL(base).origin === new URL(next, base).origin;
  } catch {
    return false;
  }
}

/** The pull request's issue comments (docs.github.com/en/rest/issues/comments). */
export function githubHost(t: GithubTarget, deps: HttpDeps): CommentHost {
  if (!/^[^/\s]+\/[^/\s]+$/.test(t.repository)) {
    throw fail("BG5001", `not a GitHub repository name: "${t.repository.slice(0, 100)}"`, { fix: "pass --repo OWNER/NAME (GITHUB_REPOSITORY in Actions)" });
  }
  const base = trimSlash(t.apiUrl);
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${t.token}`,
    "x-github-api-version": "2022-11-28",
    "user-agent": `blastgate/${VERSION}`,
  };
  const [owner, name] = t.repository.split("/") as [string, string];
  const repoPath = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  return {
    name: "GitHub",
    async list() {
      const out: ExistingComment[] = [];
      let url: string | undefined = `${repoPath}/issues/${t.pull}/comments?per_page=100`;
      for (let page = 0; url !== undefined && page < 100; page++) {
        const res: Awaited<ReturnType<typeof requestJson<GhComment[]>>> = await requestJson<GhComment[]>({ method: "GET", url, headers }, deps);
        for (const c of Array.isArray(res.body) ? res.body : []) out.push({ id: c.id, body: c.body ?? "" });
        const next = nextLink(res.headers.get("link"));
        if (next !== undefined && !sameOrigin(base, next)) throw fail("BG5002", "the GitHub API's pagination link points to another host; not following it with the token", { fix: "check --api-url / GITHUB_API_URL" });
        url = next === undefined ? undefined : new URL(next, base).toString();
      }
      return out;
    },
    async create(body) {
      const res = await requestJson<GhComment>({ method: "POST", url: `${repoPath}/issues/${t.pull}/comments`, headers, body: { body } }, deps);
      return { id: res.body.id, ...(res.body.html_url ? { url: res.body.html_url } : {}) };
    },
    async update(id, body) {
      const res = await requestJson<GhComment>({ method: "PATCH", url: `${repoPath}/issues/comments/${id}`, headers, body: { body } }, deps);
      return { id: res.body.id, ...(res.body.html_url ? { url: res.body.html_url } : {}) };
    },
  };
}
