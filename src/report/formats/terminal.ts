// `terminal`: the human report: verdict first, then counts, then every destructive change with its reason.

import type { ChangeKind } from "../../plan/actions.js";
import type { Report } from "../document.js";
import type { RenderOptions, ReportFormat } from "./types.js";

/** Removes control characters (an instance key can hold an ANSI escape) so plan data cannot drive the terminal. */
export function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const KIND_LABEL: Record<ChangeKind, string> = {
  create: "create",
  read: "read",
  update: "update in place",
  delete: "DELETE",
  "replace-delete-first": "REPLACE (delete first)",
  "replace-create-first": "REPLACE (create first)",
  forget: "FORGET",
  "forget-replace": "FORGET + create",
  "no-op": "no change",
  import: "import",
  move: "move",
  unknown: "UNKNOWN ACTION",
};

function paint(on: boolean, code: string, s: string): string {
  return on ? `\x1b[${code}m${s}\x1b[0m` : s;
}

/** Wraps text to the width, indenting continuation lines. */
function wrap(text: string, width: number, indent: string): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.trim() !== "" && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + "  " + w;
    } else line += (line.trim() === "" ? "" : " ") + w;
  }
  lines.push(line);
  return lines.join("\n");
}

export const terminal: ReportFormat = {
  id: "terminal",
  description: "a readable report for a terminal (colour on a TTY unless NO_COLOR is set)",
  render(report: Report, { color, width }: RenderOptions): string {
    const out: string[] = [];
    const w = Math.max(40, width);
    const v = report.verdict;
    out.push(v.status === "pass" ? paint(color, "1;32", "PASS") + "  blastgate: the gate passes" : paint(color, "1;31", "FAIL") + "  blastgate: the gate fails");
    for (const r of v.reasons) out.push(wrap(`- ${clean(r)}`, w, "  "));
    const p = report.plan;
    out.push("");
    out.push(
      `Plan: ${clean(p.source.path ?? p.source.kind)} (format ${clean(p.format_version)}${p.terraform_version ? `, ${p.tool === "opentofu" ? "OpenTofu" : "Terraform"} ${clean(p.terraform_version)}` : ""})`,
    );
    const s = report.summary;
    const parts = (Object.keys(KIND_LABEL) as ChangeKind[]).filter((k) => s[k] > 0).map((k) => `${s[k]} ${KIND_LABEL[k]}`);
    out.push(`Changes: ${s.total} resource change${s.total === 1 ? "" : "s"}${parts.length ? ": " + parts.join(", ") : ""}`);
    out.push("");
    const d = report.destructive;
    if (d.length === 0) out.push(paint(color, "32", "No destructive changes: nothing is deleted, replaced or forgotten."));
    else {
      out.push(paint(color, "1;33", `Destructive changes (${d.length}):`));
      for (const c of d) {
        const label = KIND_LABEL[c.kind];
        out.push(`  ${paint(color, "1;31", label.padEnd(24))} ${clean(c.address)}${c.deposed ? ` (deposed object ${clean(c.deposed)})` : ""}`);
        const reason = c.action_reason ? `${c.action_reason}: ${c.explanation}` : c.explanation;
        out.push(wrap(`why: ${clean(reason)}`, w, "      "));
        if (c.replace_paths.length > 0) out.push(wrap(`forced by: ${c.replace_paths.map(clean).join(", ")}`, w, "      "));
      }
    }
    const notes = report.notes;
    if (notes.length > 0) {
      out.push("");
      out.push("Notes:");
      for (const n of notes) out.push(wrap(`- ${n.severity}[${n.code}]: ${clean(n.message)}`, w, "  "));
    }
    return out.join("\n") + "\n";
  },
};
