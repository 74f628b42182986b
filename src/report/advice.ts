// What to do instead of a destructive change, in plain imperative sentences: shared by the agent, Markdown and
// annotation formats so a person and an assistant get the same advice. Built from action reasons, findings and the
// policy verdict; never from values.

import type { Report, ReportDestructive } from "./document.js";

/** Advice for one destructive change, from Terraform's action_reason and the data-loss risk. */
export function adviceFor(d: ReportDestructive): string[] {
  const out: string[] = [];
  const paths = d.replace_paths.length > 0 ? d.replace_paths.map((p) => `\`${p}\``).join(", ") : "the changed arguments";
  switch (d.action_reason) {
    case "replace_because_cannot_update":
      out.push(`revert ${paths} or pick a value the provider can update in place; if the replacement is intended, ask for a sign-off`);
      break;
    case "replace_because_tainted":
      out.push("if the object is healthy, run `terraform untaint` instead of replacing it");
      break;
    case "replace_by_request":
      out.push("a `-replace` was requested: drop it unless the replacement is intended");
      break;
    case "replace_by_triggers":
      out.push("check the `replace_triggered_by` reference that changed; remove or narrow it if the replacement is not intended");
      break;
    case "delete_because_no_resource_config":
      out.push("if the resource was renamed or moved, add a `moved` block from the old address to the new one; to stop managing it without destroying it, use a `removed` block with `lifecycle { destroy = false }`");
      break;
    case "delete_because_count_index":
      out.push("if the list shrank in the middle, switch to `for_each` with stable keys or add `moved` blocks for the shifted indexes");
      break;
    case "delete_because_each_key":
      out.push("if the key was renamed, add a `moved` block from the old key to the new one");
      break;
    case "delete_because_no_module":
      out.push("if the module was renamed or moved, add a `moved` block for the module instead of deleting it");
      break;
    case "delete_because_wrong_repetition":
      out.push("add a `moved` block between the old and the new instance address (e.g. from `x` to `x[0]`)");
      break;
    case "delete_because_no_move_target":
      out.push("point the `moved` block at an address that exists in the configuration");
      break;
    default:
      break;
  }
  if (d.prevent_destroy === true) out.push("keep `prevent_destroy`: do not apply a plan that destroys this resource");
  if (d.risk.data_loss === "certain" || d.risk.data_loss === "likely") out.push("take a backup or snapshot before any apply that destroys it");
  return out;
}

/** The plan-wide instructions, most important first, de-duplicated; the first line always says whether to apply. */
export function planAdvice(report: Report): string[] {
  const out: string[] = [];
  const destroys = report.destructive.length;
  if (report.verdict.status === "fail") out.push("do not apply this plan; fix the cause or ask a human for a sign-off");
  else if (destroys > 0) out.push("before applying, tell the user what this plan destroys and get an explicit yes");
  else out.push("nothing is destroyed: the plan can be applied as far as blastgate is concerned");
  for (const f of report.findings) if (f.suggestion && (f.severity === "critical" || f.severity === "high")) out.push(f.suggestion);
  if (report.policy) {
    for (const r of report.policy.results) if (r.status === "fail") out.push(`satisfy policy rule \`${r.rule}\` or get it waived by its owner`);
  }
  for (const d of report.destructive) out.push(...adviceFor(d));
  for (const f of report.findings) if (f.suggestion && f.severity !== "critical" && f.severity !== "high") out.push(f.suggestion);
  return [...new Set(out)];
}
