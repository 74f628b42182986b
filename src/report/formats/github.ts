// `github`: GitHub Actions workflow commands (`::error file=...,line=...,title=...::message`), one per failing
// policy rule, destructive change and finding, most important first. GitHub shows at most 10 annotations of each
// level per step, so each level is capped at 10 and a notice counts the rest. Properties and data are escaped as
// the runner's toolkit does (actions/toolkit: packages/core/src/command.ts): plan data cannot end a property,
// start a new command or a new line. The job summary is `jobSummary()`: Markdown the CLI appends to
// $GITHUB_STEP_SUMMARY (this module does no I/O).

import { asReportSet, type ReportInput } from "../report-set.js";
import { itemsOfSet, type ItemLevel } from "../result-items.js";
import { ghData, ghProperty, plural, visible } from "../text.js";
import { renderMarkdown } from "./markdown.js";
import type { RenderOptions, ReportFormat } from "./types.js";

/** GitHub displays at most this many annotations of one level per step. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** The job summary limit is 1 MiB per step; at most 3 UTF-8 bytes per UTF-16 unit keeps this many characters under it. */
export const JOB_SUMMARY_MAX_CHARS = 340_000;

const COMMAND: Readonly<Record<ItemLevel, string>> = { error: "error", warning: "warning", note: "notice" };

/** The Markdown job summary for $GITHUB_STEP_SUMMARY: the comment renderer with the job summary's larger limit. */
export function jobSummary(input: ReportInput, options: Partial<RenderOptions> = {}): string {
  return renderMarkdown(input, { color: false, width: 100, ...options, maxChars: Math.min(options.maxChars ?? JOB_SUMMARY_MAX_CHARS, JOB_SUMMARY_MAX_CHARS) });
}

export const github: ReportFormat = {
  id: "github",
  description: "GitHub Actions annotations (workflow commands); the CLI also writes jobSummary() to $GITHUB_STEP_SUMMARY",
  extension: "txt",
  render(input, options) {
    const set = asReportSet(input);
    const items = itemsOfSet(set, options.sources).filter((it) => !it.suppressed);
    const order: Readonly<Record<ItemLevel, number>> = { error: 0, warning: 1, note: 2 };
    const sorted = items.map((it, i) => ({ it, i })).sort((a, b) => order[a.it.level] - order[b.it.level] || a.i - b.i);
    const destroys = set.reports.reduce((a, r) => a + r.destructive.length, 0);
    const out = [`blastgate: ${set.verdict.status === "pass" ? "PASS" : "FAIL: do not apply this plan"} (${plural(destroys, "destructive change")} in ${plural(set.reports.length, "plan")})`];
    const shown: Record<ItemLevel, number> = { error: 0, warning: 0, note: 0 };
    let left = 0;
    for (const { it } of sorted) {
      const cap = it.level === "note" ? ANNOTATIONS_PER_LEVEL - 1 : ANNOTATIONS_PER_LEVEL;
      if (shown[it.level] >= cap) {
        left++;
        continue;
      }
      shown[it.level]++;
      const props: string[] = [];
      if (it.location.file !== null) props.push(`file=${ghProperty(it.location.file)}`);
      if (it.location.line !== null) props.push(`line=${it.location.line}`);
      const title = set.reports.length > 1 ? `${it.planLabel}: ${it.title}` : it.title;
      props.push(`title=${ghProperty(visible(title))}`);
      out.push(`::${COMMAND[it.level]} ${props.join(",")}::${ghData(visible(it.message))}`);
    }
    if (left > 0) out.push(`::notice title=${ghProperty("blastgate")}::${ghData(`${left} more findings are not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level): see the job summary`)}`);
    return out.join("\n") + "\n";
  },
};
