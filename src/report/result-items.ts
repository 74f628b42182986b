// The report flattened into located result items (one per destructive change, finding and policy rule result):
// what SARIF, GitLab Code Quality and GitHub annotations each print in their own syntax.

import { sha256Hex } from "../sha256.js";
import type { Severity } from "../analysis/types.js";
import { adviceFor } from "./advice.js";
import type { Report } from "./document.js";
import { locate, type FindingLocation } from "./locate.js";
import { planLabel, type ReportSet } from "./report-set.js";
import type { SourceIndex } from "./source-locations.js";
import { plural, visible } from "./text.js";

export type ItemLevel = "error" | "warning" | "note";

export interface ResultItem {
  /** Stable rule id: `change/<kind>`, `finding/<id>`, `policy/<rule>`. */
  ruleId: string;
  /** One line describing the rule (the same for every item of the rule). */
  ruleText: string;
  level: ItemLevel;
  severity: Severity;
  /** Short title (annotations); plain text, controls made visible. */
  title: string;
  /** The message: what, why, where it points, what to do; plain text. */
  message: string;
  /** The resource the item is about (first of several). */
  address?: string;
  location: FindingLocation;
  /** Index of the plan in the set. */
  plan: number;
  planLabel: string;
  /** Set for policy results that do not block: waived or approved. */
  suppressed?: "waived" | "approved";
  /** Stable across runs of the same plan: hash of rule, plan and address. */
  fingerprint: string;
}

export function levelOf(severity: Severity): ItemLevel {
  return severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "note";
}

const KIND_RULE_TEXT: Readonly<Record<string, string>> = {
  delete: "the plan deletes a resource",
  "replace-delete-first": "the plan replaces a resource, destroying it before creating the new one",
  "replace-create-first": "the plan replaces a resource, creating the new one before destroying the old one",
  forget: "the plan removes a resource from state without destroying it (forget)",
  "forget-replace": "the plan forgets a resource and creates a new one",
  unknown: "the plan gives an action blastgate does not know",
};

function fingerprint(...parts: string[]): string {
  return sha256Hex(parts.join("\u0000")).slice(0, 32);
}

function whereText(loc: FindingLocation): string {
  if (loc.from === "source") return "";
  return loc.from === "plan" ? " (points at the plan: pass --tf-dir for the .tf file and line)" : " (plan read from standard input: pass --tf-dir for the .tf file and line)";
}

/** Items for one report, most important first: failing policy rules, destructive changes, findings. */
export function itemsOf(report: Report, index: number, label: string, sources: SourceIndex | undefined): ResultItem[] {
  const items: ResultItem[] = [];
  const v = visible;
  if (report.policy) {
    for (const r of report.policy.results) {
      if (r.status === "pass") continue;
      const address = r.addresses[0];
      const loc = locate(report, sources, address);
      const level: ItemLevel = r.status === "fail" ? "error" : r.status === "warn" ? "warning" : "note";
      const on = r.addresses.length > 0 ? ` on ${r.addresses.slice(0, 3).map(v).join(", ")}${r.addresses.length > 3 ? ` and ${r.addresses.length - 3} more` : ""}` : "";
      const item: ResultItem = {
        ruleId: `policy/${v(r.rule)}`,
        ruleText: v(r.description || `policy rule ${r.rule}`),
        level,
        severity: r.status === "fail" ? "high" : r.status === "warn" ? "medium" : "info",
        title: `policy ${v(r.rule)}: ${r.status}`,
        message: `policy rule ${v(r.rule)} ${r.status === "fail" ? "fails" : r.status === "warn" ? "warns" : `is ${r.status}`}: ${v(r.message)}${on}${whereText(loc)}`,
        location: loc,
        plan: index,
        planLabel: label,
        fingerprint: fingerprint("policy", r.rule, label, r.addresses.join(",")),
      };
      if (address !== undefined) item.address = address;
      if (r.status === "waived" || r.status === "approved") item.suppressed = r.status;
      items.push(item);
    }
  }
  for (const d of report.destructive) {
    const loc = locate(report, sources, d.address);
    const radius = d.blast_radius_total > 0 ? `; ${plural(d.blast_radius_total, "resource")} depend${d.blast_radius_total === 1 ? "s" : ""} on it` : "";
    const forced = d.replace_paths.length > 0 ? ` (forced by ${d.replace_paths.map(v).join(", ")})` : "";
    const advice = adviceFor(d);
    items.push({
      ruleId: `change/${d.kind}`,
      ruleText: KIND_RULE_TEXT[d.kind] ?? `the plan's action is ${d.kind}`,
      level: levelOf(d.severity),
      severity: d.severity,
      title: `${d.kind}: ${v(d.address)}`,
      message: `${v(d.address)} is ${d.kind === "delete" ? "deleted" : d.kind.startsWith("replace") ? "replaced" : d.kind.startsWith("forget") ? "forgotten" : `changed (${d.kind})`}: ${v(d.explanation)}${forced}; data loss: ${d.risk.data_loss}${radius}${advice.length > 0 ? `. Instead: ${v(advice[0]!)}` : ""}${whereText(loc)}`,
      address: d.address,
      location: loc,
      plan: index,
      planLabel: label,
      fingerprint: fingerprint("change", d.kind, label, d.address, d.deposed ?? ""),
    });
  }
  for (const f of report.findings) {
    const address = f.addresses[0];
    const loc = locate(report, sources, address);
    const item: ResultItem = {
      ruleId: `finding/${v(f.id)}`,
      ruleText: `blastgate finding ${v(f.id)}`,
      level: levelOf(f.severity),
      severity: f.severity,
      title: `${f.severity}: ${v(f.id)}`,
      message: `${v(f.message)}${f.suggestion ? `. Instead: ${v(f.suggestion)}` : ""}${whereText(loc)}`,
      location: loc,
      plan: index,
      planLabel: label,
      fingerprint: fingerprint("finding", f.id, label, f.addresses.join(",")),
    };
    if (address !== undefined) item.address = address;
    items.push(item);
  }
  return items;
}

/** Items for every plan of a set, plan by plan. */
export function itemsOfSet(set: ReportSet, sources: readonly (SourceIndex | undefined)[] | undefined): ResultItem[] {
  return set.reports.flatMap((r, i) => itemsOf(r, i, planLabel(r, i), sources?.[i]));
}
