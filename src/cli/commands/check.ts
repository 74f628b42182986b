// `blastgate check`: read a plan, report what it does, and exit 0 (pass), 1 (fail) or 2 (could not analyse).

import type { Argv } from "yargs";
import { fail } from "../../diagnostics/index.js";
import { FORMAT_IDS, type RenderOptions } from "../../report/formats/index.js";
import { jobSummary } from "../../report/formats/github.js";
import { parseCommentLimit } from "../../report/formats/markdown.js";
import { resolveOutputs, targetOptions } from "../../report/outputs.js";
import { loadSourceIndex } from "../../report/read-sources.js";
import { reportInput } from "../../report/report-set.js";
import type { SourceIndex } from "../../report/source-locations.js";
import { planLoadOptions } from "./support/load.js";
import { expandPlanInputs } from "./support/plans.js";
import { exitCodeOf, runFlow, type FlowPolicyOptions } from "../flow.js";
import { appendText, writeAtomic, writeStdout } from "../output.js";
import type { CommandContext } from "../context.js";

export interface CheckArgs {
  /** Plan inputs: files, directories, globs, or `-` (yargs positional `plans..`). */
  plans?: string[];
  /** A single plan (library callers and older call sites). */
  plan?: string;
  format?: string[];
  output?: string[];
  "tf-dir"?: string;
  "terraform-bin"?: string;
  policies?: string[];
  "follow-policy-symlinks"?: boolean;
  "fail-on": "fail" | "warn";
  "allow-destroy"?: string[];
  "allow-destroy-file"?: string;
  approvals?: string;
  "git-range"?: string;
  "ai-assisted"?: boolean;
  "comment-limit"?: string;
  "full-report"?: string;
}

export function builder(y: Argv): Argv<CheckArgs> {
  return checkOptions(
    y.positional("plans", { type: "string", array: true, describe: "plan JSON files, binary plan files, directories or globs, or - for standard input (default: standard input when piped)" }),
  )
    .example("$0 check plan.json", "report what plan.json will do")
    .example("terraform show -json tfplan | $0 check -", "read the plan from standard input")
    .example("$0 check tfplan --format json -o report.json", "convert a binary plan and write the JSON report")
    .example("$0 check 'plans/*.json' -f terminal -o sarif=blastgate.sarif -o markdown=comment.md", "several plans, one verdict, three reports") as unknown as Argv<CheckArgs>;
}

/** The gate's options: `check`'s own, and those of `plan`, `ci` and `comment`, which run the same gate. */
export function checkOptions<T>(y: Argv<T>): Argv<T & CheckArgs> {
  return y
    .option("format", { alias: "f", type: "string", array: true, choices: FORMAT_IDS, describe: "report format (repeatable; default terminal)" })
    .option("output", { alias: "o", type: "string", array: true, describe: "write a report to a file: FILE, or NAME=FILE per format (repeatable)" })
    .option("tf-dir", { type: "string", describe: "directory of the root module's .tf files: adds locals, lifecycle (prevent_destroy) and source locations" })
    .option("policies", { type: "string", array: true, describe: "policy directory (repeatable; several merge). Default: ./policies when present, else the built-in set" })
    .option("follow-policy-symlinks", { type: "boolean", describe: "follow symlinks that lead out of a policy directory (default: refuse them, BG2004)" })
    .option("fail-on", { choices: ["fail", "warn"] as const, default: "fail" as const, describe: "`warn` makes policy warnings fail the gate too" })
    .option("allow-destroy", { type: "string", array: true, describe: "declare an intended destroy: an address glob (repeatable); destroys inside pass with a note" })
    .option("allow-destroy-file", { type: "string", describe: "file of allow-destroy globs, one per line (default .blastgate/allow-destroy)" })
    .option("approvals", { type: "string", describe: "directory of sign-off records (default .blastgate/approvals)" })
    .option("git-range", { type: "string", describe: "commits whose trailers count (AI-Assisted, Allow-Destroy), e.g. origin/main..HEAD (default HEAD)" })
    .option("ai-assisted", { type: "boolean", describe: "mark the change as AI-assisted (or --no-ai-assisted), instead of reading commit trailers" })
    .option("comment-limit", { type: "string", describe: "most characters of the markdown report: github (65536, default), gitlab, bitbucket (32768) or a number" })
    .option("full-report", { type: "string", describe: "where the full report is (URL or artifact), named when the markdown report leaves something out" })
    .option("terraform-bin", { type: "string", describe: "terraform or tofu program used to convert binary plans (default: terraform, else tofu, on PATH)" }) as unknown as Argv<T & CheckArgs>;
}

/** The policy options of a run, from the flags. */
export function policyOptions(args: CheckArgs, now: Date = new Date()): FlowPolicyOptions {
  const o: FlowPolicyOptions = { dirs: args.policies ?? [], failOn: args["fail-on"] ?? "fail", allowDestroy: args["allow-destroy"] ?? [], now };
  if (args["follow-policy-symlinks"] === true) o.followPolicySymlinks = true;
  if (args["allow-destroy-file"] !== undefined) o.allowDestroyFile = args["allow-destroy-file"];
  if (args.approvals !== undefined) o.approvalsDir = args.approvals;
  if (args["git-range"] !== undefined) o.gitRange = args["git-range"];
  if (args["ai-assisted"] !== undefined) o.aiAssisted = args["ai-assisted"];
  return o;
}

export async function run(args: CheckArgs, ctx: CommandContext): Promise<number> {
  // yargs hands a lone `-` over as an empty string.
  const given = (args.plans ?? (args.plan !== undefined ? [args.plan] : [])).map((p) => (p === "" ? "-" : p));
  if (given.length === 0 && ctx.stdinIsTTY) {
    ctx.usageError("no plan given: pass a plan file, or `-` to read standard input (e.g. `terraform show -json tfplan | blastgate check -`)");
    return 2;
  }
  const inputs = given.length === 0 ? ["-"] : await expandPlanInputs(given);
  if (inputs.filter((i) => i === "-").length > 1) throw fail("BG0001", "standard input (`-`) can be read only once", { fix: "pass `-` at most once" });
  const targets = resolveOutputs(args.format ?? [], args.output ?? []);
  const progress = ctx.progress();
  const load = planLoadOptions(args, progress);
  let results;
  let sources: SourceIndex | undefined;
  try {
    const tfDir = args["tf-dir"];
    results = await runFlow({ plans: inputs, load, onStage: (s) => progress.stage(s), policy: policyOptions(args), ...(tfDir !== undefined ? { tfDir } : {}) }, ctx.stages);
    if (tfDir !== undefined) sources = await loadSourceIndex(tfDir);
  } finally {
    progress.done();
  }
  const reports = results.map((r) => r.report);
  const input = reportInput(reports);
  const options: RenderOptions = { color: ctx.color, width: ctx.width, sources: reports.map(() => sources) };
  if (args["comment-limit"] !== undefined) {
    const limit = parseCommentLimit(args["comment-limit"]);
    if (limit === undefined) throw fail("BG0001", `--comment-limit ${args["comment-limit"]} is not a limit`, { fix: "use github, gitlab, bitbucket or a number of characters" });
    options.maxChars = limit;
  }
  if (args["full-report"] !== undefined) options.fullReport = args["full-report"];
  for (const t of targets) {
    const text = ctx.stages.render(input, t.format, targetOptions(t, options));
    if (t.file !== null) await writeAtomic(t.file, text);
    else await writeStdout(text);
  }
  // GitHub Actions: the github format also writes the job summary when the runner provides the file.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && targets.some((t) => t.format === "github")) await appendText(summaryFile, jobSummary(input, options));
  return exitCodeOf(results);
}
