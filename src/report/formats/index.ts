// Registry of report formats: a new format is one file plus one line here.

import { json } from "./json.js";
import { terminal } from "./terminal.js";
import type { ReportFormat } from "./types.js";

export const FORMATS = {
  terminal,
  json,
} as const satisfies Record<string, ReportFormat>;

export type FormatId = keyof typeof FORMATS;
export const FORMAT_IDS = Object.keys(FORMATS) as FormatId[];
export type { ReportFormat, RenderOptions } from "./types.js";
