// Posting the report as a pull-request / merge-request comment, for `comment` and `ci`: where it goes (flags, then
// the CI environment), the token (environment only, never a flag), and the retried upsert. Exit 2 on failure.

import { readFile } from "node:fs/promises";
import { fail, isBlastgateError } from "../../../diagnostics/index.js";
import { COMMENT_LIMITS, commentBody, upsertComment, type UpsertResult } from "../../../integrations/comment.js";
import { githubEnv, githubHost, pullRequestNumber, type GithubTarget } from "../../../integrations/github.js";
import { gitlabEnv, gitlabHost, type GitlabTarget } from "../../../integrations/gitlab.js";
import { commentFailure, DEFAULT_HTTP_DEPS, DEFAULT_RETRY, withRetry, type HttpDeps, type RetryPolicy } from "../../../integrations/http.js";

export type CommentProvider = "github" | "gitlab";

export interface CommentFlags {
  provider?: CommentProvider;
  repo?: string;
  pr?: number;
  project?: string;
  mr?: number;
  "api-url"?: string;
  "comment-id"?: string;
}

export type CommentTarget = { provider: "github"; github: GithubTarget } | { provider: "gitlab"; gitlab: GitlabTarget };

/** Why no comment can be posted here (not an error for `ci` outside a pull request; an error for `comment`). */
export interface NoTarget {
  skip: string;
  fix: string;
}

/** The provider from the flag, else from the CI environment. */
export function detectProvider(flag: CommentProvider | undefined, env: NodeJS.ProcessEnv): CommentProvider | undefined {
  if (flag) return flag;
  if (env.GITHUB_ACTIONS === "true") return "github";
  if (env.GITLAB_CI === "true") return "gitlab";
  return undefined;
}

/** The CI event payload (GITHUB_EVENT_PATH): its JSON, or undefined when unset, unreadable or not JSON. */
export async function readEvent(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Works out where the comment goes; throws for a missing token, returns NoTarget when there is no pull request. */
export async function resolveTarget(provider: CommentProvider, flags: CommentFlags, env: NodeJS.ProcessEnv): Promise<CommentTarget | NoTarget> {
  if (provider === "github") {
    const gh = githubEnv(env);
    const repository = flags.repo ?? gh.repository;
    if (!repository) return { skip: "no repository (GITHUB_REPOSITORY is not set)", fix: "pass --repo OWNER/NAME" };
    const pull = flags.pr ?? pullRequestNumber(await readEvent(gh.eventPath), gh.ref);
    if (pull === undefined) return { skip: `not a pull-request run${gh.eventName ? ` (event ${gh.eventName})` : ""}`, fix: "run on `pull_request` events, or pass --pr NUMBER" };
    if (!gh.token) {
      throw fail("BG5102", "no GitHub token to post the comment with", {
        why: "the token is read from the environment only (GITHUB_TOKEN), never from a flag, so it stays out of logs and process lists",
        fix: "set `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` on the step (the blastgate action does this from its github-token input)",
      });
    }
    return { provider, github: { apiUrl: flags["api-url"] ?? gh.apiUrl, repository, pull, token: gh.token } };
  }
  const gl = gitlabEnv(env);
  const apiUrl = flags["api-url"] ?? gl.apiUrl;
  const projectId = flags.project ?? gl.projectId;
  const iid = flags.mr ?? gl.mergeRequestIid;
  if (!projectId) return { skip: "no GitLab project (CI_PROJECT_ID is not set)", fix: "pass --project ID" };
  if (iid === undefined) return { skip: "not a merge-request pipeline (CI_MERGE_REQUEST_IID is not set)", fix: "run in merge-request pipelines (`rules: - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"`), or pass --mr IID" };
  if (!apiUrl) return { skip: "no GitLab API URL (CI_API_V4_URL is not set)", fix: "pass --api-url https://gitlab.example.com/api/v4" };
  if (!gl.token) {
    throw fail("BG5102", "no GitLab token to post the merge-request note with", {
      why: "the token is read from the environment only (GITLAB_TOKEN, else CI_JOB_TOKEN), never from a flag",
      fix: "add a masked CI/CD variable GITLAB_TOKEN holding a project access token with the api scope (Reporter role or higher)",
    });
  }
  return { provider, gitlab: { apiUrl, projectId, mergeRequestIid: iid, token: gl.token, ...(gl.projectUrl ? { projectUrl: gl.projectUrl } : {}) } };
}

export function isNoTarget(t: CommentTarget | NoTarget): t is NoTarget {
  return (t as NoTarget).skip !== undefined;
}

/** Retry timing; BLASTGATE_RETRY_BASE_MS shortens the backoff (the test suite uses it). */
export function retryPolicy(env: NodeJS.ProcessEnv): RetryPolicy {
  const base = Number(env.BLASTGATE_RETRY_BASE_MS);
  return Number.isFinite(base) && base >= 0 && env.BLASTGATE_RETRY_BASE_MS !== undefined && env.BLASTGATE_RETRY_BASE_MS !== "" ? { ...DEFAULT_RETRY, baseDelayMs: base } : DEFAULT_RETRY;
}

export function commentLimit(provider: CommentProvider): number {
  return COMMENT_LIMITS[provider];
}

/** Posts (or updates) the comment; a failure is a BlastgateError (exit 2) that never contains the token. */
export async function postComment(target: CommentTarget, markdown: string, id: string | undefined, env: NodeJS.ProcessEnv, deps: HttpDeps = DEFAULT_HTTP_DEPS): Promise<UpsertResult> {
  const body = commentBody(markdown, commentLimit(target.provider), id);
  const host = target.provider === "github" ? githubHost(target.github, deps) : gitlabHost(target.gitlab, deps);
  const secrets = target.provider === "github" ? [target.github.token] : [target.gitlab.token.value];
  try {
    const { value } = await withRetry(() => upsertComment(host, body, id), deps, retryPolicy(env));
    return value;
  } catch (e) {
    if (isBlastgateError(e)) throw e;
    throw commentFailure(host.name, "post", e, secrets);
  }
}
