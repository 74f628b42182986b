// Each stage of blastgate through the library API, in one child process per plan (run with --expose-gc):
//   node --expose-gc bench/data/build/stages.js PLAN DIST_DIR
// Prints one JSON line: { stages: [{ name, status, ms, peakRssKB, retainedMiB, note? }] }.
//
// A stage is one entry in STAGES. Stages whose module is not in dist/ yet are reported as "not built yet" and picked
// up as soon as the module lands (after `npm run build`); if its API differs from the guess here, the row says so
// ("no export ..." or the error) and the entry is the one place to adjust.

import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Fn = (...args: unknown[]) => unknown;

interface FlowStages {
  graph(plan: unknown, sources: unknown): unknown;
  analyse(plan: unknown, graphs: unknown): unknown;
  policies(opts: unknown): Promise<unknown>;
  policy(plan: unknown, analysis: unknown, policies: unknown, opts: unknown): Promise<unknown>;
  report(plan: unknown, analysis: unknown, verdict: unknown, policy: unknown): unknown;
  render(input: unknown, format: string, options: unknown): unknown;
}

async function flowStages(load: (module: string) => Promise<Record<string, unknown>>): Promise<FlowStages> {
  return (await load("cli/flow.js")).DEFAULT_STAGES as FlowStages;
}

interface Ctx {
  file: string;
  /** An empty folder: the built-in policy set and no git history. */
  cwd: string;
  report?: unknown;
  plan?: unknown;
  graph?: unknown;
  analysis?: unknown;
  verdict?: unknown;
}

interface StageDef {
  name: string;
  /** Module under dist/ the stage needs; absent for stages that need nothing of blastgate. */
  module?: string;
  /** Export names tried in order; the first that is a function is passed to run. */
  exports?: string[];
  run(fn: Fn | undefined, ctx: Ctx, load: (module: string) => Promise<Record<string, unknown>>): Promise<string | void>;
  /**
   * Pure stages whose result does not feed on itself are timed REPEATS times and the fastest run kept: a stage of a
   * few tens of ms is otherwise mostly timer and GC noise, which made the 120k-vs-10k scaling ratio flip between runs.
   */
  repeat?: boolean;
}

const REPEATS = 5;

const CHUNK = 4 * 1024 * 1024;

export const STAGES: StageDef[] = [
  {
    name: "load",
    // The bytes alone, read as the reader reads them: the I/O part of the model stage.
    async run(_fn, ctx) {
      const fh = await open(ctx.file, "r");
      try {
        for (;;) {
          const buf = Buffer.allocUnsafe(CHUNK);
          const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
          if (bytesRead === 0) break;
        }
      } finally {
        await fh.close();
      }
    },
  },
  {
    name: "model",
    module: "plan/read.js",
    exports: ["loadPlan"],
    async run(fn, ctx) {
      ctx.plan = await fn!(ctx.file);
    },
  },
  // The remaining stages are the CLI's own (DEFAULT_STAGES in cli/flow.js), called as runFlow calls them, so the
  // stage table measures what `check` runs.
  {
    name: "graph",
    module: "cli/flow.js",
    repeat: true,
    async run(_fn, ctx, load) {
      ctx.graph = (await flowStages(load)).graph(ctx.plan, undefined);
    },
  },
  {
    name: "analyse",
    module: "cli/flow.js",
    repeat: true,
    async run(_fn, ctx, load) {
      ctx.analysis = (await flowStages(load)).analyse(ctx.plan, ctx.graph);
      const a = ctx.analysis as { destructive?: { radiusTotal?: number }[] } | undefined;
      if (Array.isArray(a?.destructive)) return `${a.destructive.length} destructive, ${a.destructive.reduce((n, d) => n + (d.radiusTotal ?? 0), 0)} radius entries`;
    },
  },
  {
    name: "policy",
    module: "cli/flow.js",
    async run(_fn, ctx, load) {
      // The built-in set, as in an empty folder (run.ts runs check in one): no ./policies, no git history.
      const stages = await flowStages(load);
      const opts = { dirs: [], failOn: "fail", allowDestroy: [], commitMessages: [], cwd: ctx.cwd, now: new Date() };
      const policies = await stages.policies(opts);
      ctx.verdict = await stages.policy(ctx.plan, ctx.analysis, policies, opts);
    },
  },
  {
    name: "report",
    module: "cli/flow.js",
    repeat: true,
    async run(_fn, ctx, load) {
      const stages = await flowStages(load);
      const verdictOf = (await load("cli/flow.js")).verdictOf as Fn;
      const outcome = ctx.verdict as { policy: unknown };
      // The verdict as runFlow makes it (flow.ts verdictOf).
      ctx.report = stages.report(ctx.plan, ctx.analysis, verdictOf(ctx.plan, outcome), outcome.policy);
    },
  },
  {
    name: "render",
    module: "cli/flow.js",
    repeat: true,
    async run(_fn, ctx, load) {
      // The JSON format renders in pieces while it is written (the CLI never holds the whole text): count their bytes.
      const out = (await flowStages(load)).render(ctx.report, "json", { color: false, width: 100 });
      let bytes = 0;
      for (const piece of typeof out === "string" ? [out] : (out as Iterable<string>)) bytes += Buffer.byteLength(piece);
      return `${(bytes / 1048576).toFixed(1)} MiB of JSON`;
    },
  },
];

export interface StageResult {
  name: string;
  status: "ok" | "not built yet" | "error";
  ms?: number;
  cpuMs?: number;
  /** Minor page faults during the timed run (fresh memory the kernel maps in: ~12 µs each on this VM). */
  minorFaults?: number;
  /** Peak RSS of the process so far (cumulative: the peak up to the end of this stage). */
  peakRssKB?: number;
  /** Runs timed (the fastest is reported) for a repeated stage. */
  repeats?: number;
  /** Heap + external memory still held after this stage and a full GC. */
  retainedMiB?: number;
  note?: string;
}

function retained(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 1048576;
}

async function main(file: string, dist: string): Promise<void> {
  const load = async (module: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(path.join(dist, module)).href)) as Record<string, unknown>;
  const cwd = mkdtempSync(path.join(os.tmpdir(), "blastgate-bench-stages-"));
  const ctx: Ctx = { file, cwd };
  const results: StageResult[] = [];
  let broken = false;
  for (const stage of STAGES) {
    if (stage.module !== undefined && !existsSync(path.join(dist, stage.module))) {
      results.push({ name: stage.name, status: "not built yet", note: `dist/${stage.module} does not exist` });
      continue;
    }
    if (broken) {
      results.push({ name: stage.name, status: "error", note: "skipped: an earlier stage failed" });
      continue;
    }
    let fn: Fn | undefined;
    if (stage.module !== undefined) {
      const mod = await load(stage.module);
      const name = (stage.exports ?? []).find((e) => typeof mod[e] === "function");
      if (name === undefined && stage.exports !== undefined) {
        results.push({ name: stage.name, status: "error", note: `dist/${stage.module} has none of the exports ${(stage.exports ?? []).join(", ")}: adjust bench/stages.ts` });
        continue;
      }
      if (name !== undefined) fn = mod[name] as Fn;
    }
    const t0 = performance.now();
    try {
      let best: { ms: number; cpuMs: number; faults: number; note: string | void } | undefined;
      for (let rep = 0; rep < (stage.repeat ? REPEATS : 1); rep++) {
        const r0 = performance.now();
        const c0 = process.cpuUsage();
        const f0 = process.resourceUsage().minorPageFault;
        const note = await stage.run(fn, ctx, load);
        const ms = performance.now() - r0;
        const c = process.cpuUsage(c0);
        const faults = process.resourceUsage().minorPageFault - f0;
        if (!best || ms < best.ms) best = { ms, cpuMs: (c.user + c.system) / 1000, faults, note };
      }
      const r: StageResult = { name: stage.name, status: "ok", ms: best!.ms, cpuMs: best!.cpuMs, minorFaults: best!.faults, peakRssKB: process.resourceUsage().maxRSS, retainedMiB: retained() };
      if (stage.repeat) r.repeats = REPEATS;
      if (best!.note) r.note = best!.note;
      results.push(r);
    } catch (e) {
      results.push({ name: stage.name, status: "error", ms: performance.now() - t0, note: String((e as Error).message ?? e).slice(0, 300) });
      if (stage.name === "model") broken = true;
    }
  }
  process.stdout.write(JSON.stringify({ stages: results }) + "\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2]) {
  void main(process.argv[2], process.argv[3] ?? path.resolve("dist"));
}
