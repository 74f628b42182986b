// `json`: the versioned report document, as published in schemas/report.schema.json. Several plans: an envelope
// with one overall verdict (schemas/report-set.schema.json); one plan stays the flat document for compatibility.

import { asReportSet } from "../report-set.js";
import { safeJson } from "../text.js";
import type { ReportFormat } from "./types.js";

export const json: ReportFormat = {
  id: "json",
  description: "the versioned report document (schemas/report.schema.json; several plans: schemas/report-set.schema.json)",
  extension: "json",
  render: (input) => {
    const set = asReportSet(input);
    const doc = set.reports.length === 1 ? set.reports[0] : set;
    return safeJson(doc, 2) + "\n";
  },
};
