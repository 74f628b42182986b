// The interface every report format implements: one pure function from the report document to text.

import type { Report } from "../document.js";

export interface RenderOptions {
  /** Use ANSI colour (terminal only). */
  color: boolean;
  /** Terminal width for wrapping. */
  width: number;
}

export interface ReportFormat {
  id: string;
  description: string;
  render(report: Report, options: RenderOptions): string;
}
