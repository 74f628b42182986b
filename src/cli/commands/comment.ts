// `blastgate comment [plans..]`: posts the Markdown report on a GitHub pull request or GitLab merge request and
// updates blastgate's previous comment there (found by its hidden marker) instead of adding another. Runs `check`
// on the plans first (same options) and exits with the gate's 0/1, or posts a ready Markdown file (--body-file).
// A comment that cannot be posted exits 2: the failure is reported, and the gate never passes because of it.

import { readFile } from "node:fs/promises";
import type { Argv } from "yargs";
import { fail } from "../../diagnostics/index.js";
import { ciContext, contextMarkdown } from "../../integrations/context.js";
import { githubEnv } from "../../integrations/github.js";
import { renderFormat } from "../../integrations/render.js";
import { reportInput } from "../../report/report-set.js";
import { parseCommentLimit } from "../../report/formats/markdown.js";
import { loadSourceIndex } from "../../report/read-sources.js";
import type { CommandContext } from "../context.js";
import { expandPlanInputs } from "./support/plans.js";
import { runGate, withCheckOptions, type GateArgs } from "./support/gate.js";
import { commentLimit, detectProvider, isNoTarget, postComment, resolveTarget, type CommentFlags, type CommentProvider } from "./support/post-comment.js";

export interface CommentArgs extends GateArgs, CommentFlags {
  plans?: string[];
  "body-file"?: string;
  _?: (string | number)[];
}

export function builder(y: Argv): Argv<CommentArgs> {
  return withCheckOptions(y)
    .positional("plans", { type: "string", array: true, describe: "plan files, directories or globs to check and report" })
    .option("provider", { choices: ["github", "gitlab"] as const, describe: "where to post (default: from the CI environment)" })
    .option("repo", { type: "string", describe: "github: OWNER/NAME (default GITHUB_REPOSITORY)" })
    .option("pr", { type: "number", describe: "github: pull request number (default: from the event)" })
    .option("project", { type: "string", describe: "gitlab: project id or path (default CI_MERGE_REQUEST_PROJECT_ID, CI_PROJECT_ID)" })
    .option("mr", { type: "number", describe: "gitlab: merge request IID (default CI_MERGE_REQUEST_IID)" })
    .option("api-url", { type: "string", describe: "API base URL (default GITHUB_API_URL, https://api.github.com, or CI_API_V4_URL)" })
    .option("comment-id", { type: "string", describe: "tells apart several blastgate comments on one pull request (e.g. one per root module)" })
    .option("body-file", { type: "string", describe: "post this Markdown file (e.g. from `check --format markdown -o`) instead of checking plans" })
    .example("$0 comment plan.json", "check plan.json and post the report on this pull request")
    .example("$0 comment --body-file report.md --provider gitlab", "post a report made earlier as a merge-request note")
    .epilogue("The token is read from the environment only: GITHUB_TOKEN; GITLAB_TOKEN (else CI_JOB_TOKEN). It is never printed.") as unknown as Argv<CommentArgs>;
}

export async function run(args: CommentArgs, ctx: CommandContext): Promise<number> {
  const env = process.env;
  const provider: CommentProvider | undefined = detectProvider(args.provider, env);
  if (!provider) {
    ctx.usageError("where to post? pass --provider github or --provider gitlab (found neither GITHUB_ACTIONS nor GITLAB_CI in the environment)");
    return 2;
  }
  const plans = [...(args.plans ?? []), ...(args._ ?? []).slice(1)].map(String).filter((p) => p !== "");
  if (args["body-file"] === undefined && plans.length === 0) {
    ctx.usageError("nothing to post: name the plan files to check, or pass --body-file report.md");
    return 2;
  }
  // Where it goes and the token first: a missing token fails before any work.
  const target = await resolveTarget(provider, args, env);
  if (isNoTarget(target)) throw fail("BG5103", `cannot comment: ${target.skip}`, { fix: target.fix });

  let markdown: string;
  let code = 0;
  if (args["body-file"] !== undefined) {
    try {
      markdown = await readFile(args["body-file"], "utf8");
    } catch (e) {
      throw fail("BG1000", `cannot read the comment body (${(e as NodeJS.ErrnoException).code ?? "error"})`, { location: { file: args["body-file"] } });
    }
  } else {
    const gate = await runGate(args, ctx, await expandPlanInputs(plans));
    if (gate.code !== 0 && gate.code !== 1) return gate.code;
    code = gate.code;
    const gh = githubEnv(env);
    let event: unknown;
    try {
      event = gh.eventPath ? (JSON.parse(await readFile(gh.eventPath, "utf8")) as unknown) : undefined;
    } catch {
      event = undefined;
    }
    const ci = ciContext(env, event);
    const asked = args["comment-limit"] !== undefined ? parseCommentLimit(args["comment-limit"]) : undefined;
    const maxChars = Math.min(asked ?? commentLimit(provider), commentLimit(provider)) - 400;
    const fullReport = args["full-report"] ?? ci?.runUrl;
    const sources = args["tf-dir"] !== undefined ? await loadSourceIndex(args["tf-dir"]) : undefined;
    markdown = renderFormat("markdown", reportInput(gate.reports), { color: false, width: 100, maxChars, sources: gate.reports.map(() => sources), ...(fullReport ? { fullReport } : {}) });
    if (ci) markdown = `${markdown.trimEnd()}\n\n${contextMarkdown(ci)}\n`;
  }
  const r = await postComment(target, markdown, args["comment-id"], env);
  process.stderr.write(`blastgate: comment ${r.action}${r.url ? `: ${r.url}` : ""}\n`);
  return code;
}
