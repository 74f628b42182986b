// Several plans, one report: a set of per-plan report documents with one overall verdict. Every format renders a set;
// a set of one renders exactly as that plan's report does.

import type { Report, Verdict } from "./document.js";

export const REPORT_SET_SCHEMA_VERSION = "1.0";

/** The envelope `--format json` writes for several plans (schemas/report-set.schema.json). */
export interface ReportSet {
  schema_version: string;
  tool: { name: "blastgate"; version: string };
  /** Fails when any plan's verdict fails; the reasons name the plan. */
  verdict: Verdict;
  /** One report per plan, in the order the plans were given. */
  reports: Report[];
}

/** What every format accepts: one plan's report, or a set of them. */
export type ReportInput = Report | ReportSet;

export function isReportSet(input: ReportInput): input is ReportSet {
  return Array.isArray((input as Partial<ReportSet>).reports);
}

/** A short, stable name for a plan in a set: its path as given, else `plan N` (1-based). */
export function planLabel(report: Report, index: number): string {
  const p = report.plan.source.path;
  return p && p !== "<stdin>" ? p : `plan ${index + 1}${p ? ` (${p})` : ""}`;
}

/** The overall verdict: fail when any plan fails; each reason is prefixed with the plan it belongs to. */
export function combineVerdicts(reports: readonly Report[]): Verdict {
  const status = reports.some((r) => r.verdict.status === "fail") ? "fail" : "pass";
  const reasons: string[] = [];
  reports.forEach((r, i) => {
    for (const reason of r.verdict.reasons) reasons.push(reports.length === 1 ? reason : `${planLabel(r, i)}: ${reason}`);
  });
  return { status, reasons };
}

/** Builds the set the CLI renders when it is given several plans (or one: the formats render a set of one as a plain report). */
export function buildReportSet(reports: Report[], version?: string): ReportSet {
  return {
    schema_version: REPORT_SET_SCHEMA_VERSION,
    tool: { name: "blastgate", version: version ?? reports[0]?.tool.version ?? "0.0.0" },
    verdict: combineVerdicts(reports),
    reports,
  };
}

/** What the formats render for these plans: the one report, or a set of them with one overall verdict. */
export function reportInput(reports: readonly Report[]): ReportInput {
  return reports.length === 1 ? reports[0]! : buildReportSet([...reports]);
}

/** A set view of any input; a single report becomes a set of one. */
export function asReportSet(input: ReportInput): ReportSet {
  return isReportSet(input) ? input : buildReportSet([input], input.tool.version);
}
