// `blastgate ci <github|gitlab|atlantis> [plans..]`: the gate as a CI step. Runs `check` on every plan (same
// options), then does what the CI system expects: GitHub gets annotations, a job summary, step outputs, report
// files (SARIF for code scanning) and an optional pull-request comment; GitLab gets Code Quality, JUnit and
// Terraform-widget reports, a dotenv file and an optional merge-request note; Atlantis gets a labelled report on
// stdout, shaped for its custom policy check when asked. A comment that fails to post exits 2, never 0.

import { constants as fsc } from "node:fs";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Argv } from "yargs";
import { fail, isBlastgateError, renderDiagnostic } from "../../diagnostics/index.js";
import { atlantisEnv, atlantisPolicyOutput } from "../../integrations/atlantis.js";
import { ciContext, contextLine, contextMarkdown, type CiContext } from "../../integrations/context.js";
import { formatOutputs, githubEnv, workflowCommand } from "../../integrations/github.js";
import { extensionOf, renderFormat } from "../../integrations/render.js";
import { countReports, DEFAULT_CI_FORMATS, parseFormatList, reportFileName, type Counts } from "../../integrations/report-files.js";
import { reportInput, type ReportInput } from "../../report/report-set.js";
import { isFormatId, renderForOutput, type FormatId, type RenderOptions } from "../../report/formats/index.js";
import { jobSummary } from "../../report/formats/github.js";
import { parseCommentLimit } from "../../report/formats/markdown.js";
import { loadSourceIndex } from "../../report/read-sources.js";
import type { CommandContext } from "../context.js";
import { appendText, makeDir, writeAtomic, writeStdout } from "../output.js";
import { expandPlanInputs } from "./support/plans.js";
import { runGate, withCheckOptions, type GateArgs } from "./support/gate.js";
import { commentLimit, isNoTarget, postComment, readEvent, resolveTarget, type CommentFlags } from "./support/post-comment.js";

export const PROVIDERS = ["github", "gitlab", "atlantis"] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface CiArgs extends GateArgs, Omit<CommentFlags, "provider"> {
  provider: Provider;
  plans?: string[];
  "report-dir": string;
  formats?: string | string[];
  comment: boolean;
  summary: boolean;
  annotations: boolean;
  "policy-check": boolean;
  "report-only": boolean;
  _?: (string | number)[];
}

export function builder(y: Argv): Argv<CiArgs> {
  return withCheckOptions(y)
    .positional("provider", { choices: PROVIDERS, describe: "the CI system whose conventions to follow" })
    .positional("plans", { type: "string", array: true, describe: "plan files, directories or globs (atlantis: default $SHOWFILE, else $PLANFILE)" })
    .option("report-dir", { type: "string", default: "blastgate-reports", describe: "directory for the report files" })
    .option("formats", { type: "string", describe: "report files to write, comma-separated format ids (github: json,markdown,sarif; gitlab: json,markdown,gitlab,junit,gitlab-terraform)" })
    .option("comment", { type: "boolean", default: false, describe: "post the Markdown report on the pull/merge request, updating blastgate's previous comment (token from GITHUB_TOKEN or GITLAB_TOKEN)" })
    .option("comment-id", { type: "string", describe: "tells apart several blastgate comments on one pull request (e.g. one per root module)" })
    .option("api-url", { type: "string", describe: "API base URL (default GITHUB_API_URL or CI_API_V4_URL)" })
    .option("summary", { type: "boolean", default: true, describe: "github: append the Markdown report to the job summary ($GITHUB_STEP_SUMMARY)" })
    .option("annotations", { type: "boolean", default: true, describe: "github: print annotations (workflow commands) for destructive changes" })
    .option("policy-check", { type: "boolean", default: false, describe: "atlantis: output for a custom policy check (the word \"fail\" appears only when the gate fails)" })
    .option("report-only", { type: "boolean", default: false, describe: "exit 0 when the gate fails (still 2 when blastgate cannot analyse or a comment fails)" })
    .example("$0 ci github plans/ --comment", "every plan in plans/: annotations, summary, outputs, SARIF, PR comment")
    .example("$0 ci gitlab plan.json", "Code Quality, JUnit and Terraform reports in blastgate-reports/")
    .example("$0 ci atlantis --policy-check", "in an Atlantis policy_check step, on $SHOWFILE") as unknown as Argv<CiArgs>;
}

interface Written {
  format: string;
  file: string;
}

/** Writes each requested format into the report directory. */
async function writeReports(dir: string, formats: readonly FormatId[], input: ReportInput, options: RenderOptions): Promise<Written[]> {
  const out: Written[] = [];
  if (formats.length === 0) return out;
  await makeDir(dir);
  for (const format of formats) {
    const file = path.join(dir, reportFileName(format, extensionOf(format)));
    // As `check -o` writes: a large JSON report goes out in pieces, never as one string.
    await writeAtomic(file, renderForOutput(input, format, options));
    out.push({ format, file });
  }
  return out;
}

/** The Markdown report for a comment, with the run's context line under it. */
function commentMarkdown(input: ReportInput, ci: CiContext | null, options: RenderOptions): string {
  const md = renderFormat("markdown", input, options);
  return ci ? `${md.trimEnd()}\n\n${contextMarkdown(ci)}\n` : md;
}

function checkFormats(formats: readonly string[]): FormatId[] {
  const missing = formats.filter((f) => !isFormatId(f));
  if (missing.length) throw fail("BG0001", `unknown report format${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`, { fix: "see `blastgate ci --help` for the format ids" });
  return formats as FormatId[];
}

/** The plans to check: as given, or Atlantis's $SHOWFILE (written by its `show` step), else $PLANFILE. */
async function planInputs(args: CiArgs, env: NodeJS.ProcessEnv): Promise<string[]> {
  // Plans may also come after `--` (yargs leaves those in `_`, after the command name).
  const given = [...(args.plans ?? []), ...(args._ ?? []).slice(1)].map(String).filter((p) => p !== "");
  if (given.length) return expandPlanInputs(given);
  if (args.provider === "atlantis") {
    const a = atlantisEnv(env);
    for (const f of [a.showFile, a.planFile]) {
      if (f === undefined) continue;
      try {
        await readFile(f, { flag: "r" }).then(() => undefined);
        return [f];
      } catch {
        // not written yet
      }
    }
    throw fail("BG5004", "no plan: neither $SHOWFILE nor $PLANFILE exists", { fix: "run blastgate after Atlantis's `plan` step (and `show` in a policy_check stage), or name the plan file" });
  }
  throw fail("BG0001", "no plan given", { fix: `name the plan files, a directory or a glob: \`blastgate ci ${args.provider} plan.json\`` });
}

/**
 * Atlantis keeps each Terraform version it downloads on PATH as `terraform<version>` (e.g. terraform1.9.8); a binary
 * plan must be read by the version that wrote it, so prefer that one over plain `terraform`.
 */
async function atlantisTerraform(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const v = env.ATLANTIS_TERRAFORM_VERSION?.replace(/^v/, "");
  if (!v || !/^[\w.+-]+$/.test(v)) return undefined;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, `terraform${v}`);
    try {
      await access(candidate, fsc.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function outputsOf(verdict: string, code: number, counts: Counts | undefined, written: Written[], dir: string, extra: Record<string, string>): Record<string, string> {
  // Absolute paths: later steps (upload-sarif, upload-artifact) resolve relative ones from the workspace root, not
  // from the action's working-directory.
  const find = (f: string): string => {
    const file = written.find((w) => w.format === f)?.file;
    return file ? path.resolve(file) : "";
  };
  const o: Record<string, string> = { verdict, "exit-code": String(code) };
  if (counts) {
    o.plans = String(counts.plans);
    o.destructive = String(counts.destructive);
    o.create = String(counts.create);
    o.update = String(counts.update);
    o.delete = String(counts.delete);
    o.replace = String(counts.replace);
    o.forget = String(counts.forget);
  }
  o["report-dir"] = path.resolve(dir);
  o["report-paths"] = written.map((w) => path.resolve(w.file)).join("\n");
  o.json = find("json");
  o.markdown = find("markdown");
  o.sarif = find("sarif");
  o.junit = find("junit");
  return { ...o, ...extra };
}

/** Atlantis: the context line, check's report(s), and the verdict; a policy check never says "fail" when it passes. */
async function printAtlantis(args: CiArgs, ci: CiContext | null, code: number, outputs: readonly string[]): Promise<void> {
  // 0 exactly when every plan passes (exitCodeOf), and 1 when one fails.
  const passed = code === 0;
  const parts: string[] = [];
  if (ci) parts.push(`blastgate · ${contextLine(ci)}`);
  for (const f of outputs) parts.push((await readFile(f, "utf8")).trimEnd());
  if (args.output?.length) parts.push(`report written to ${args.output.join(", ")}`);
  if (args["policy-check"]) parts.push(passed ? "blastgate: the gate passes" : "blastgate: the gate failed");
  const text = parts.join("\n\n") + "\n";
  await writeStdout(args["policy-check"] ? atlantisPolicyOutput(text, passed) : text);
}

export async function run(args: CiArgs, ctx: CommandContext): Promise<number> {
  const env = process.env;
  const provider = args.provider;
  const formats = checkFormats(args.formats !== undefined ? parseFormatList(args.formats) : [...DEFAULT_CI_FORMATS[provider]]);
  const gh = githubEnv(env);
  const event = provider === "github" ? await readEvent(gh.eventPath) : undefined;
  const ci = ciContext(env, event);
  const runLink = ci?.runUrl;
  const dir = args["report-dir"];

  // Say what happened in the outputs, the summary and the dotenv even when blastgate cannot analyse (exit 2).
  const reportError = async (e: unknown): Promise<void> => {
    if (!isBlastgateError(e)) return;
    if (provider === "gitlab") {
      await makeDir(dir);
      await writeAtomic(path.join(dir, "blastgate.env"), "BLASTGATE_VERDICT=error\nBLASTGATE_EXIT_CODE=2\n");
    }
    if (provider !== "github") return;
    if (gh.output) await appendText(gh.output, formatOutputs(outputsOf("error", 2, undefined, [], dir, {})), "GITHUB_OUTPUT");
    if (gh.stepSummary) await appendText(gh.stepSummary, `### blastgate: ⚠️ could not analyse\n\n\`\`\`\n${renderDiagnostic(e.diagnostic)}\n\`\`\`\n`);
    await writeStdout(workflowCommand("error", e.diagnostic.message, { title: `blastgate ${e.diagnostic.code}` }) + "\n");
  };

  let gate;
  let captured: string | undefined;
  const outputs: string[] = [];
  try {
    const plans = await planInputs(args, env);
    // Atlantis: capture check's output, to label it (and shape it for a policy check) before printing.
    if (provider === "atlantis") {
      const tf = args["terraform-bin"] === undefined ? await atlantisTerraform(env) : undefined;
      // The project directory holds the .tf files: lifecycle, locals and file/line locations come for free.
      const dir = atlantisEnv(env).dir;
      const load = { ...(tf !== undefined ? { load: { terraformBin: tf } } : {}), ...(args["tf-dir"] === undefined && dir !== undefined ? { args: { "tf-dir": dir } } : {}) };
      if (!args.output?.length) {
        captured = await mkdtemp(path.join(tmpdir(), "blastgate-ci-"));
        const file = path.join(captured, "report.txt");
        outputs.push(file);
        gate = await runGate(args, ctx, plans, { output: file, ...load });
      } else gate = await runGate(args, ctx, plans, load);
    } else {
      gate = await runGate(args, ctx, plans);
    }
    if (provider === "atlantis") await printAtlantis(args, ci, gate.code, outputs);
  } catch (e) {
    // The first error is the one to report: failing to record it as well (a full disk) must not replace it.
    await reportError(e).catch(() => undefined);
    throw e;
  } finally {
    if (captured) await rm(captured, { recursive: true, force: true });
  }
  const { reports } = gate;
  let code = gate.code;
  if (code !== 0 && code !== 1) return code;
  const verdict = code === 1 ? "fail" : "pass";
  const input = reportInput(reports);
  const counts = countReports(reports);
  // Render as `check` does: file/line locations from --tf-dir, the comment limit, where the full report is.
  const tfDir = args["tf-dir"] ?? (provider === "atlantis" ? atlantisEnv(env).dir : undefined);
  const sources = tfDir !== undefined ? await loadSourceIndex(tfDir) : undefined;
  const options: RenderOptions = { color: false, width: 100, sources: reports.map(() => sources) };
  const fullReport = args["full-report"] ?? runLink;
  if (fullReport) options.fullReport = fullReport;
  const written = await writeReports(dir, formats, input, options);
  if (provider === "atlantis") return args["report-only"] && code === 1 ? 0 : code;
  const extra: Record<string, string> = {};
  let commentError: unknown;
  if (args.comment) {
    try {
      const { provider: _p, ...flags } = args;
      const target = await resolveTarget(provider, flags, env);
      if (isNoTarget(target)) {
        process.stderr.write(`blastgate: no comment: ${target.skip}\n`);
        extra.comment = "skipped";
      } else {
        const limit = args["comment-limit"] !== undefined ? parseCommentLimit(args["comment-limit"]) : undefined;
        const maxChars = Math.min(limit ?? commentLimit(provider), commentLimit(provider)) - 400;
        const r = await postComment(target, commentMarkdown(input, ci, { ...options, maxChars }), args["comment-id"], env);
        extra.comment = r.action;
        if (r.url) extra["comment-url"] = r.url;
        process.stderr.write(`blastgate: comment ${r.action}${r.url ? `: ${r.url}` : ""}\n`);
      }
    } catch (e) {
      extra.comment = "failed";
      commentError = e;
    }
  }

  if (provider === "github") {
    if (args.annotations) {
      const ann = renderFormat("github", input, options);
      if (ann) await writeStdout(ann.endsWith("\n") ? ann : ann + "\n");
    }
    if (args.summary && gh.stepSummary) {
      const summary = jobSummary(input, options);
      await appendText(gh.stepSummary, `${summary.trimEnd()}\n\n${ci ? contextMarkdown(ci) + "\n" : ""}`);
    }
    if (gh.output) await appendText(gh.output, formatOutputs(outputsOf(verdict, commentError ? 2 : code, counts, written, dir, extra)), "GITHUB_OUTPUT");
  }
  if (provider === "gitlab") {
    // artifacts:reports:dotenv makes these variables of later jobs.
    await makeDir(dir);
    const lines = [`BLASTGATE_VERDICT=${verdict}`, `BLASTGATE_DESTRUCTIVE=${counts.destructive}`, `BLASTGATE_EXIT_CODE=${commentError ? 2 : code}`, ...(extra.comment ? [`BLASTGATE_COMMENT=${extra.comment}`] : [])];
    await writeAtomic(path.join(dir, "blastgate.env"), lines.join("\n") + "\n");
  }
  if (commentError) throw commentError;
  if (args["report-only"] && code === 1) code = 0;
  return code;
}
