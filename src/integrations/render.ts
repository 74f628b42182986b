// Rendering for the CI entry points: the report formats by id from the registry, several plans as one set, and
// small fallbacks for the two formats CI cannot do without (markdown for comments and summaries, github for
// annotations) so an older or partial registry still gives a usable comment.

import type { Report } from "../report/document.js";
import { FORMATS } from "../report/formats/index.js";
import { MARKER } from "./comment.js";
import { escapeMarkdownInline } from "./context.js";
import { workflowCommand as workflowCommandFor } from "./github.js";

/** Options every format accepts (extra ones are ignored by formats that do not read them). */
export interface CiRenderOptions {
  color: boolean;
  width: number;
  maxChars?: number;
  fullReport?: string;
}

interface AnyFormat {
  id: string;
  extension?: string;
  render(input: unknown, options: CiRenderOptions): string;
}

function registry(): Record<string, AnyFormat | undefined> {
  return FORMATS as unknown as Record<string, AnyFormat | undefined>;
}

/** True when the registry has the format. */
export function hasFormat(id: string): boolean {
  return registry()[id] !== undefined;
}

/** The ids the registry offers. */
export function formatIds(): string[] {
  return Object.keys(FORMATS);
}

/** The overall verdict of several plans: fail when any fails. */
export function overallStatus(reports: readonly Report[]): "pass" | "fail" {
  return reports.some((r) => r.verdict.status === "fail") ? "fail" : "pass";
}

/** A set of plans in the shape the formats render (src/report/report-set.ts), or the one report itself. */
export function reportInput(reports: readonly Report[]): unknown {
  if (reports.length === 1) return reports[0];
  const reasons: string[] = [];
  reports.forEach((r, i) => {
    for (const reason of r.verdict.reasons) reasons.push(`${r.plan.source.path ?? `plan ${i + 1}`}: ${reason}`);
  });
  return {
    schema_version: "1.0",
    tool: { name: "blastgate", version: reports[0]?.tool.version ?? "0.0.0" },
    verdict: { status: overallStatus(reports), reasons },
    reports: [...reports],
  };
}

/**
 * Renders with the registry's format; for several plans, as a set when the format takes one, else each plan in turn.
 * Returns undefined when the registry has no such format.
 */
export function renderWith(id: string, reports: readonly Report[], options: CiRenderOptions): string | undefined {
  const f = registry()[id];
  if (!f) return undefined;
  if (reports.length === 1) return f.render(reports[0], options);
  try {
    return f.render(reportInput(reports), options);
  } catch {
    // A registry whose formats take one report only.
    return reports.map((r) => f.render(r, options)).join("\n");
  }
}

/** The file extension for a format's output. */
export function extensionOf(id: string): string {
  const f = registry()[id];
  if (f?.extension) return f.extension;
  const known: Record<string, string> = { json: "json", sarif: "sarif", junit: "xml", markdown: "md", gitlab: "json", "gitlab-terraform": "json", html: "html", dot: "dot", mermaid: "mmd" };
  return known[id] ?? "txt";
}

const KIND_WORDS: Record<string, string> = {
  delete: "delete",
  "replace-delete-first": "replace (delete first)",
  "replace-create-first": "replace (create first)",
  forget: "forget",
  "forget-replace": "forget and replace",
};

/** A minimal pull-request comment: verdict, counts, destroyed and replaced resources (used when the registry has no markdown format). */
export function fallbackMarkdown(reports: readonly Report[]): string {
  const status = overallStatus(reports);
  const lines = [MARKER, `### blastgate: ${status === "pass" ? "✅ the gate passes" : "❌ the gate fails"}`, ""];
  reports.forEach((r, i) => {
    if (reports.length > 1) lines.push(`#### ${escapeMarkdownInline(r.plan.source.path ?? `plan ${i + 1}`)}: ${r.verdict.status}`, "");
    const s = r.summary;
    const replaced = s["replace-delete-first"] + s["replace-create-first"] + s["forget-replace"];
    lines.push(`${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${replaced} to replace; ${r.destructive.length} destructive.`, "");
    for (const reason of r.verdict.reasons) lines.push(`- ${escapeMarkdownInline(reason)}`);
    if (r.verdict.reasons.length) lines.push("");
    if (r.destructive.length) {
      lines.push("| resource | action | why |", "|---|---|---|");
      for (const d of r.destructive.slice(0, 50)) {
        const cell = (x: string): string => escapeMarkdownInline(x).replace(/\n/g, " ");
        lines.push(`| ${cell(d.address)} | ${KIND_WORDS[d.kind] ?? d.kind} | ${cell(d.explanation)} |`);
      }
      if (r.destructive.length > 50) lines.push("", `…and ${r.destructive.length - 50} more (see the full report).`);
      lines.push("");
    }
  });
  return lines.join("\n") + "\n";
}

/** Minimal annotations: one per failing reason and per destructive change (used when the registry has no github format). */
export function fallbackAnnotations(reports: readonly Report[]): string {
  const out: string[] = [];
  for (const r of reports) {
    const level = r.verdict.status === "fail" ? "error" : "warning";
    for (const reason of r.verdict.reasons) out.push(workflowCommandFor("error", reason, { title: "blastgate: the gate fails" }));
    for (const d of r.destructive) out.push(workflowCommandFor(level, `${d.address}: ${d.explanation}`, { title: `blastgate: ${KIND_WORDS[d.kind] ?? d.kind}` }));
  }
  return out.length ? out.join("\n") + "\n" : "";
}
