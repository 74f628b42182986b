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
import type { ReportFormat } from "./types.js";

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
