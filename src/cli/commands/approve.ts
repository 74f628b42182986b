// `blastgate approve`: sign off on one exact plan by writing an approval record named by its fingerprint.
// Exit 0 when written, 2 on bad input or when a record exists (without --force).

import type { Argv } from "yargs";
import { loadPlan } from "../../plan/read.js";
import { createApproval } from "../../policy/approval.js";
import { shortFingerprint } from "../../policy/fingerprint.js";
import { APPROVAL_KEY_ENV, DEFAULT_APPROVALS_DIR, writeApproval } from "../../policy/store.js";
import { writeStdout } from "../output.js";
import type { CommandContext } from "../context.js";
import { planLoadOptions } from "./support/load.js";

export interface ApproveArgs {
  plan?: string;
  by?: string;
  reason?: string;
  dir: string;
  force: boolean;
  "terraform-bin"?: string;
}

export function builder(y: Argv): Argv<ApproveArgs> {
  return y
    .positional("plan", { type: "string", describe: "plan JSON file, binary plan file, or - for standard input (default: standard input when piped)" })
    .option("by", { type: "string", describe: "who signs off (a name or handle); recorded in the approval", demandOption: true })
    .option("reason", { type: "string", describe: "why this plan is acceptable; recorded and shown next to the rule", demandOption: true })
    .option("dir", { type: "string", default: DEFAULT_APPROVALS_DIR, describe: "directory of approval records (commit it, or keep it as a CI artifact)" })
    .option("force", { type: "boolean", default: false, describe: "replace an existing approval of this plan" })
    .option("terraform-bin", { type: "string", describe: "terraform or tofu program used to convert binary plans (default: terraform, else tofu, on PATH)" })
    .example('$0 approve plan.json --by dana --reason "retiring the reports stack, snapshot taken"', "write .blastgate/approvals/<digest>.json")
    .epilogue(
      `The approval holds for this exact plan only (see \`blastgate fingerprint\`); one more destroy makes a new plan that needs a new approval. With ${APPROVAL_KEY_ENV} set, the record is signed with it (HMAC-SHA256) and checks accept only signed records.`,
    ) as unknown as Argv<ApproveArgs>;
}

export async function run(args: ApproveArgs, ctx: CommandContext): Promise<number> {
  const given = args.plan === "" ? "-" : args.plan;
  const input = given ?? (ctx.stdinIsTTY ? undefined : "-");
  if (input === undefined) {
    ctx.usageError("no plan given: pass the plan file you reviewed (e.g. `blastgate approve plan.json --by NAME --reason TEXT`)");
    return 2;
  }
  const by = (args.by ?? "").trim();
  const reason = (args.reason ?? "").trim();
  if (by === "" || reason === "") {
    ctx.usageError("an approval needs --by NAME and --reason TEXT, both non-empty: they are what a reviewer reads later");
    return 2;
  }
  const load = planLoadOptions(args);
  const plan = await loadPlan(input, load);
  const key = process.env[APPROVAL_KEY_ENV];
  const record = createApproval(plan, { by, reason, now: new Date(), ...(key !== undefined && key !== "" ? { key } : {}) });
  const file = await writeApproval(args.dir, record, { force: args.force });
  const n = record.plan.destructive;
  await writeStdout(
    `approved ${shortFingerprint(record.fingerprint)} (${n} destructive change${n === 1 ? "" : "s"}${record.integrity.startsWith("hmac") ? ", signed" : ""}): wrote ${file}\n`,
  );
  return 0;
}
