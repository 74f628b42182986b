// Where blastgate runs: GitHub Actions, GitLab CI or an Atlantis step, read from the environment, and a one-line
// label for the report ("atlantis · acme/infra#42 · project prod (dir infra/prod, workspace default) · a1b2c3d").

import { atlantisEnv, isAtlantis } from "./atlantis.js";
import { githubEnv, pullRequestNumber, runUrl } from "./github.js";
import { gitlabEnv } from "./gitlab.js";

export type CiProvider = "github-actions" | "gitlab-ci" | "atlantis";

/** Run context for labelling a report. Values come from the environment, so renderers escape them. */
export interface CiContext {
  provider: CiProvider;
  /** owner/name or group/project */
  repository?: string;
  /** Pull-request or merge-request number. */
  change?: number;
  changeUrl?: string;
  commit?: string;
  branch?: string;
  /** Atlantis project name. */
  project?: string;
  /** Directory of the root module, relative to the repository. */
  directory?: string;
  workspace?: string;
  /** The CI run or job page. */
  runUrl?: string;
}

/**
 * Reads the CI context from the environment, or null outside CI. Atlantis first (its steps may run inside another
 * CI's container), then GitHub Actions, then GitLab CI. `event` is GitHub's event payload, when read.
 */
export function ciContext(env: NodeJS.ProcessEnv, event?: unknown): CiContext | null {
  if (isAtlantis(env)) {
    const a = atlantisEnv(env);
    const ctx: CiContext = { provider: "atlantis" };
    if (a.baseRepoOwner && a.baseRepoName) ctx.repository = `${a.baseRepoOwner}/${a.baseRepoName}`;
    if (a.pullNum !== undefined) ctx.change = a.pullNum;
    if (a.pullUrl) ctx.changeUrl = a.pullUrl;
    if (a.headCommit) ctx.commit = a.headCommit;
    if (a.headBranch) ctx.branch = a.headBranch;
    if (a.projectName) ctx.project = a.projectName;
    if (a.repoRelDir) ctx.directory = a.repoRelDir;
    if (a.workspace) ctx.workspace = a.workspace;
    return ctx;
  }
  if (env.GITHUB_ACTIONS === "true") {
    const g = githubEnv(env);
    const ctx: CiContext = { provider: "github-actions" };
    if (g.repository) ctx.repository = g.repository;
    const pr = pullRequestNumber(event, g.ref);
    if (pr !== undefined) {
      ctx.change = pr;
      if (g.repository) ctx.changeUrl = `${g.serverUrl}/${g.repository}/pull/${pr}`;
    }
    const head = (event as { pull_request?: { head?: { sha?: unknown; ref?: unknown } } } | undefined)?.pull_request?.head;
    const sha = typeof head?.sha === "string" ? head.sha : g.sha;
    if (sha) ctx.commit = sha;
    const branch = typeof head?.ref === "string" ? head.ref : env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
    if (branch) ctx.branch = branch;
    const run = runUrl(g);
    if (run) ctx.runUrl = run;
    return ctx;
  }
  if (env.GITLAB_CI === "true") {
    const g = gitlabEnv(env);
    const ctx: CiContext = { provider: "gitlab-ci" };
    if (g.projectPath) ctx.repository = g.projectPath;
    if (g.mergeRequestIid !== undefined) {
      ctx.change = g.mergeRequestIid;
      if (g.projectUrl) ctx.changeUrl = `${g.projectUrl}/-/merge_requests/${g.mergeRequestIid}`;
    }
    if (g.commit) ctx.commit = g.commit;
    if (g.branch) ctx.branch = g.branch;
    if (g.jobUrl) ctx.runUrl = g.jobUrl;
    return ctx;
  }
  return null;
}

/** Strips control characters and caps length: environment values are printed into terminals and comments. */
function clean(s: string, max = 120): string {
  const t = s.replace(/[\x00-\x1f\x7f-\x9f]/g, "").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

const PROVIDER_NAMES: Record<CiProvider, string> = { "github-actions": "GitHub Actions", "gitlab-ci": "GitLab CI", atlantis: "Atlantis" };

/** The label's parts, plain text, in reading order. */
export function contextParts(ctx: CiContext): string[] {
  const parts = [PROVIDER_NAMES[ctx.provider]];
  const sep = ctx.provider === "gitlab-ci" ? "!" : "#";
  if (ctx.repository) parts.push(clean(ctx.repository) + (ctx.change !== undefined ? `${sep}${ctx.change}` : ""));
  else if (ctx.change !== undefined) parts.push(`${ctx.provider === "gitlab-ci" ? "MR " : "PR "}${sep}${ctx.change}`);
  const where: string[] = [];
  if (ctx.directory) where.push(`dir ${clean(ctx.directory)}`);
  if (ctx.workspace) where.push(`workspace ${clean(ctx.workspace)}`);
  if (ctx.project) parts.push(`project ${clean(ctx.project)}${where.length ? ` (${where.join(", ")})` : ""}`);
  else if (where.length) parts.push(where.join(", "));
  if (ctx.commit) parts.push(`commit ${clean(ctx.commit).slice(0, 12)}`);
  return parts;
}

/** One plain-text line for terminals and logs. */
export function contextLine(ctx: CiContext): string {
  return contextParts(ctx).join(" · ");
}

/** Escapes text for inline Markdown: backslash-escapes punctuation and entity-encodes HTML. */
export function escapeMarkdownInline(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]{}()#+\-.!|~])/g, "\\$1");
}

/** One Markdown line (an HTML-safe, escaped italic line), linking the run when known. */
export function contextMarkdown(ctx: CiContext): string {
  const text = contextParts(ctx).map(escapeMarkdownInline).join(" · ");
  const run = ctx.runUrl && /^https?:\/\/[^\s()<>]+$/.test(ctx.runUrl) ? ` · [run](${ctx.runUrl})` : "";
  return `_${text}${run}_`;
}
