// `agent`: a short, plain, imperative summary for an AI coding assistant that produced the change: what the plan
// would destroy, why, what the policy says, and what to do instead. Stable and line-oriented so it can be parsed:
// one fact per line, `TAG: fields`; quoted fields are JSON strings (no raw control or line-separator characters),
// bare fields are `key=value` without spaces. Long lists are capped with a MORE line naming the full report.

import type { Report } from "../document.js";
import { planAdvice } from "../advice.js";
import { asReportSet, planLabel } from "../report-set.js";
import { safeJson, visible } from "../text.js";
import type { ReportFormat } from "./types.js";

/** Most DESTROY lines per plan: an assistant needs the pattern and the worst cases, not thousands of lines. */
export const AGENT_MAX_DESTROYS = 40;

/** A bare `key=value` field from plan data: escaped so it holds no control character and no space. */
function bare(s: string): string {
  return visible(s).replace(/\s/g, "_");
}

function planLines(r: Report, label: string): string[] {
  const out: string[] = [];
  out.push(`PLAN: ${safeJson(label)} verdict=${r.verdict.status} changes=${r.summary.total} destroys=${r.destructive.length} risk=${r.analysis.severity} score=${r.analysis.score}`);
  for (const f of r.findings) if (f.severity === "critical" || f.severity === "high") out.push(`STOP: ${safeJson(f.message)}`);
  if (r.policy) {
    out.push(`POLICY: ${r.policy.status} rules=${r.policy.results.length}`);
    for (const x of r.policy.results) if (x.status !== "pass") out.push(`RULE: ${x.status} ${safeJson(x.rule)} ${safeJson(x.message)}`);
  } else out.push("POLICY: none (no policy was evaluated)");
  for (const d of r.destructive.slice(0, AGENT_MAX_DESTROYS)) {
    const forced = d.replace_paths.length > 0 ? ` forced_by=${safeJson(d.replace_paths.join(","))}` : "";
    const why = d.action_reason ? `reason=${bare(d.action_reason)}` : `because=${safeJson(d.explanation)}`;
    out.push(`DESTROY: ${safeJson(d.address)} ${d.kind} severity=${d.severity} data_loss=${d.risk.data_loss} dependents=${d.blast_radius_total}${forced} ${why}`);
  }
  if (r.destructive.length > AGENT_MAX_DESTROYS) out.push(`MORE: destroys=${r.destructive.length - AGENT_MAX_DESTROYS} see=${safeJson("blastgate check --format json")}`);
  for (const c of r.root_causes.slice(0, 5)) out.push(`CAUSE: ${safeJson(c.summary)}`);
  for (const a of planAdvice(r).slice(0, 12)) out.push(`DO: ${safeJson(a)}`);
  return out;
}

export const agent: ReportFormat = {
  id: "agent",
  description: "a short, line-oriented summary for AI coding assistants: what is destroyed, why, and what to do instead",
  extension: "txt",
  render(input) {
    const set = asReportSet(input);
    const out = ["# blastgate agent report v1: one fact per line as TAG: fields; quoted fields are JSON strings"];
    out.push(`VERDICT: ${set.verdict.status}`);
    for (const reason of set.verdict.reasons) out.push(`WHY: ${safeJson(reason)}`);
    set.reports.forEach((r, i) => out.push(...planLines(r, planLabel(r, i))));
    out.push("END");
    return out.join("\n") + "\n";
  },
};
