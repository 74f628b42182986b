// `blastgate check`: read a plan, report what it does, and exit 0 (pass), 1 (fail) or 2 (could not analyse).

import type { Argv } from "yargs";
import type { LoadOptions } from "../../plan/read.js";
import { FORMAT_IDS, type FormatId } from "../../report/formats/index.js";
import { exitCodeOf, runFlow, type FlowPolicyOptions } from "../flow.js";
import { writeAtomic, writeStdout } from "../output.js";
import type { CommandContext } from "../context.js";

export interface CheckArgs {
  plan?: string;
  format: FormatId;
  output?: string;
  "terraform-bin"?: string;
  "tf-dir"?: string;
  policies?: string[];
  "fail-on": "fail" | "warn";
  "allow-destroy"?: string[];
  "allow-destroy-file"?: string;
  approvals?: string;
  "git-range"?: string;
  "ai-assisted"?: boolean;
}

export function builder(y: Argv): Argv<CheckArgs> {
  return y
    .positional("plan", { type: "string", describe: "plan JSON file, binary plan file, or - for standard input (default: standard input when piped)" })
    .option("format", { alias: "f", choices: FORMAT_IDS, default: "terminal" as FormatId, describe: "report format" })
    .option("output", { alias: "o", type: "string", describe: "write the report to this file instead of standard output" })
    .option("tf-dir", { type: "string", describe: "directory of the root module's .tf files: adds locals, lifecycle (prevent_destroy) and source locations" })
    .option("policies", { type: "string", array: true, describe: "policy directory (repeatable; several merge). Default: ./policies when present, else the built-in set" })
    .option("fail-on", { choices: ["fail", "warn"] as const, default: "fail" as const, describe: "`warn` makes policy warnings fail the gate too" })
    .option("allow-destroy", { type: "string", array: true, describe: "declare an intended destroy: an address glob (repeatable); destroys inside pass with a note" })
    .option("allow-destroy-file", { type: "string", describe: "file of allow-destroy globs, one per line (default .blastgate/allow-destroy)" })
    .option("approvals", { type: "string", describe: "directory of sign-off records (default .blastgate/approvals)" })
    .option("git-range", { type: "string", describe: "commits whose trailers count (AI-Assisted, Allow-Destroy), e.g. origin/main..HEAD (default HEAD)" })
    .option("ai-assisted", { type: "boolean", describe: "mark the change as AI-assisted (or --no-ai-assisted), instead of reading commit trailers" })
    .option("terraform-bin", { type: "string", describe: "terraform or tofu program used to convert binary plans (default: terraform, else tofu, on PATH)" })
    .example("$0 check plan.json", "report what plan.json will do")
    .example("terraform show -json tfplan | $0 check -", "read the plan from standard input")
    .example("$0 check tfplan --format json -o report.json", "convert a binary plan and write the JSON report") as unknown as Argv<CheckArgs>;
}

/** The policy options of a run, from the flags. */
export function policyOptions(args: CheckArgs, now: Date = new Date()): FlowPolicyOptions {
  const o: FlowPolicyOptions = { dirs: args.policies ?? [], failOn: args["fail-on"], allowDestroy: args["allow-destroy"] ?? [], now };
  if (args["allow-destroy-file"] !== undefined) o.allowDestroyFile = args["allow-destroy-file"];
  if (args.approvals !== undefined) o.approvalsDir = args.approvals;
  if (args["git-range"] !== undefined) o.gitRange = args["git-range"];
  if (args["ai-assisted"] !== undefined) o.aiAssisted = args["ai-assisted"];
  return o;
}

export async function run(args: CheckArgs, ctx: CommandContext): Promise<number> {
  // yargs hands a lone `-` over as an empty string.
  const given = args.plan === "" ? "-" : args.plan;
  const input = given ?? (ctx.stdinIsTTY ? undefined : "-");
  if (input === undefined) {
    ctx.usageError("no plan given: pass a plan file, or `-` to read standard input (e.g. `terraform show -json tfplan | blastgate check -`)");
    return 2;
  }
  const load: LoadOptions = {};
  if (args["terraform-bin"] !== undefined) load.terraformBin = args["terraform-bin"];
  const progress = ctx.progress();
  load.onProgress = (read, total) => progress.bytes(read, total);
  let results;
  try {
    results = await runFlow({ plans: [input], load, onStage: (s) => progress.stage(s), policy: policyOptions(args), ...(args["tf-dir"] !== undefined ? { tfDir: args["tf-dir"] } : {}) }, ctx.stages);
  } finally {
    progress.done();
  }
  const report = results[0]!.report;
  const text = ctx.stages.render(report, args.format, { color: args.output === undefined && ctx.color, width: ctx.width });
  if (args.output !== undefined) await writeAtomic(args.output, text);
  else await writeStdout(text);
  return exitCodeOf(results);
}
