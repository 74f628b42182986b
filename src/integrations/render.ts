// Rendering for the CI entry points: a format from the registry over the plans' reports (one report, or a set
// of them with one verdict), with the options `check` would give it.

import { FORMATS, type FormatId, type RenderOptions } from "../report/formats/index.js";
import type { ReportInput } from "../report/report-set.js";

/** One format of the plans' reports (report-set.ts reportInput) as one string. */
export function renderFormat(id: FormatId, input: ReportInput, options: RenderOptions): string {
  return FORMATS[id].render(input, options);
}

/** The file extension of a format's output. */
export function extensionOf(id: FormatId): string {
  return FORMATS[id].extension;
}
