// Each stage of blastgate through the library API, in one child process per plan (run with --expose-gc):
//   node --expose-gc bench/data/build/stages.js PLAN DIST_DIR
// Prints one JSON line: { stages: [{ name, status, ms, peakRssKB, retainedMiB, note? }] }.
//
// A stage is one entry in STAGES. Stages whose module is not in dist/ yet are reported as "not built yet" and picked
// up as soon as the module lands (after `npm run build`); if its API differs from the guess here, the row says so
// ("no export ..." or the error) and the entry is the one place to adjust.

import { existsSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Fn = (...args: unknown[]) => unknown;

interface Ctx {
  file: string;
  version: string;
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
}

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
  {
    name: "graph",
    module: "graph/index.js",
    exports: ["buildDependencyGraph"],
    async run(fn, ctx) {
      ctx.graph = await fn!(ctx.plan);
    },
  },
  {
    name: "blast radius",
    module: "analysis/index.js",
    exports: ["analyse", "analyze"],
    async run(fn, ctx) {
      // analyse(plan, { graph }): the graph stage's result is the graph itself or an object holding it.
      const g = ctx.graph as { graph?: unknown; unresolved?: unknown; indexOf?: unknown } | undefined;
      const input = g === undefined ? {} : typeof g.indexOf === "function" ? { graph: g } : { graph: g.graph, ...(g.unresolved !== undefined ? { unresolved: g.unresolved } : {}) };
      ctx.analysis = await fn!(ctx.plan, input);
      const a = ctx.analysis as { destructive?: { radiusTotal?: number }[] } | undefined;
      if (Array.isArray(a?.destructive)) return `${a.destructive.length} destructive, ${a.destructive.reduce((n, d) => n + (d.radiusTotal ?? 0), 0)} radius entries`;
    },
  },
  {
    name: "policy",
    module: "policy/index.js",
    exports: ["evaluatePolicies", "evaluate"],
    async run(fn, ctx) {
      ctx.verdict = await fn!(ctx.plan, ctx.analysis);
    },
  },
  {
    name: "report",
    module: "report/document.js",
    exports: ["buildReport"],
    async run(fn, ctx, load) {
      // buildReport(plan, analysis, version) since analysis landed; buildReport(plan, version) before.
      const report = fn!.length >= 3 ? fn!(ctx.plan, ctx.analysis, ctx.version) : fn!(ctx.plan, ctx.version);
      const formats = (await load("report/formats/index.js")).FORMATS as Record<string, { render(r: unknown, o: unknown): string }>;
      const text = formats.json!.render(report, { color: false, width: 100 });
      return `${(Buffer.byteLength(text) / 1048576).toFixed(1)} MiB of JSON`;
    },
  },
];

export interface StageResult {
  name: string;
  status: "ok" | "not built yet" | "error";
  ms?: number;
  cpuMs?: number;
  /** Peak RSS of the process so far (cumulative: the peak up to the end of this stage). */
  peakRssKB?: number;
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
  let version = "bench";
  try {
    const v = await load("version.js");
    if (typeof v.VERSION === "string") version = v.VERSION;
  } catch {
    // an older layout: keep the placeholder
  }
  const ctx: Ctx = { file, version };
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
      if (name === undefined) {
        results.push({ name: stage.name, status: "error", note: `dist/${stage.module} has none of the exports ${(stage.exports ?? []).join(", ")}: adjust bench/stages.ts` });
        continue;
      }
      fn = mod[name] as Fn;
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const note = await stage.run(fn, ctx, load);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const r: StageResult = { name: stage.name, status: "ok", ms, cpuMs: (c.user + c.system) / 1000, peakRssKB: process.resourceUsage().maxRSS, retainedMiB: retained() };
      if (note) r.note = note;
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
