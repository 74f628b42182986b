// `json`: the versioned report document, as published in schemas/report.schema.json. Several plans: an envelope
// with one overall verdict (schemas/report-set.schema.json); one plan stays the flat document for compatibility.

import { asReportSet } from "../report-set.js";
import { safeJsonPieces } from "../text.js";
import type { ReportFormat } from "./types.js";

/**
 * The document's text in pieces. Walked down to the elements of each report's arrays (changes, destructive, ...),
 * which JSON.stringify writes in runs: a set has two more levels (its reports array and each report).
 */
function* pieces(input: Parameters<ReportFormat["render"]>[0]): Generator<string, void, undefined> {
  const set = asReportSet(input);
  const single = set.reports.length === 1;
  yield* safeJsonPieces(single ? set.reports[0] : set, 2, single ? 2 : 4);
  yield "\n";
}

export const json: ReportFormat = {
  id: "json",
  description: "the versioned report document (schemas/report.schema.json; several plans: schemas/report-set.schema.json)",
  extension: "json",
  render: (input) => [...pieces(input)].join(""),
  renderPieces: (input) => pieces(input),
};
