// Registry of report formats: a new format is one file plus one line here.

import { agent } from "./agent.js";
import { dot } from "./dot.js";
import { github } from "./github.js";
import { gitlabTerraform } from "./gitlab-terraform.js";
import { gitlab } from "./gitlab.js";
import { html } from "./html.js";
import { json } from "./json.js";
import { junit } from "./junit.js";
import { markdown } from "./markdown.js";
import { mermaid } from "./mermaid.js";
import { sarif } from "./sarif.js";
import { terminal } from "./terminal.js";
import type { ReportInput } from "../report-set.js";
import type { RenderOptions, ReportFormat } from "./types.js";

export const FORMATS = {
  terminal,
  json,
  markdown,
  sarif,
  junit,
  gitlab,
  "gitlab-terraform": gitlabTerraform,
  agent,
  github,
  dot,
  mermaid,
  html,
} as const satisfies Record<string, ReportFormat>;

export type FormatId = keyof typeof FORMATS;
export const FORMAT_IDS = Object.keys(FORMATS) as FormatId[];
export type { ReportFormat, RenderOptions } from "./types.js";

export function isFormatId(id: string): id is FormatId {
  return (FORMAT_IDS as string[]).includes(id);
}

/**
 * A format's text for writing out: pieces made as they are written where the format makes them (a large JSON
 * report), else one string.
 */
export function renderForOutput(input: ReportInput, format: FormatId, options: RenderOptions): string | Iterable<string> {
  const f: ReportFormat = FORMATS[format];
  return f.renderPieces !== undefined ? f.renderPieces(input, options) : f.render(input, options);
}
