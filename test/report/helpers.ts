// Reports for format tests: the shipped examples through the real pipeline (plan -> graph -> analysis), optionally
// with a hand-made policy section.

import path from "node:path";
import { buildPlan } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { analysePlan } from "../../src/pipeline.js";
import { baseVerdict, buildReport, type Report, type ReportPolicy, type Verdict } from "../../src/report/document.js";
import { ROOT } from "../helpers/paths.js";

export const TEST_VERSION = "0.0.0-test";

export interface ReportOptions {
  policy?: ReportPolicy;
  verdict?: Verdict;
}

export function reportFromPlan(plan: Plan, opts: ReportOptions = {}): Report {
  const { analysis } = analysePlan(plan);
  return buildReport(plan, analysis, TEST_VERSION, opts.verdict ?? baseVerdict(plan), opts.policy ?? null);
}

/** The report of `examples/<name>/plan.json` (path relative to the repository, as the CLI prints it). */
export async function exampleReport(name: string, opts: ReportOptions = {}): Promise<Report> {
  const rel = `examples/${name}/plan.json`;
  const plan = await loadPlan(path.relative(process.cwd(), path.join(ROOT, rel)) || rel);
  return reportFromPlan(plan, opts);
}

/** A plan from JSON text, as read from a file named `file`. */
export async function planFromJson(text: string, file = "generated/plan.json"): Promise<Plan> {
  return buildPlan([Buffer.from(text, "utf8")], { kind: "file", path: file, encoding: "utf-8" }, { file });
}

/** A policy section for the incident, as the policy engine would write it (built by hand until it lands). */
export function incidentPolicy(report: Report): ReportPolicy {
  const db = report.destructive.filter((d) => d.address.startsWith("module.database.")).map((d) => d.address);
  return {
    status: "fail",
    results: [
      {
        rule: "max-destroyed-share",
        severity: "fail",
        status: "fail",
        description: "a plan may not destroy more than 20% of the environment",
        message: "the plan destroys 100% of the managed resources (limit 20%)",
        addresses: report.destructive.map((d) => d.address).slice(0, 30),
        limit: "20%",
        measured: "100%",
        notes: [],
      },
      {
        rule: "protect-databases",
        severity: "fail",
        status: "fail",
        description: "databases are never replaced without a sign-off",
        message: `${db.length} database resources are replaced`,
        addresses: db,
        limit: 0,
        measured: db.length,
        notes: ["sign-offs: ask #db-oncall"],
      },
      { rule: "max-blast-radius", severity: "warn", status: "warn", description: "warn when a destroy has many dependents", message: "a destroy has 12 dependents (warn at 10)", addresses: [], limit: 10, measured: 12, notes: [] },
      { rule: "dns-changes", severity: "fail", status: "waived", description: "DNS records are not replaced", message: "waived until 2026-12-31 by @platform-team", addresses: ['terraform_data.dns_record["api"]'], limit: null, measured: null, notes: [] },
      { rule: "no-forget", severity: "fail", status: "pass", description: "nothing leaves state without a destroy", message: "no resource is forgotten", addresses: [], limit: null, measured: null, notes: [] },
    ],
    allowed_by_intent: [],
    outside_intent: report.destructive.map((d) => d.address).slice(0, 12),
    fingerprint: "sha256:9f2c4c1e0d7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa00112233",
    notes: ["could not read the commits in origin/main..HEAD (git log failed): AI-assisted and Allow-Destroy trailers were not read", 'approval approvals/9f2c4c1e.json rejected: it binds another plan'],
  };
}

/** The parity-aware count of unescaped `|` in a Markdown line (a `\|` is part of the cell). */
export function unescapedPipes(line: string): number {
  let n = 0;
  let backslashes = 0;
  for (const ch of line) {
    if (ch === "\\") backslashes++;
    else {
      if (ch === "|" && backslashes % 2 === 0) n++;
      backslashes = 0;
    }
  }
  return n;
}
