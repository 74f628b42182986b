// `blastgate fingerprint`: print the plan's fingerprint, the digest an approval binds to. Exit 0, or 2 on bad input.

import type { Argv } from "yargs";
import { loadPlan } from "../../plan/read.js";
import { fingerprint } from "../../policy/fingerprint.js";
import { writeStdout } from "../output.js";
import type { CommandContext } from "../context.js";
import { planLoadOptions } from "./support/load.js";

export interface FingerprintArgs {
  plan?: string;
  "terraform-bin"?: string;
}

export function builder(y: Argv): Argv<FingerprintArgs> {
  return y
    .positional("plan", { type: "string", describe: "plan JSON file, binary plan file, or - for standard input (default: standard input when piped)" })
    .option("terraform-bin", { type: "string", describe: "terraform or tofu program used to convert binary plans (default: terraform, else tofu, on PATH)" })
    .example("$0 fingerprint plan.json", "print sha256:... for the plan's resource changes")
    .epilogue("The digest covers what the plan does (resource changes, actions, reasons, replace paths, planned values with sensitive parts masked), not timestamps or run noise: planning the same change again gives the same fingerprint. See docs/policy.md#sign-off-bound-to-the-plan.") as unknown as Argv<FingerprintArgs>;
}

export async function run(args: FingerprintArgs, ctx: CommandContext): Promise<number> {
  // yargs hands a lone `-` over as an empty string.
  const given = args.plan === "" ? "-" : args.plan;
  const input = given ?? (ctx.stdinIsTTY ? undefined : "-");
  if (input === undefined) {
    ctx.usageError("no plan given: pass a plan file, or `-` to read standard input (e.g. `terraform show -json tfplan | blastgate fingerprint -`)");
    return 2;
  }
  const load = planLoadOptions(args);
  const plan = await loadPlan(input, load);
  await writeStdout(fingerprint(plan) + "\n");
  return 0;
}
