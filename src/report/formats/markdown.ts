// `markdown`: a pull-request comment. Verdict and counts first, then a table of destructive changes with reasons,
// then root causes and blast radius (with a Mermaid diagram) in collapsible <details>, then policy and the rest.
// A size budget (default: GitHub's 65,536 characters) is filled in that order of importance; what does not fit is
// named at the end with where the full report is. Never fails, never splits. Every piece of plan data is escaped.

import type { Severity } from "../../analysis/types.js";
import type { ChangeKind } from "../../plan/actions.js";
import { adviceFor } from "../advice.js";
import { blastGraph, mainBlastRadius } from "../blast-graph.js";
import type { Report, ReportDestructive } from "../document.js";
import { describeLocation, locate } from "../locate.js";
import { asReportSet, planLabel, type ReportInput } from "../report-set.js";
import type { SourceIndex } from "../source-locations.js";
import { md, mdCode, plural, truncate } from "../text.js";
import { mermaidFlowchart } from "./mermaid.js";
import type { RenderOptions, ReportFormat } from "./types.js";

/** The hidden first line a bot looks for to update its previous comment instead of adding one. */
export const MARKDOWN_MARKER = "<!-- blastgate-report -->";

/** Comment size limits of the hosts (characters): what `--comment-limit` accepts by name. */
export const COMMENT_LIMITS = { github: 65_536, gitlab: 1_000_000, bitbucket: 32_768 } as const;
export const DEFAULT_MAX_CHARS = COMMENT_LIMITS.github;

/** Parses a `--comment-limit` value: a host name (`github`, `gitlab`, `bitbucket`) or a number of characters. */
export function parseCommentLimit(value: string): number | undefined {
  const named = (COMMENT_LIMITS as Record<string, number>)[value.trim().toLowerCase()];
  if (named !== undefined) return named;
  const n = Number(value.replace(/[_,]/g, ""));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const KIND_TEXT: Readonly<Record<ChangeKind, string>> = {
  create: "create",
  read: "read",
  update: "update",
  delete: "**delete**",
  "replace-delete-first": "**replace** (delete first)",
  "replace-create-first": "**replace** (create first)",
  forget: "**forget**",
  "forget-replace": "**forget** + create",
  "no-op": "no change",
  import: "import",
  move: "move",
  unknown: "**unknown action**",
};
const SUMMARY_TEXT: Readonly<Record<ChangeKind, string>> = {
  create: "create",
  read: "read",
  update: "update in place",
  delete: "delete",
  "replace-delete-first": "replace (delete first)",
  "replace-create-first": "replace (create first)",
  forget: "forget",
  "forget-replace": "forget + create",
  "no-op": "no change",
  import: "import",
  move: "move",
  unknown: "unknown action",
};
const SEVERITY_ICON: Readonly<Record<Severity, string>> = { critical: "🔴 critical", high: "🟠 high", medium: "🟡 medium", low: "🔵 low", info: "⚪ info" };
/** Longest plan-provided string printed in one place (an address can be very long). */
const MAX_TEXT = 400;
/** Most verdict reasons and headline findings printed per plan. */
const MAX_HEAD_ITEMS = 10;
/** Most blast-radius nodes in a Markdown diagram (GitHub renders large Mermaid graphs slowly, or not at all). */
const DIAGRAM_NODES = 40;
const PATHS_PER_CHANGE = 10;

const t = (s: string, max = MAX_TEXT): string => md(truncate(s, max));
const code = (s: string, max = MAX_TEXT): string => mdCode(truncate(s, max));

/** A piece of output at a position; pieces are chosen by importance and printed by position. */
interface Piece {
  pos: number[];
  text: string;
}

function comparePos(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** A section being filled: what it holds and how far it got. */
interface Section {
  pos: number[];
  items: readonly string[];
  close: string;
  what: string;
  opened: boolean;
  next: number;
}

/** Fills a character budget piece by piece, in the order pieces are offered, and remembers what did not fit. */
class Budget {
  readonly pieces: Piece[] = [];
  used = 0;
  private readonly sections: Section[] = [];
  private readonly dropped: string[] = [];
  constructor(readonly limit: number) {}
  fits(n: number): boolean {
    return this.used + n <= this.limit;
  }
  add(pos: number[], text: string): boolean {
    if (!this.fits(text.length)) return false;
    this.pieces.push({ pos, text });
    this.used += text.length;
    return true;
  }
  /** Notes a piece that did not fit. */
  drop(what: string): void {
    this.dropped.push(what);
  }
  /**
   * A section with an opening, items and a closing: opened only if the opening, the first item and the closing fit;
   * then items are added while they fit and, with `cap`, while the section's items stay under `cap` characters.
   * `resume` adds more later (at their own positions, so the output order does not change).
   */
  section(pos: number[], open: string, items: readonly string[], close: string, what: string, cap = Infinity): Section {
    const s: Section = { pos, items, close, what, opened: false, next: 0 };
    if (items.length === 0) return s;
    this.sections.push(s);
    if (!this.fits(open.length + items[0]!.length + close.length)) return s;
    this.add([...pos, 0], open);
    this.add([...pos, 2], close);
    s.opened = true;
    this.resume(s, cap);
    return s;
  }
  /** Resumes every section, in the order they were offered, without caps. */
  resumeAll(): void {
    for (const s of this.sections) this.resume(s);
  }
  resume(s: Section, cap = Infinity): void {
    if (!s.opened) return;
    let spent = 0;
    for (; s.next < s.items.length; s.next++) {
      const item = s.items[s.next]!;
      if (spent + item.length > cap || !this.add([...s.pos, 1, s.next], item)) break;
      spent += item.length;
    }
  }
  /** What was left out, in the order sections were offered. */
  omitted(): string[] {
    const out = [...this.dropped];
    for (const s of this.sections) {
      if (!s.opened) out.push(s.what);
      else if (s.next < s.items.length) out.push(`${s.items.length - s.next} of ${s.items.length} ${s.what}`);
    }
    return out;
  }
}

function countsLine(r: Report): string {
  const s = r.summary;
  const parts = (Object.keys(SUMMARY_TEXT) as ChangeKind[]).filter((k) => s[k] > 0 && k !== "no-op").map((k) => `${s[k]} ${SUMMARY_TEXT[k]}`);
  const destroys = r.destructive.length;
  return `**${plural(destroys, "destructive change")}** of ${plural(s.total, "resource change")}${parts.length ? ` (${parts.join(", ")})` : ""} · risk **${r.analysis.severity}** (score ${r.analysis.score}/100)`;
}

function verdictHeading(status: "pass" | "fail", level: string, label?: string): string {
  const what = status === "pass" ? "✅ blastgate: PASS" : "🛑 blastgate: STOP, do not apply this plan";
  return `${level} ${what}${label ? ` · ${label}` : ""}\n`;
}

/** The always-shown head of one plan: counts, verdict reasons, failing rules, headline findings. */
function headOf(r: Report): string {
  const out: string[] = [countsLine(r), ""];
  const reasons = r.verdict.reasons.slice(0, MAX_HEAD_ITEMS).map((x) => `- ${t(x)}`);
  if (r.verdict.reasons.length > MAX_HEAD_ITEMS) reasons.push(`- and ${r.verdict.reasons.length - MAX_HEAD_ITEMS} more reasons`);
  // A failing rule the verdict reasons already name is not listed twice.
  const failing = (r.policy?.results ?? []).filter((x) => x.status === "fail" && !r.verdict.reasons.some((reason) => reason.includes(x.rule)));
  const rules = failing.slice(0, MAX_HEAD_ITEMS).map((x) => `- policy rule ${code(x.rule, 120)} fails: ${t(x.message)}`);
  if (failing.length > MAX_HEAD_ITEMS) rules.push(`- and ${failing.length - MAX_HEAD_ITEMS} more failing rules`);
  const headline = r.findings.filter((f) => f.severity === "critical" || f.severity === "high");
  const findings = headline.slice(0, MAX_HEAD_ITEMS).map((f) => `- **${f.severity}**: ${t(f.message)}${f.suggestion ? `<br>→ ${t(f.suggestion)}` : ""}`);
  const list = [...reasons, ...rules, ...findings];
  if (list.length > 0) out.push(...list, "");
  if (r.policy && !r.policy.results.some((x) => x.status === "fail")) out.push(`Policy: **${r.policy.status}** (${plural(r.policy.results.length, "rule")}).`, "");
  return out.join("\n") + "\n";
}

/** Short reasons for the table (the explanation is long and the same for many rows). */
const SHORT_REASON: Readonly<Record<string, string>> = {
  replace_because_cannot_update: "cannot be updated in place",
  replace_because_tainted: "tainted",
  replace_by_request: "-replace requested",
  replace_by_triggers: "replace_triggered_by changed",
  delete_because_no_resource_config: "block removed from the configuration",
  delete_because_wrong_repetition: "switched between count, for_each and neither",
  delete_because_count_index: "count index out of range",
  delete_because_each_key: "for_each key removed",
  delete_because_no_module: "module instance removed",
  delete_because_no_move_target: "moved to an address without configuration",
  delete_because_enabled_false: "enabled = false",
  forgot_because_lifecycle_destroy_in_state: "lifecycle destroy = false (state)",
  forgot_because_lifecycle_destroy_in_config: "lifecycle destroy = false",
};

function whyOf(d: ReportDestructive): string {
  let why = (d.action_reason && Object.hasOwn(SHORT_REASON, d.action_reason) ? SHORT_REASON[d.action_reason] : undefined) ?? d.explanation;
  if (d.replace_paths.length > 0) why += `; forced by ${d.replace_paths.slice(0, 5).join(", ")}${d.replace_paths.length > 5 ? ", …" : ""}`;
  if (d.prevent_destroy) why += "; has prevent_destroy";
  return t(why, 300);
}

function radiusCell(d: ReportDestructive): string {
  if (d.blast_radius_total === 0) return "none";
  return `${d.blast_radius_total}${d.blast_radius_covered > 0 ? ` (${d.blast_radius_covered} via other destroys)` : ""}`;
}

function tableRows(r: Report, sources: SourceIndex | undefined): string[] {
  return r.destructive.map((d) => {
    let res = code(d.address);
    if (d.deposed) res += ` (deposed ${code(d.deposed, 40)})`;
    if (sources) {
      const loc = locate(r, sources, d.address);
      if (loc.from === "source") res += `<br><sub>${t(describeLocation(loc), 200)}</sub>`;
    }
    const loss = d.risk.data_loss === "none" ? "none" : `**${d.risk.data_loss}**${d.risk.reasons[0] ? `<br><sub>${t(d.risk.reasons[0], 160)}</sub>` : ""}`;
    return `| ${SEVERITY_ICON[d.severity]} | ${KIND_TEXT[d.kind]} | ${res} | ${whyOf(d)} | ${loss} | ${radiusCell(d)} |\n`;
  });
}

function pathLine(e: ReportDestructive["blast_radius"][number]): string {
  let s = code(e.path[0] ?? "", 200);
  for (let k = 1; k < e.path.length; k++) s += ` → ${code(e.path[k]!, 200)} <sub>(${t(e.via[k - 1] ?? "", 80)})</sub>`;
  return `- **${e.impact}**: ${s}\n`;
}

/**
 * First pass: the destructive-change tables may take this share of the budget, and every other section this share,
 * so root causes and blast radius always get some room; a second pass gives what is left to the sections in order
 * of importance (tables first).
 */
const TABLE_SHARE = 0.6;
const SECTION_SHARE = 0.05;

function renderReportPieces(b: Budget, r: Report, p: number, sources: SourceIndex | undefined, multi: boolean, stage: number, caps: { table: number; section: number }): void {
  const where = multi ? ` in plan ${p + 1}` : "";
  if (stage === 1) {
    b.section(
      [p, 1],
      `\n#### Destructive changes (${r.destructive.length})\n\n| Severity | Action | Resource | Why | Data loss | Dependents |\n| --- | --- | --- | --- | --- | --- |\n`,
      tableRows(r, sources),
      "",
      `destructive changes${where}`,
      caps.table,
    );
  }
  if (stage === 2) {
    const causes = r.root_causes.map((c) => `- ${t(c.summary)}${c.chain.length > 1 ? `<br>chain: ${c.chain.slice(0, 8).map((x) => code(x, 200)).join(" → ")}` : ""}\n`);
    b.section([p, 2], `\n<details><summary>Root causes (${r.root_causes.length})</summary>\n\n`, causes, "\n</details>\n", `root causes${where}`, caps.section);
    const main = mainBlastRadius(r);
    if (main) {
      const g = blastGraph(r, { focus: main, maxNodes: DIAGRAM_NODES });
      const open = `\n<details><summary>Blast radius of ${code(main.address, 200)}: ${plural(main.blast_radius_total, "dependent")}</summary>\n\n`;
      const diagram = "```mermaid\n" + mermaidFlowchart(g) + "```\n\n";
      const paths = main.blast_radius.slice(0, 50).map(pathLine);
      const items = b.fits(open.length + diagram.length + 20) ? [diagram, ...paths] : paths;
      b.section([p, 3], open, items, "\n</details>\n", `blast-radius paths of the main change${where}`, Math.max(caps.section, diagram.length + 1));
    }
  }
  if (stage === 3) {
    const main = mainBlastRadius(r);
    const others = r.destructive.filter((d) => d.blast_radius.length > 0 && d !== main);
    const items = others.map((d) => {
      const lines = d.blast_radius.slice(0, PATHS_PER_CHANGE).map(pathLine).join("");
      const more = d.blast_radius_total > Math.min(PATHS_PER_CHANGE, d.blast_radius.length) ? `- and ${d.blast_radius_total - Math.min(PATHS_PER_CHANGE, d.blast_radius.length)} more\n` : "";
      return `\n${code(d.address)} (${plural(d.blast_radius_total, "dependent")}):\n\n${lines}${more}`;
    });
    b.section([p, 4], `\n<details><summary>Blast radius of the other destructive changes (${others.length})</summary>\n`, items, "\n</details>\n", `blast radii of other changes${where}`, caps.section);
    const advice = [...new Set(r.destructive.flatMap((d) => adviceFor(d)))].map((a) => `- ${t(a)}\n`);
    b.section([p, 5], `\n<details><summary>What to do instead</summary>\n\n`, advice, "\n</details>\n", `suggestions${where}`, caps.section);
  }
  if (stage === 4) {
    if (r.policy) {
      const order = { fail: 0, warn: 1, waived: 2, approved: 3, pass: 4 } as const;
      const rows = [...r.policy.results]
        .sort((a, b2) => order[a.status] - order[b2.status] || (a.rule < b2.rule ? -1 : a.rule > b2.rule ? 1 : 0))
        .map((x) => {
          const measured = x.measured !== null || x.limit !== null ? `${t(String(x.measured ?? "?"), 40)} / ${t(String(x.limit ?? "?"), 40)}` : "";
          const on = x.addresses.slice(0, 3).map((a) => code(a, 200)).join(", ") + (x.addresses.length > 3 ? `, and ${x.addresses.length - 3} more` : "");
          return `| **${x.status}** | ${code(x.rule, 120)} | ${t(x.message, 300)} | ${measured} | ${on} |\n`;
        });
      const intent =
        (r.policy.allowed_by_intent.length ? `\nAllowed by declared intent: ${plural(r.policy.allowed_by_intent.length, "destroy")}.\n` : "") +
        (r.policy.outside_intent.length ? `\nOutside the declared intent: ${r.policy.outside_intent.slice(0, 10).map((a) => code(a, 200)).join(", ")}${r.policy.outside_intent.length > 10 ? `, and ${r.policy.outside_intent.length - 10} more` : ""}.\n` : "") +
        (r.policy.fingerprint ? `\nPlan fingerprint (what an approval binds to): ${code(r.policy.fingerprint, 100)}\n` : "") +
        policyNotes(r.policy.notes);
      b.section(
        [p, 6],
        `\n<details><summary>Policy: ${r.policy.status} (${plural(r.policy.results.length, "rule")})</summary>\n\n| Status | Rule | Result | Measured / limit | On |\n| --- | --- | --- | --- | --- |\n`,
        rows,
        `${intent}\n</details>\n`,
        `policy results${where}`,
        caps.section,
      );
    }
    const rest: string[] = [];
    for (const f of r.findings.filter((x) => x.severity !== "critical" && x.severity !== "high")) rest.push(`- ${f.severity}: ${t(f.message)}${f.suggestion ? `<br>→ ${t(f.suggestion)}` : ""}\n`);
    for (const u of r.unresolved) rest.push(`- unresolved reference from ${code(u.from, 200)}: ${code(u.reference, 200)} (${t(u.why, 200)}); the blast radius may miss dependents through it\n`);
    for (const n of r.notes) rest.push(`- ${n.severity} ${code(n.code, 20)}: ${t(n.message)}\n`);
    b.section([p, 7], `\n<details><summary>Other findings and notes (${rest.length})</summary>\n\n`, rest, "\n</details>\n", `other findings and notes${where}`, caps.section);
  }
}

function planHeading(r: Report, i: number, n: number): string {
  return `\n### Plan ${i + 1} of ${n}: ${code(planLabel(r, i), 200)}: ${r.verdict.status === "pass" ? "✅ pass" : "🛑 **fail**"}\n\n`;
}

function footer(set: ReturnType<typeof asReportSet>, omitted: readonly string[], limit: number, options: RenderOptions): string {
  const full = options.fullReport ? t(options.fullReport, 500) : "run `blastgate check` with `--format json` or `--format html` (or see this job's artifacts)";
  const lines = ["\n---\n"];
  if (omitted.length > 0) lines.push(`**Left out to fit the ${limit.toLocaleString("en-US")}-character comment limit:** ${omitted.map((o) => t(o, 200)).join("; ")}. The full report: ${full}.\n\n`);
  const plans = set.reports.map((r, i) => code(planLabel(r, i), 200)).join(", ");
  lines.push(`<sub>blastgate ${t(set.tool.version, 40)} · ${set.reports.length === 1 ? "plan" : "plans"} ${plans} · values are never shown</sub>\n`);
  return lines.join("");
}

/** Renders the comment within `maxChars` (default 65,536). */
export function renderMarkdown(input: ReportInput, options: RenderOptions): string {
  const set = asReportSet(input);
  const limit = Math.max(1, Math.floor(options.maxChars ?? DEFAULT_MAX_CHARS));
  const multi = set.reports.length > 1;
  // The footer is written last but its room is kept from the start: its longest form names every section.
  const worstFooter = footer(set, Array.from({ length: 8 * set.reports.length }, () => "x".repeat(60)), limit, options).length;
  const b = new Budget(limit - Math.min(worstFooter, Math.floor(limit / 2)));
  const head =
    MARKDOWN_MARKER +
    "\n" +
    verdictHeading(set.verdict.status, "##") +
    "\n" +
    (multi
      ? `${plural(set.reports.length, "plan")}, ${set.reports.filter((r) => r.verdict.status === "fail").length} failing · ${plural(
          set.reports.reduce((a, r) => a + r.destructive.length, 0),
          "destructive change",
        )} in all\n`
      : headOf(set.reports[0]!));
  b.add([-1], head);
  if (multi) set.reports.forEach((r, i) => b.add([i, 0], planHeading(r, i, set.reports.length) + headOf(r)) || b.drop(`the summary of plan ${i + 1}`));
  // Tables first but capped, so the root causes and blast radius get room; then the tables take what is left.
  const caps = { table: Math.floor((b.limit * TABLE_SHARE) / set.reports.length), section: Math.floor((b.limit * SECTION_SHARE) / set.reports.length) };
  for (const stage of [1, 2, 3, 4]) set.reports.forEach((r, i) => renderReportPieces(b, r, i, options.sources?.[i], multi, stage, caps));
  b.resumeAll();
  const body = b.pieces
    .sort((x, y) => comparePos(x.pos, y.pos))
    .map((x) => x.text)
    .join("");
  const omitted = b.omitted();
  const out = body + footer(set, omitted, limit, options);
  if (out.length <= limit) return out;
  const short = body + footer(set, omitted.length > 0 ? ["some sections"] : [], limit, options);
  if (short.length <= limit) return short;
  // Only for absurdly small limits: the marker and the verdict, cut to fit.
  const minimal = `${MARKDOWN_MARKER}\n${verdictHeading(set.verdict.status, "##")}\nThe report does not fit in ${limit} characters; see the full report.\n`;
  return minimal.length <= limit ? minimal : truncate(minimal, limit);
}

export const markdown: ReportFormat = {
  id: "markdown",
  description: "a pull-request comment: verdict, table of destructive changes, root causes and blast radius, within a size limit",
  extension: "md",
  render: renderMarkdown,
};

/** The verdict's own notes (an approval found or rejected, trailers not read, ...), the first ten, as a list. */
function policyNotes(notes: readonly string[]): string {
  if (notes.length === 0) return "";
  const shown = notes.slice(0, 10).map((n) => `- ${t(n, 300)}\n`);
  return `\nNotes:\n\n${shown.join("")}${notes.length > 10 ? `- and ${notes.length - 10} more (see the JSON report)\n` : ""}`;
}
