// The hardening harness: runs one input through the whole pipeline (read -> graph + analysis -> report -> every
// format) and classifies the outcome as a report, a BlastgateError (exit 2), or a crash, checking on the way that
// nothing polluted a prototype and that a passing report did not drop a destructive change (fail-open).

import { readFileSync } from "node:fs";
import path from "node:path";
import { isBlastgateError, renderDiagnostic } from "../../src/diagnostics/index.js";
import { buildPlan } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/model.js";
import { analysePlan } from "../../src/pipeline.js";
import { baseVerdict, buildReport, type Report } from "../../src/report/document.js";
import { FORMATS } from "../../src/report/formats/index.js";
import { VERSION } from "../../src/version.js";
import { CORPUS, EXAMPLES, HAS_CORPUS, listJson } from "../helpers/paths.js";

/**
 * Runs per property: the CI default, or for a long run BLASTGATE_FUZZ_RUNS scaled by the property's CI share. The
 * cheap properties default to 1500 and get the full number; one that runs the whole CLI per case (defaulting to 60,
 * say) gets 60/1500 of it, so BLASTGATE_FUZZ_RUNS=100000 means 100,000 fuzz cases and 4,000 CLI runs.
 */
export function runs(ciDefault: number): number {
  const n = Number(process.env.BLASTGATE_FUZZ_RUNS ?? "");
  return Number.isFinite(n) && n > 0 ? Math.max(ciDefault, Math.round((n * ciDefault) / 1500)) : ciDefault;
}

/** A long run (BLASTGATE_FUZZ_RUNS set): the hostile suite also uses its largest sizes. */
export const LONG_RUN = Number(process.env.BLASTGATE_FUZZ_RUNS ?? 0) > 0;

/** The fixed seed of every property (BLASTGATE_FUZZ_SEED overrides it to explore). */
export const SEED = Number(process.env.BLASTGATE_FUZZ_SEED ?? 20261127);

// ---- inputs -------------------------------------------------------------------------------------------------

/** Decodes a plan file the way a careful reader would (BOMs, UTF-16), for mutation. */
export function decodeFile(file: string): string {
  const buf = readFileSync(file);
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  return buf.toString("utf8").replace(/^\uFEFF/, "");
}

export interface Seed {
  name: string;
  text: string;
}

/** Real plans to mutate: every examples/ plan, and the shared corpus's good plans when it is present. */
export function seedPlans(): Seed[] {
  const examples = listJson(EXAMPLES).filter((f) => path.basename(f) === "plan.json");
  const corpus = HAS_CORPUS ? listJson(CORPUS).filter((f) => !f.includes(`${path.sep}invalid${path.sep}`)) : [];
  return [...examples, ...corpus].map((f) => ({ name: path.relative(path.dirname(EXAMPLES), f), text: decodeFile(f) }));
}

/** Splits bytes into chunks of the given size (the reader sees chunk boundaries anywhere). */
export function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, Math.min(buf.length, i + size));
}

// ---- prototype pollution -------------------------------------------------------------------------------------

const PROTOS: [string, object][] = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Map.prototype", Map.prototype],
];

function protoSnapshot(): string {
  return PROTOS.map(([name, p]) => `${name}:${Reflect.ownKeys(p).map(String).sort().join(",")}`).join("\n");
}
const BASELINE = protoSnapshot();

/** Throws when a run left a property on a shared prototype. */
export function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || probe.isAdmin !== undefined || Object.getPrototypeOf(probe) !== Object.prototype) {
    throw new Error("prototype pollution: a plain object has inherited properties");
  }
  const now = protoSnapshot();
  if (now !== BASELINE) throw new Error(`prototype pollution: a built-in prototype changed\n${now}`);
}

// ---- one run -------------------------------------------------------------------------------------------------

export type Outcome =
  | { kind: "report"; plan: Plan; report: Report; outputs: Record<string, string>; ms: number }
  | { kind: "error"; code: string; text: string; ms: number }
  | { kind: "crash"; error: unknown; stage: string; ms: number };

export interface RunOptions {
  /** Chunk size the bytes are cut into (default 64 KiB). */
  chunkSize?: number;
  /** Render every format (default true). */
  render?: boolean;
  /** Name of the input in diagnostics. */
  file?: string;
}

/** Every registered format, whatever its exact render signature is at the moment (formats are being added). */
export function renderAll(report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of Object.values(FORMATS) as { id: string; render: (r: unknown, o: unknown) => string }[]) {
    out[`${f.id}`] = f.render(report, { color: false, width: 100 });
    if (f.id === "terminal") out["terminal+color"] = f.render(report, { color: true, width: 60 });
  }
  return out;
}

/** Load -> analysePlan -> buildReport -> render every format. Never throws: the outcome says what happened. */
export async function runPipeline(input: Buffer | Iterable<Buffer> | AsyncIterable<Buffer>, opts: RunOptions = {}): Promise<Outcome> {
  const t0 = performance.now();
  const ms = (): number => performance.now() - t0;
  const chunks = Buffer.isBuffer(input) ? chunked(input, opts.chunkSize ?? 64 * 1024) : input;
  let stage = "load";
  try {
    const plan = await buildPlan(chunks, { kind: "file", path: opts.file ?? "fuzz.json", encoding: "utf-8" }, { file: opts.file ?? "fuzz.json" });
    stage = "analyse";
    const { analysis } = analysePlan(plan);
    stage = "report";
    const report = buildReport(plan, analysis, VERSION, baseVerdict(plan));
    stage = "render";
    const outputs = opts.render === false ? {} : renderAll(report);
    return { kind: "report", plan, report, outputs, ms: ms() };
  } catch (e) {
    if (isBlastgateError(e)) return { kind: "error", code: e.diagnostic.code, text: renderDiagnostic(e.diagnostic), ms: ms() };
    return { kind: "crash", error: e, stage, ms: ms() };
  }
}

/**
 * Text that only an inherited Object.prototype member turned into a string produces (a lookup such as
 * `TABLE[name]` with name `constructor` or `toString` finds a built-in function instead of nothing).
 */
export function inheritedMemberIn(outputs: Record<string, string>): string | undefined {
  for (const [format, text] of Object.entries(outputs)) {
    const i = text.search(/\[native code\]|function (Object|toString|valueOf|hasOwnProperty)\(/);
    if (i >= 0) return `${format}: …${text.slice(Math.max(0, i - 120), i + 40)}…`;
  }
  return undefined;
}

export function describeCrash(o: Extract<Outcome, { kind: "crash" }>): string {
  const e = o.error;
  const msg = e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}\n${(e.stack ?? "").split("\n").slice(1, 8).join("\n")}` : String(e).slice(0, 300);
  return `crash in ${o.stage}: ${msg}`;
}

// ---- the fail-open oracle ------------------------------------------------------------------------------------

const KNOWN = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Independent of blastgate's reader: what a correct gate must report for a document that JSON.parse accepts.
 * Returns why the outcome fails open, or undefined. A report that passes must list every row whose actions
 * delete, forget or are unknown; a plan Terraform marks errored or incomplete must never pass.
 */
export function failOpen(text: string, outcome: Outcome): string | undefined {
  if (outcome.kind !== "report") return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined; // not JSON: judged by acceptsInvalidJson
  }
  if (!isObj(doc)) return "a document that is not a JSON object was read as a plan";
  const r = outcome.report;
  if ((doc.errored === true || doc.complete === false) && r.verdict.status === "pass") return "an errored or incomplete plan passed";
  const rows = Array.isArray(doc.resource_changes) ? doc.resource_changes : [];
  const listed = new Set(r.destructive.map((d) => `${d.address}\u0000${d.deposed ?? ""}`));
  let expected = 0;
  for (const row of rows) {
    if (!isObj(row) || !isObj(row.change) || !Array.isArray(row.change.actions)) continue;
    const actions = row.change.actions as unknown[];
    const destructive = actions.length === 0 || actions.some((a) => typeof a !== "string" || !KNOWN.has(a) || a === "delete" || a === "forget");
    if (!destructive) continue;
    expected++;
    if (typeof row.address === "string" && !listed.has(`${row.address}\u0000${typeof row.deposed === "string" ? row.deposed : ""}`)) {
      return `destructive row ${JSON.stringify(row.address).slice(0, 200)} is missing from the report`;
    }
  }
  if (r.destructive.length < expected) return `${expected} destructive rows, ${r.destructive.length} reported`;
  return undefined;
}

/** True when blastgate produced a report for text that is not valid JSON (a corrupted file must exit 2). */
export function acceptsInvalidJson(text: string, outcome: Outcome): boolean {
  if (outcome.kind !== "report") return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

// ---- counts --------------------------------------------------------------------------------------------------

export interface Tally {
  cases: number;
  reports: number;
  errors: number;
  crashes: number;
  hangs: number;
  leaks: number;
  failOpen: number;
  pollution: number;
  slowestMs: number;
  codes: Map<string, number>;
  /** Distinct failures by signature, with a count and one example input. */
  failures: Map<string, { count: number; example: string }>;
}

export function tally(): Tally {
  return { cases: 0, reports: 0, errors: 0, crashes: 0, hangs: 0, leaks: 0, failOpen: 0, pollution: 0, slowestMs: 0, codes: new Map(), failures: new Map() };
}

/**
 * BLASTGATE_FUZZ_COLLECT=1: keep going after a failure and list each distinct one at the end (for long runs that
 * should find every bug in one go); by default the first failure stops the property so fast-check shrinks it.
 */
export const COLLECT = process.env.BLASTGATE_FUZZ_COLLECT === "1";

/** Records a failure under a signature (its first line); throws unless collecting. */
export function failure(t: Tally, message: string, example: string): void {
  const sig = message.split("\n").slice(0, 3).join(" | ").slice(0, 300);
  const seen = t.failures.get(sig);
  if (seen) seen.count++;
  else t.failures.set(sig, { count: 1, example: example.slice(0, 2000) });
  if (!COLLECT) throw new Error(message);
}

export function listFailures(t: Tally): string {
  return [...t.failures].map(([sig, f]) => `  ${f.count}× ${sig}\n     e.g. ${f.example}`).join("\n");
}

export function count(t: Tally, o: Outcome): void {
  t.cases++;
  t.slowestMs = Math.max(t.slowestMs, o.ms);
  if (o.kind === "report") t.reports++;
  else if (o.kind === "error") {
    t.errors++;
    t.codes.set(o.code, (t.codes.get(o.code) ?? 0) + 1);
  } else t.crashes++;
}

/** One line a reader can quote: `[blastgate hardening] fuzz: 4000 cases (...), crashes 0, ...`. */
export function summaryLine(suite: string, t: Tally, extra = ""): string {
  const codes = [...t.codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}×${n}`).join(" ");
  return (
    `[blastgate hardening] ${suite}: ${t.cases} cases (${t.reports} reports, ${t.errors} exit-2 errors${codes ? `: ${codes}` : ""}), ` +
    `crashes ${t.crashes}, hangs ${t.hangs}, leaks ${t.leaks}, fail-open ${t.failOpen}, pollution ${t.pollution}, slowest ${Math.round(t.slowestMs)} ms, seed ${SEED}${extra ? `, ${extra}` : ""}`
  );
}
