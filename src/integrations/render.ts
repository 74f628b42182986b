// Rendering for the CI entry points: a format from the registry over the plans' reports (one report, or a set
// of them with one verdict), with the options `check` would give it.

import type { Report } from "../report/document.js";
import { FORMATS, type FormatId, type RenderOptions } from "../report/formats/index.js";
import { buildReportSet, type ReportInput } from "../report/report-set.js";

/** What the formats render: the one report, or a set of several with one overall verdict. */
export function ciInput(reports: readonly Report[]): ReportInput {
  return reports.length === 1 ? reports[0]! : buildReportSet([...reports]);
}

export function renderFormat(id: FormatId, reports: readonly Report[], options: RenderOptions): string {
  return FORMATS[id].render(ciInput(reports), options);
}

/** The file extension of a format's output. */
export function extensionOf(id: FormatId): string {
  return FORMATS[id].extension;
}
