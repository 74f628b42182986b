// The interface every report format implements: one pure function from the report (one plan, or a set of plans)
// to text. No I/O: the CLI writes the text where it belongs.

import type { ReportInput } from "../report-set.js";
import type { SourceIndex } from "../source-locations.js";

export interface RenderOptions {
  /** Use ANSI colour (terminal only). */
  color: boolean;
  /** Terminal width for wrapping. */
  width: number;
  /**
   * Most characters the output may have (Markdown comments; default 65,536, GitHub's comment limit). The
   * renderer fills it in order of importance and says what it left out; it never fails and never exceeds it.
   */
  maxChars?: number;
  /** Where the full report is (a URL, an artifact or file name), named when something is left out. */
  fullReport?: string;
  /**
   * Source locations from `--tf-dir`, one per plan in the order of the set's reports (one entry for a single
   * report); without one, findings point at the plan file and say so.
   */
  sources?: readonly (SourceIndex | undefined)[];
}

export interface ReportFormat {
  id: string;
  description: string;
  /** File extension of the output, without the dot (for `--output` defaults and golden files). */
  extension: string;
  render(input: ReportInput, options: RenderOptions): string;
  /**
   * The same text as render, in pieces made as they are written (for formats whose output can be large: no string
   * of the whole text is made). Rendering happens while the pieces are taken, so it can throw then.
   */
  renderPieces?(input: ReportInput, options: RenderOptions): Iterable<string>;
}
