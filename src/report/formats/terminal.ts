// `terminal`: the human report, most important first: verdict, headline findings and root causes, then destructive
// changes grouped by severity with their blast-radius paths, then counts and notes. Readable in two minutes.

import type { Severity } from "../../analysis/types.js";
import type { ChangeKind } from "../../plan/actions.js";
import type { Report, ReportDestructive, ReportPolicy } from "../document.js";
import { describeLocation, locate } from "../locate.js";
import { asReportSet, planLabel } from "../report-set.js";
import type { SourceIndex } from "../source-locations.js";
import { visible } from "../text.js";
import type { RenderOptions, ReportFormat } from "./types.js";

export const KIND_LABEL: Readonly<Record<ChangeKind, string>> = {
  create: "create",
  read: "read",
  update: "update in place",
  delete: "DELETE",
  "replace-delete-first": "REPLACE (delete first)",
  "replace-create-first": "REPLACE (create first)",
  forget: "FORGET",
  "forget-replace": "FORGET + create",
  "no-op": "no change",
  import: "import",
  move: "move",
  unknown: "UNKNOWN ACTION",
};

const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];
const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { critical: "1;31", high: "31", medium: "33", low: "36", info: "37" };
/** Blast-radius paths shown per change in the terminal (the JSON has them all, up to its own cap). */
const PATHS_SHOWN = 5;

function paint(on: boolean, code: string, s: string): string {
  return on ? `\x1b[${code}m${s}\x1b[0m` : s;
}

/** Wraps text to the width, indenting continuation lines. */
function wrap(text: string, width: number, indent: string): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.trim() !== "" && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + "  " + w;
    } else line += (line.trim() === "" ? "" : " ") + w;
  }
  lines.push(line);
  return lines.join("\n");
}

/** Visible length: ANSI colour codes (ours) take no columns. */
function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, "").length;
}

/** Wraps any line longer than the width at spaces, continuing under its own indentation plus two. */
function fit(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  const indent = /^ */.exec(line)![0];
  const words = line.slice(indent.length).split(" ");
  const out: string[] = [];
  let cur = indent;
  let len = indent.length;
  for (const w of words) {
    const wl = visibleLength(w);
    if (len > indent.length && len + 1 + wl > width && cur.trim() !== "") {
      out.push(cur);
      cur = indent + "  " + w;
      len = indent.length + 2 + wl;
    } else {
      cur += (cur.trim() === "" ? "" : " ") + w;
      len += (len > indent.length ? 1 : 0) + wl;
    }
  }
  out.push(cur);
  return out.join("\n");
}

function radiusLines(d: ReportDestructive, width: number): string[] {
  const out: string[] = [];
  if (d.blast_radius_total === 0) return out;
  const listed = d.blast_radius.length + d.blast_radius_truncated;
  out.push(
    `      blast radius: ${d.blast_radius_total} dependent${d.blast_radius_total === 1 ? "" : "s"}` +
      (d.blast_radius_covered > 0 ? ` (${d.blast_radius_covered} of them through other destroyed resources, listed there)` : "") +
      (listed > PATHS_SHOWN ? `; showing ${PATHS_SHOWN} of ${listed}` : ""),
  );
  for (const e of d.blast_radius.slice(0, PATHS_SHOWN)) {
    let path = visible(e.path[0]!);
    for (let k = 1; k < e.path.length; k++) path += ` <- ${visible(e.path[k]!)} (${visible(e.via[k - 1] ?? "")})`;
    out.push(wrap(`[${e.impact}] ${path}`, width, "        "));
  }
  return out;
}

const RULE_STATUS_COLOR: Readonly<Record<string, string>> = { fail: "1;31", warn: "33", pass: "32", waived: "36", approved: "36" };

/** The policy section: failing and warning rules in full, the others counted. */
function policyLines(policy: ReportPolicy, color: boolean, w: number): string[] {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const r of policy.results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const tally = ["fail", "warn", "waived", "approved", "pass"].filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  out.push(`${paint(color, "1", "Policy:")} ${paint(color, RULE_STATUS_COLOR[policy.status] ?? "1", policy.status.toUpperCase())} (${policy.results.length} rule${policy.results.length === 1 ? "" : "s"}${tally.length ? ": " + tally.join(", ") : ""})`);
  const order = { fail: 0, warn: 1, waived: 2, approved: 3, pass: 4 } as const;
  const shown = [...policy.results].filter((r) => r.status !== "pass").sort((a, b) => order[a.status] - order[b.status] || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  for (const r of shown) {
    const measured = r.limit !== null || r.measured !== null ? ` (measured ${visible(String(r.measured ?? "?"))}, limit ${visible(String(r.limit ?? "?"))})` : "";
    out.push(wrap(`${paint(color, RULE_STATUS_COLOR[r.status] ?? "1", r.status.toUpperCase())} ${visible(r.rule)}: ${visible(r.message)}${measured}`, w, "  "));
    if (r.addresses.length > 0) out.push(wrap(`on: ${r.addresses.slice(0, 5).map(visible).join(", ")}${r.addresses.length > 5 ? `, and ${r.addresses.length - 5} more` : ""}`, w, "      "));
    for (const n of r.notes) out.push(wrap(`note: ${visible(n)}`, w, "      "));
  }
  if (policy.allowed_by_intent.length > 0) out.push(wrap(`allowed by declared intent: ${policy.allowed_by_intent.length} destroy${policy.allowed_by_intent.length === 1 ? "" : "s"}`, w, "  "));
  if (policy.outside_intent.length > 0) out.push(wrap(`outside the declared intent: ${policy.outside_intent.slice(0, 5).map(visible).join(", ")}${policy.outside_intent.length > 5 ? `, and ${policy.outside_intent.length - 5} more` : ""}`, w, "  "));
  for (const n of policy.notes) out.push(wrap(`note: ${visible(n)}`, w, "  "));
  if (policy.fingerprint) out.push(`  plan fingerprint (what an approval binds to): ${visible(policy.fingerprint)}`);
  return out;
}

function verdictLine(status: "pass" | "fail", color: boolean): string {
  return status === "pass" ? paint(color, "1;32", "PASS") + "  blastgate: the gate passes" : paint(color, "1;31", "STOP") + "  blastgate: the gate fails: do not apply this plan";
}

function renderOne(report: Report, { color, width }: RenderOptions, sources: SourceIndex | undefined): string {
  const out: string[] = [];
  const w = Math.max(40, width);
  const v = report.verdict;
  const a = report.analysis;
  out.push(verdictLine(v.status, color) + `  (risk ${a.severity}, score ${a.score}/100)`);
  for (const r of v.reasons) out.push(wrap(`- ${visible(r)}`, w, "  "));
  if (report.policy) {
    out.push("");
    out.push(...policyLines(report.policy, color, w));
  }

  const headline = report.findings.filter((f) => f.severity === "critical" || f.severity === "high");
  if (headline.length > 0 || report.root_causes.length > 0) out.push("");
  for (const f of headline) {
    out.push(wrap(`${paint(color, SEVERITY_COLOR[f.severity], f.severity.toUpperCase())} ${visible(f.message)}`, w, ""));
    if (f.suggestion) out.push(wrap(`-> ${visible(f.suggestion)}`, w, "   "));
  }
  if (report.root_causes.length > 0) {
    out.push("Root causes:");
    for (const r of report.root_causes.slice(0, 5)) {
      out.push(wrap(`- ${visible(r.summary)}`, w, "  "));
      if (r.chain.length > 1) out.push(wrap(`chain: ${r.chain.map(visible).join(" -> ")}`, w, "    "));
    }
    if (report.root_causes.length > 5) out.push(`  ... and ${report.root_causes.length - 5} more (see --format json)`);
  }

  const p = report.plan;
  out.push("");
  out.push(
    `Plan: ${visible(p.source.path ?? p.source.kind)} (format ${visible(p.format_version)}${p.terraform_version ? `, ${p.tool === "opentofu" ? "OpenTofu" : "Terraform"} ${visible(p.terraform_version)}` : ""})`,
  );
  const s = report.summary;
  const parts = (Object.keys(KIND_LABEL) as ChangeKind[]).filter((k) => s[k] > 0).map((k) => `${s[k]} ${KIND_LABEL[k]}`);
  out.push(`Changes: ${s.total} resource change${s.total === 1 ? "" : "s"}${parts.length ? ": " + parts.join(", ") : ""}`);
  out.push("");
  const d = report.destructive;
  if (d.length === 0) out.push(paint(color, "32", "No destructive changes: nothing is deleted, replaced or forgotten."));
  else {
    out.push(paint(color, "1", `Destructive changes (${d.length}), most severe first:`));
    for (const sev of SEVERITY_ORDER) {
      const group = d.filter((c) => c.severity === sev);
      if (group.length === 0) continue;
      out.push(paint(color, SEVERITY_COLOR[sev], `  ${sev.toUpperCase()} (${group.length})`));
      for (const c of group) {
        out.push(`  ${paint(color, "1", KIND_LABEL[c.kind].padEnd(24))} ${visible(c.address)}${c.deposed ? ` (deposed object ${visible(c.deposed)})` : ""}`);
        if (sources) {
          const loc = locate(report, sources, c.address);
          if (loc.from === "source") out.push(wrap(`defined at: ${visible(describeLocation(loc))}`, w, "      "));
        }
        const reason = c.action_reason ? `${c.action_reason}: ${c.explanation}` : c.explanation;
        out.push(wrap(`why: ${visible(reason)}`, w, "      "));
        if (c.replace_paths.length > 0) out.push(wrap(`forced by: ${c.replace_paths.map(visible).join(", ")}`, w, "      "));
        out.push(wrap(`data loss: ${c.risk.data_loss}${c.risk.reasons.length ? ` (${visible(c.risk.reasons[0]!)})` : ""}`, w, "      "));
        out.push(...radiusLines(c, w));
      }
    }
  }
  const other = report.findings.filter((f) => f.severity !== "critical" && f.severity !== "high");
  if (other.length > 0) {
    out.push("");
    out.push("Other findings:");
    for (const f of other) out.push(wrap(`- ${f.severity}: ${visible(f.message)}`, w, "  "));
  }
  if (report.unresolved.length > 0) {
    out.push("");
    out.push(`Unresolved references (${report.unresolved.length}): dependencies through these may be missing from the blast radius`);
    for (const u of report.unresolved.slice(0, 10)) out.push(wrap(`- ${visible(u.from)}: ${visible(u.reference)} (${visible(u.why)})`, w, "  "));
    if (report.unresolved.length > 10) out.push(`  ... and ${report.unresolved.length - 10} more`);
  }
  const notes = report.notes;
  if (notes.length > 0) {
    out.push("");
    out.push("Notes:");
    for (const n of notes) out.push(wrap(`- ${n.severity}[${n.code}]: ${visible(n.message)}`, w, "  "));
  }
  return out.map((l) => l.split("\n").map((x) => fit(x, w)).join("\n")).join("\n") + "\n";
}

export const terminal: ReportFormat = {
  id: "terminal",
  description: "a readable report for a terminal (colour on a TTY unless NO_COLOR is set)",
  extension: "txt",
  render(input, options: RenderOptions): string {
    const set = asReportSet(input);
    if (set.reports.length === 1) return renderOne(set.reports[0]!, options, options.sources?.[0]);
    const w = Math.max(40, options.width);
    const out: string[] = [];
    const failing = set.reports.filter((r) => r.verdict.status === "fail").length;
    out.push(`${verdictLine(set.verdict.status, options.color)}  (${set.reports.length} plans, ${failing} failing)`);
    for (const r of set.verdict.reasons) out.push(wrap(`- ${visible(r)}`, w, "  "));
    set.reports.forEach((report, i) => {
      out.push("");
      out.push(paint(options.color, "1", `== Plan ${i + 1} of ${set.reports.length}: ${visible(planLabel(report, i))} ==`));
      out.push(renderOne(report, options, options.sources?.[i]).replace(/\n$/, ""));
    });
    return out.map((l) => l.split("\n").map((x) => fit(x, w)).join("\n")).join("\n") + "\n";
  },
};
