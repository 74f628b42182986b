// `gitlab`: GitLab Code Quality JSON (artifacts:reports:codequality): an array of issues with description,
// check_name, fingerprint, severity and location.path/lines.begin, shown in the merge request widget and diff.
// Points at the `.tf` block with --tf-dir; otherwise at the plan file, line 1, and the description says so.

import type { Severity } from "../../analysis/types.js";
import { asReportSet } from "../report-set.js";
import { itemsOfSet } from "../result-items.js";
import { safeJson } from "../text.js";
import type { ReportFormat } from "./types.js";

/** GitLab's severities: info, minor, major, critical, blocker. */
const SEVERITY: Readonly<Record<Severity, string>> = { critical: "blocker", high: "critical", medium: "major", low: "minor", info: "info" };

export const gitlab: ReportFormat = {
  id: "gitlab",
  description: "GitLab Code Quality JSON (merge request widget and diff annotations)",
  extension: "json",
  render(input, options) {
    const set = asReportSet(input);
    const issues = itemsOfSet(set, options.sources)
      .filter((it) => !it.suppressed)
      .map((it) => ({
        description: set.reports.length > 1 ? `${it.planLabel}: ${it.message}` : it.message,
        check_name: it.ruleId,
        fingerprint: it.fingerprint,
        severity: SEVERITY[it.severity],
        location: { path: it.location.file ?? "plan.json", lines: { begin: it.location.line ?? 1 } },
      }));
    return safeJson(issues, 2) + "\n";
  },
};
