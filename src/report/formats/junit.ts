// `junit`: JUnit XML for CI systems that show test results (GitLab, Jenkins, Azure, CircleCI). One suite per plan;
// a test case for the gate's verdict, one per policy rule and one per destructive change. A case fails exactly when
// the gate fails because of it, so the test view and the exit code agree. A tiny escaper is enough for this fixed
// shape (no XML library: the five entities, and controls, which XML 1.0 forbids, made visible).

import type { Report } from "../document.js";
import { asReportSet, planLabel } from "../report-set.js";
import { xml } from "../text.js";
import type { ReportFormat } from "./types.js";

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  out?: string;
}

function casesOf(r: Report): Case[] {
  const cls = (what: string): string => `blastgate.${what}`;
  const cases: Case[] = [];
  const verdict: Case = { name: "gate verdict", classname: cls("verdict"), out: `verdict: ${r.verdict.status}\n${r.verdict.reasons.map((x) => `- ${x}`).join("\n")}` };
  if (r.verdict.status === "fail") verdict.failure = { message: r.verdict.reasons[0] ?? "the gate fails", type: "verdict", body: r.verdict.reasons.join("\n") };
  const findings = r.findings.map((f) => `${f.severity}: ${f.message}${f.suggestion ? `\n  instead: ${f.suggestion}` : ""}`);
  if (findings.length > 0) verdict.out += `\nfindings:\n${findings.join("\n")}`;
  const notes = r.policy?.notes ?? [];
  if (notes.length > 0) verdict.out += `\npolicy notes:\n${notes.map((n) => `- ${n}`).join("\n")}`;
  cases.push(verdict);
  const failingAddresses = new Set<string>();
  for (const rule of [...(r.policy?.results ?? [])].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))) {
    const c: Case = { name: `policy rule ${rule.rule}`, classname: cls("policy"), out: `status: ${rule.status}\n${rule.message}${rule.notes.length ? `\n${rule.notes.join("\n")}` : ""}` };
    if (rule.status === "fail") {
      c.failure = { message: rule.message, type: `policy/${rule.rule}`, body: [rule.message, ...rule.addresses.map((a) => `on: ${a}`)].join("\n") };
      for (const a of rule.addresses) failingAddresses.add(a);
    }
    cases.push(c);
  }
  for (const d of r.destructive) {
    const body = [
      `${d.kind}: ${d.explanation}`,
      d.replace_paths.length ? `forced by: ${d.replace_paths.join(", ")}` : "",
      `data loss: ${d.risk.data_loss}${d.risk.reasons.length ? ` (${d.risk.reasons.join("; ")})` : ""}`,
      `dependents: ${d.blast_radius_total}`,
      ...d.blast_radius.slice(0, 10).map((e) => `  [${e.impact}] ${e.path.join(" <- ")}`),
    ]
      .filter(Boolean)
      .join("\n");
    const c: Case = { name: `${d.kind} ${d.address}${d.deposed ? ` (deposed ${d.deposed})` : ""}`, classname: cls(`destructive.${d.severity}`), out: body };
    if (failingAddresses.has(d.address)) c.failure = { message: `a failing policy rule names ${d.address}`, type: "destructive-change", body };
    cases.push(c);
  }
  return cases;
}

function renderCase(c: Case): string {
  const open = `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="0"`;
  const inner: string[] = [];
  if (c.failure) inner.push(`      <failure message="${xml(c.failure.message)}" type="${xml(c.failure.type)}">${xml(c.failure.body)}</failure>`);
  if (c.skipped) inner.push(`      <skipped message="${xml(c.skipped)}"/>`);
  if (c.out) inner.push(`      <system-out>${xml(c.out)}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join("\n")}\n    </testcase>`;
}

export const junit: ReportFormat = {
  id: "junit",
  description: "JUnit XML: a test case for the verdict, each policy rule and each destructive change",
  extension: "xml",
  render(input) {
    const set = asReportSet(input);
    const suites = set.reports.map((r, i) => {
      const label = planLabel(r, i);
      return { label, cases: casesOf(r) };
    });
    const total = suites.reduce((a, s) => a + s.cases.length, 0);
    const failures = suites.reduce((a, s) => a + s.cases.filter((c) => c.failure).length, 0);
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="blastgate" tests="${total}" failures="${failures}" errors="0" time="0">`];
    for (const s of suites) {
      const f = s.cases.filter((c) => c.failure).length;
      out.push(`  <testsuite name="${xml(`blastgate: ${s.label}`)}" tests="${s.cases.length}" failures="${f}" errors="0" skipped="0" time="0">`);
      out.push(`    <properties>\n      <property name="plan" value="${xml(s.label)}"/>\n    </properties>`);
      for (const c of s.cases) out.push(renderCase(c));
      out.push("  </testsuite>");
    }
    out.push("</testsuites>");
    return out.join("\n") + "\n";
  },
};
