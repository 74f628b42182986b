// `npm run bench`: blastgate against the physical limit (readFile + JSON.parse of the same file), per plan size.
//
//   npm run bench                          real plans, 1k, 10k, 30k, 60k, 120k (about 5 minutes on 2 cores)
//   npm run bench -- --stress              also the 580k-change (~1.2 GiB) plan
//   npm run bench -- --real-large          also make the 3,084-resource real plan (terraform apply: ~20 min, once)
//   npm run bench -- --only gen-10k --reps 5
//   npm run bench -- --root /tmp/other     measure another checkout (its dist/ and bin/) against the same inputs
//   npm run bench -- --timeout 600         seconds one child process may run (default 300)
//   npm run bench -- --stage-runs 4        rounds of stage processes over all plans, fastest kept per stage (default 3;
//                                          plans over 512 MiB: one)
//
// For each plan, in one run: the floor (readFile + JSON.parse, child process), `blastgate check --format json` end to
// end (child process), and each stage through the library API (child process); wall time and peak RSS of each,
// the ratios end-to-end/floor and peak-memory/file-size, pass/fail against issue 9's targets, and `terraform show
// -json` speed on the real binary plans. Prints markdown tables and writes bench/results/<date>-<machine>.json.

import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_DIR, chainInput, DEFAULT_SIZES, generatedInput, realInputs, type Input } from "./generate.js";
import { stageScaling, type Target } from "./scaling.js";
import { TF_ENV } from "./terraform.js";

const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1048576;

interface Options {
  sizes: string[];
  real: boolean;
  realLarge: boolean;
  reps: number;
  only?: string[];
  root: string;
  save: boolean;
  /** Longest a single child process may run, ms; past it the row says "timeout". */
  timeoutMs: number;
  /** Rounds of stage processes over all the plans (the fastest run of each stage is kept); plans over 512 MiB get one. */
  stageRuns: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [...DEFAULT_SIZES], real: true, realLarge: false, reps: 3, root: path.resolve(BENCH_DIR, ".."), save: true, timeoutMs: 300_000, stageRuns: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--stress") o.sizes.push("580k");
    else if (a === "--sizes") o.sizes = next().split(",").filter(Boolean);
    else if (a === "--no-real") o.real = false;
    else if (a === "--real-large") o.realLarge = true;
    else if (a === "--reps") o.reps = Math.max(1, parseInt(next(), 10));
    else if (a === "--only") o.only = next().split(",").filter(Boolean);
    else if (a === "--root") o.root = path.resolve(next());
    else if (a === "--no-save") o.save = false;
    else if (a === "--timeout") o.timeoutMs = Math.max(1, parseFloat(next())) * 1000;
    else if (a === "--stage-runs") {
      const v = parseInt(next(), 10);
      if (!(v >= 1)) throw new Error("--stage-runs needs a whole number of at least 1");
      o.stageRuns = v;
    }
    else if (a === "--help" || a === "-h") {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n") + "\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  return o;
}

interface Proc {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program; wall time from spawn to exit. stdout is captured only when asked (else it goes to /dev/null). */
let timeoutMs = 300_000;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; captureStdout?: boolean } = {}): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", opts.captureStdout ? "pipe" : "ignore", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => {
      if (err.length < 256) err.push(d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    let timedOut = false;
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) err.unshift(Buffer.from(`timeout after ${timeoutMs / 1000} s\n`));
      resolve({ wallMs: performance.now() - t0, code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Measured {
  /** Wall time of each repetition (child process, spawn to exit), ms. */
  wallMs: number[];
  medianMs: number;
  /** CPU time (user + system, all threads) of each repetition, ms: steadier than wall time on a busy machine. */
  cpuMs: number[];
  medianCpuMs: number;
  /** Highest peak RSS over the repetitions, KiB. */
  peakRssKB: number;
  error?: string;
}

interface StageRow {
  name: string;
  status: string;
  ms?: number;
  cpuMs?: number;
  /** Minor page faults of the timed run: fresh memory the kernel maps in. */
  minorFaults?: number;
  peakRssKB?: number;
  retainedMiB?: number;
  note?: string;
}

interface InputResult extends Input {
  floor: Measured;
  e2e: Measured;
  stages: StageRow[];
  ratios: { e2eOverFloor: number | null; e2eOverFloorCpu: number | null; peakOverFile: number | null; floorPeakOverFile: number | null };
  terraformShow?: { wallMs: number; mbPerSec: number };
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rss: number;
  error?: string;
}

async function measureFloor(file: string): Promise<Sample> {
  const p = await run(process.execPath, [path.join(BUILD_DIR, "floor.js"), file], { captureStdout: true });
  const r = JSON.parse(p.stdout.trim() || "{}") as { maxRssKB?: number; cpuMs?: number; error?: string };
  return { wallMs: p.wallMs, cpuMs: r.cpuMs ?? NaN, rss: r.maxRssKB ?? 0, ...(r.error ? { error: r.error } : p.code !== 0 ? { error: `exit ${p.code}: ${p.stderr.slice(-300)}` } : {}) };
}

/**
 * Runs `blastgate ARGS` under the rusage hook. The working directory is an empty folder by default, so the run uses
 * the built-in policy set and no git history, as a plan-size measurement should; the fixed costs of a repository's
 * own policies/ (HCL parsing starts a WASM runtime) are measured apart, in fixedCosts.
 */
async function measureCli(root: string, args: string[], tmp: string, cwd = path.join(tmp, "cwd")): Promise<Sample & { code: number }> {
  const ru = path.join(tmp, "rusage.json");
  rmSync(ru, { force: true });
  mkdirSync(cwd, { recursive: true });
  const env = { ...process.env, BENCH_RUSAGE_OUT: ru, NO_COLOR: "1" };
  const p = await run(process.execPath, ["--import", path.join(BUILD_DIR, "rusage.js"), path.join(root, "bin", "blastgate.js"), ...args], { env, cwd });
  const r = existsSync(ru) ? (JSON.parse(readFileSync(ru, "utf8")) as { maxRssKB: number; cpuMs: number }) : { maxRssKB: 0, cpuMs: NaN };
  const error = p.code === 0 || p.code === 1 ? undefined : p.stderr.startsWith("timeout") ? p.stderr.split("\n")[0]! : `exit ${p.code}: ${p.stderr.trim().split("\n").slice(-6).join(" | ").slice(0, 400)}`;
  return { wallMs: p.wallMs, cpuMs: r.cpuMs, rss: r.maxRssKB, code: p.code ?? -1, ...(error ? { error } : {}) };
}

interface FixedCost {
  name: string;
  wall: Measured;
}

/** Costs paid once per run whatever the plan's size: Node's start, the CLI's modules, policy loading. */
async function fixedCosts(root: string, tmp: string, reps: number): Promise<FixedCost[]> {
  const tiny = path.join(root, "examples", "safe", "plan.json");
  const cases: { name: string; sample: () => Promise<Sample> }[] = [
    {
      name: "`node -e 0` (Node's own start)",
      sample: async () => {
        const p = await run(process.execPath, ["-e", "0"]);
        return { wallMs: p.wallMs, cpuMs: NaN, rss: 0 };
      },
    },
    { name: "`blastgate --version`", sample: () => measureCli(root, ["--version"], tmp) },
    { name: "`check` a 3-change plan, built-in policies", sample: () => measureCli(root, ["check", tiny, "--format", "json"], tmp) },
    { name: "`check` a 3-change plan, this repository's policies/ (YAML, JSON and HCL)", sample: () => measureCli(root, ["check", tiny, "--format", "json"], tmp, root) },
  ];
  const out: FixedCost[] = [];
  for (const c of cases) {
    const samples: Sample[] = [];
    for (let i = 0; i < reps; i++) samples.push(await c.sample());
    out.push({ name: c.name, wall: agg(samples) });
  }
  return out;
}

async function measureE2E(root: string, file: string, tmp: string): Promise<Sample> {
  const { code: _code, ...sample } = await measureCli(root, ["check", file, "--format", "json"], tmp);
  return sample;
}

async function stagesOnce(root: string, file: string): Promise<StageRow[]> {
  const p = await run(process.execPath, ["--expose-gc", path.join(BUILD_DIR, "stages.js"), file, path.join(root, "dist")], { captureStdout: true });
  try {
    return (JSON.parse(p.stdout.trim()) as { stages: StageRow[] }).stages;
  } catch {
    return [{ name: "stages", status: "error", note: `exit ${p.code}: ${p.stderr.trim().split("\n").slice(-4).join(" | ").slice(0, 300)}` }];
  }
}

/** Keeps, per stage, the faster of two measurements (with its CPU time and faults); the peak RSS is the higher. */
function fastest(best: StageRow[], rows: StageRow[]): StageRow[] {
  return best.map((b) => {
    const n = rows.find((z) => z.name === b.name);
    if (!n || n.status !== "ok" || n.ms === undefined) return b;
    const peakRssKB = Math.max(b.peakRssKB ?? 0, n.peakRssKB ?? 0);
    return b.status !== "ok" || b.ms === undefined || n.ms < b.ms ? { ...n, peakRssKB } : { ...b, peakRssKB };
  });
}

/**
 * The stages of every plan in `runs` rounds, each round over all the plans in turn, each stage's fastest run kept: a
 * stage of tens of ms moved by a third between two processes a minute apart on this VM, and rounds spread that drift
 * over every size alike instead of letting it fall on one. Plans over 512 MiB (the stress run) are measured once.
 */
async function measureStages(root: string, results: InputResult[], runs: number): Promise<void> {
  for (let round = 0; round < runs; round++) {
    for (const r of results) {
      if (round > 0 && r.bytes > 512 * MiB) continue;
      process.stderr.write(`bench: stages of ${r.name}, round ${round + 1} of ${runs}...\n`);
      const rows = await stagesOnce(root, r.file);
      r.stages = round === 0 ? rows : fastest(r.stages, rows);
    }
  }
}

async function terraformShow(input: Input): Promise<{ wallMs: number; mbPerSec: number } | undefined> {
  if (!input.binary || !input.dir) return undefined;
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const p = await run("terraform", ["show", "-json", "tfplan"], { cwd: input.dir, env: TF_ENV });
    if (p.code !== 0) return undefined;
    times.push(p.wallMs);
  }
  const wallMs = Math.min(...times);
  return { wallMs, mbPerSec: input.bytes / 1e6 / (wallMs / 1000) };
}

function agg(samples: Sample[]): Measured {
  const ok = samples.filter((s) => !s.error);
  const m: Measured = {
    wallMs: samples.map((s) => Math.round(s.wallMs)),
    medianMs: ok.length ? median(ok.map((s) => s.wallMs)) : NaN,
    cpuMs: samples.map((s) => Math.round(s.cpuMs)),
    medianCpuMs: ok.length ? median(ok.map((s) => s.cpuMs)) : NaN,
    peakRssKB: Math.max(0, ...samples.map((s) => s.rss)),
  };
  const e = samples.find((s) => s.error)?.error;
  if (e) m.error = e;
  return m;
}

async function measure(o: Options, input: Input, tmp: string, floorMBps: number | undefined): Promise<InputResult> {
  // Big inputs get as many repetitions: this VM's speed moves by a third within minutes (the same 580k run took 28
  // and 38 s a minute apart), so one run says little. Their floor fails at once (the string limit).
  const reps = o.reps;
  const floor: Sample[] = [];
  const e2e: Sample[] = [];
  for (let r = 0; r < reps; r++) {
    // Interleaved, so drift (page cache, thermal) hits both alike.
    floor.push(await measureFloor(input.file));
    e2e.push(await measureE2E(o.root, input.file, tmp));
  }
  const f = agg(floor);
  const e = agg(e2e);
  const floorMs = f.error === undefined ? f.medianMs : floorMBps !== undefined ? (input.bytes / MiB / floorMBps) * 1000 : NaN;
  const result: InputResult = {
    ...input,
    floor: f,
    e2e: e,
    stages: [],
    ratios: {
      e2eOverFloor: Number.isFinite(floorMs) && !e.error ? e.medianMs / floorMs : null,
      e2eOverFloorCpu: !f.error && !e.error && Number.isFinite(e.medianCpuMs / f.medianCpuMs) ? e.medianCpuMs / f.medianCpuMs : null,
      peakOverFile: e.error ? null : (e.peakRssKB * 1024) / input.bytes,
      floorPeakOverFile: f.error ? null : (f.peakRssKB * 1024) / input.bytes,
    },
  };
  const show = await terraformShow(input);
  if (show) result.terraformShow = show;
  return result;
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

function git(root: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", "src"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: true };
  }
}

const s = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? "–" : (ms / 1000).toFixed(ms < 10_000 ? 2 : 1));
const mib = (kb: number): string => (kb > 0 ? String(Math.round(kb / 1024)) : "–");
const x = (r: number | null): string => (r === null || !Number.isFinite(r) ? "–" : r.toFixed(2) + "x");

function mainTable(rs: InputResult[], floorMBps: number | undefined): string {
  const head = "| plan | MiB | changes | replaced | floor s | floor MiB | e2e s | e2e MiB | e2e/floor | e2e/floor CPU | peak/file | floor peak/file |";
  const rows = rs.map((r) => {
    const floorS = r.floor.error ? (r.floor.error === "string limit" ? `n/a (string limit)${floorMBps ? `, ~${s((r.bytes / MiB / floorMBps) * 1000)} est.` : ""}` : "error") : s(r.floor.medianMs);
    const e2eS = r.e2e.error ? (r.e2e.error.startsWith("timeout") ? `> ${s(timeoutMs)} (timeout)` : "error") : s(r.e2e.medianMs);
    const ratio = r.floor.error && r.ratios.e2eOverFloor !== null ? `~${x(r.ratios.e2eOverFloor)}` : x(r.ratios.e2eOverFloor);
    return `| ${r.name} | ${(r.bytes / MiB).toFixed(1)} | ${r.resourceChanges.toLocaleString("en-US")} | ${r.replaced.toLocaleString("en-US")} | ${floorS} | ${r.floor.error ? "–" : mib(r.floor.peakRssKB)} | ${e2eS} | ${mib(r.e2e.peakRssKB)} | ${ratio} | ${x(r.ratios.e2eOverFloorCpu)} | ${x(r.ratios.peakOverFile)} | ${x(r.ratios.floorPeakOverFile)} |`;
  });
  return [head, "|" + " --- |".repeat(12), ...rows].join("\n");
}

function stageTable(rs: InputResult[]): string {
  const names = [...new Set(rs.flatMap((r) => r.stages.map((st) => st.name)))];
  const head = `| plan | ${names.join(" | ")} | peak MiB | retained MiB |`;
  const rows = rs.map((r) => {
    const cells = names.map((n) => {
      const st = r.stages.find((z) => z.name === n);
      if (!st) return "–";
      if (st.status === "ok") return s(st.ms);
      return st.status === "not built yet" ? "not built yet" : "error";
    });
    const ok = r.stages.filter((st) => st.status === "ok");
    const peak = Math.max(0, ...ok.map((st) => st.peakRssKB ?? 0));
    const last = ok[ok.length - 1];
    return `| ${r.name} | ${cells.join(" | ")} | ${mib(peak)} | ${last?.retainedMiB !== undefined ? Math.round(last.retainedMiB) : "–"} |`;
  });
  return [head, "|" + " --- |".repeat(names.length + 3), ...rows].join("\n");
}



function targets(rs: InputResult[], showMBps: number | undefined): Target[] {
  const by = (n: string): InputResult | undefined => rs.find((r) => r.name === n);
  const out: Target[] = [];
  const g10 = by("gen-10k");
  if (g10) {
    out.push({ target: "10k changes: end to end within 1.5x the read+parse floor", measured: `${x(g10.ratios.e2eOverFloor)} wall (${x(g10.ratios.e2eOverFloorCpu)} CPU)`, pass: g10.ratios.e2eOverFloor !== null && g10.ratios.e2eOverFloor <= 1.5 });
    if (showMBps !== undefined && !g10.e2e.error) {
      const showMs = (g10.bytes / 1e6 / showMBps) * 1000;
      const r = g10.e2e.medianMs / showMs;
      out.push({ target: "10k changes: about a tenth of `terraform show -json` (≤ 0.125x)", measured: `${r.toFixed(3)}x (${s(g10.e2e.medianMs)} s vs ~${s(showMs)} s at ${showMBps.toFixed(1)} MB/s)`, pass: r <= 0.125 });
    }
  }
  const g120 = by("gen-120k");
  if (g120) {
    out.push({ target: "120k changes: end to end within 1.5x the floor", measured: `${x(g120.ratios.e2eOverFloor)} wall (${x(g120.ratios.e2eOverFloorCpu)} CPU)`, pass: g120.ratios.e2eOverFloor !== null && g120.ratios.e2eOverFloor <= 1.5 });
    out.push({ target: "120k changes: peak memory under 2x the file size", measured: `${x(g120.ratios.peakOverFile)} (${mib(g120.e2e.peakRssKB)} MiB for ${(g120.bytes / MiB).toFixed(0)} MiB)`, pass: g120.ratios.peakOverFile !== null && g120.ratios.peakOverFile < 2 });
  }
  const g580 = by("gen-580k");
  if (g580) {
    const ok = !g580.e2e.error;
    out.push({
      target: "580k changes (~1.1 GiB): completes with default flags, under 25 s and 1.5 GiB",
      measured: ok ? `${s(g580.e2e.medianMs)} s, ${mib(g580.e2e.peakRssKB)} MiB (${(g580.bytes / MiB / 1024).toFixed(2)} GiB file)` : (g580.e2e.error ?? "error"),
      pass: ok && g580.e2e.medianMs < 25_000 && g580.e2e.peakRssKB * 1024 < 1.5 * 1024 ** 3,
    });
  }
  const chain = rs.find((r) => r.name.startsWith("chain-"));
  if (chain) {
    const blast = chain.stages.find((st) => st.name === "analyse");
    const pending = !blast || blast.status !== "ok";
    out.push({
      target: "5,000 resources, 1,000 replaced in one chain: under 2 s end to end (blast radius with paths included)",
      measured: `${chain.e2e.error ? "error" : s(chain.e2e.medianMs) + " s"}${pending ? " (analyse stage not measured)" : ""}`,
      pass: !chain.e2e.error && chain.e2e.medianMs < 2000,
    });
  }
  // Scaling: the ratio stays flat from 1k up; no stage grows faster than linearly (time per change, 10k -> 120k).
  const small = by("gen-1k");
  const big = g120 ?? g10;
  if (small && big && small.ratios.e2eOverFloor !== null && big.ratios.e2eOverFloor !== null) {
    out.push({
      target: `scaling: end-to-end/floor does not grow from ${small.name} to ${big.name}`,
      measured: `${x(small.ratios.e2eOverFloor)} -> ${x(big.ratios.e2eOverFloor)}`,
      pass: big.ratios.e2eOverFloor <= small.ratios.e2eOverFloor * 1.1,
    });
  }
  out.push(...stageScaling(rs));
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  timeoutMs = o.timeoutMs;
  if (!existsSync(path.join(o.root, "dist", "plan", "read.js"))) throw new Error(`${o.root}/dist is not built: run \`npm run build\` there first`);
  const t0 = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const inputs: Input[] = [];
  if (o.real) inputs.push(...realInputs(o.realLarge));
  inputs.push(chainInput());
  for (const size of o.sizes) inputs.push(generatedInput(size));
  const selected = o.only ? inputs.filter((i) => o.only!.includes(i.name)) : inputs;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "blastgate-bench-"));
  const results: InputResult[] = [];
  let fixed: FixedCost[] = [];
  let floorMBps: number | undefined;
  try {
    // Ascending size, so the floor speed of the largest parseable plan is known before the stress run needs it.
    for (const input of [...selected].sort((a, b) => a.bytes - b.bytes)) {
      process.stderr.write(`bench: ${input.name} (${(input.bytes / MiB).toFixed(1)} MiB, ${input.resourceChanges} changes)...\n`);
      const r = await measure(o, input, tmp, floorMBps);
      if (!r.floor.error && r.bytes > 50 * MiB) floorMBps = r.bytes / MiB / (r.floor.medianMs / 1000);
      results.push(r);
      const bad = [r.floor.error && r.floor.error !== "string limit" ? `floor: ${r.floor.error}` : "", r.e2e.error ? `e2e: ${r.e2e.error}` : ""].filter(Boolean);
      process.stderr.write(`bench:   floor ${s(r.floor.medianMs)} s, e2e ${s(r.e2e.medianMs)} s, ${mib(r.e2e.peakRssKB)} MiB${bad.length ? "\n  " + bad.join("\n  ") : ""}\n`);
    }
    await measureStages(o.root, results, o.stageRuns);
    for (const r of results) {
      const bad = r.stages.filter((st) => st.status === "error").map((st) => `${st.name}: ${st.note}`);
      if (bad.length) process.stderr.write(`bench: ${r.name} stages:\n  ${bad.join("\n  ")}\n`);
    }
    process.stderr.write("bench: fixed costs...\n");
    fixed = await fixedCosts(o.root, tmp, Math.max(3, o.reps));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const shows = results.filter((r) => r.terraformShow);
  const showMBps = shows.length ? shows.reduce((n, r) => n + r.bytes, 0) / 1e6 / (shows.reduce((n, r) => n + r.terraformShow!.wallMs, 0) / 1000) : undefined;
  const m = machine();
  const load = { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0]! * 100) / 100 };
  const ts = targets(results, showMBps);
  const lines = [
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average ${load.before} -> ${load.after}`,
    ...(Math.max(load.before, load.after) > Number(m.cpus)
      ? ["WARNING: the machine was busy (load average above its CPU count): wall times are inflated; the CPU-time ratio is the steadier one."]
      : []),
    "",
    mainTable(results, floorMBps),
    "",
    "Stages through the library API (seconds; model includes reading; peak = the stage process's peak RSS):",
    "",
    stageTable(results),
    "",
    ...(shows.length
      ? [`terraform show -json (real binary plans): ${shows.map((r) => `${r.name} ${s(r.terraformShow!.wallMs)} s = ${r.terraformShow!.mbPerSec.toFixed(1)} MB/s`).join("; ")}`, ""]
      : []),
    "Fixed costs of one run (median wall s, CPU s, peak MiB), paid whatever the plan's size:",
    "",
    "| run | wall s | CPU s | peak MiB |",
    "| --- | --- | --- | --- |",
    ...fixed.map((f) => `| ${f.name} | ${s(f.wall.medianMs)} | ${Number.isFinite(f.wall.medianCpuMs) ? s(f.wall.medianCpuMs) : "–"} | ${f.wall.peakRssKB ? mib(f.wall.peakRssKB) : "–"} |`),
    "",
    "| target | measured | result |",
    "| --- | --- | --- |",
    ...ts.map((t) => `| ${t.target} | ${t.measured} | ${t.pass === null ? "n/a" : t.pass === "info" ? "(shown, not judged)" : t.pass ? "PASS" : "FAIL"} |`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  const notes = results.flatMap((r) => r.stages.filter((st) => st.status !== "ok").map((st) => `${r.name} ${st.name}: ${st.status}${st.note ? ` (${st.note})` : ""}`));
  if (notes.length) process.stdout.write("\n" + [...new Set(notes.map((n) => n.replace(/^\S+ /, "")))].map((n) => `note: ${n}`).join("\n") + "\n");
  if (o.save) {
    const dir = path.join(BENCH_DIR, "results");
    mkdirSync(dir, { recursive: true });
    const date = new Date().toISOString().slice(0, 10);
    const host = String(m.host).replace(/[^A-Za-z0-9_.-]/g, "_");
    const file = path.join(dir, `${date}-${host}${o.sizes.includes("580k") ? "-stress" : ""}.json`);
    const doc = {
      date: new Date().toISOString(),
      machine: m,
      loadAverage: load,
      blastgate: { root: path.relative(path.resolve(BENCH_DIR, ".."), o.root) || ".", ...git(o.root) },
      options: { sizes: o.sizes, reps: o.reps, stageRuns: o.stageRuns, real: o.real, only: o.only ?? null },
      durationSec: Math.round((performance.now() - t0) / 1000),
      terraformShowMBps: showMBps ?? null,
      fixedCosts: fixed,
      inputs: results.map((r) => ({ ...r, file: path.relative(BENCH_DIR, r.file), binary: r.binary ? path.relative(BENCH_DIR, r.binary) : undefined, dir: undefined })),
      targets: ts,
    };
    writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file)} (${Math.round((performance.now() - t0) / 1000)} s)\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(2);
});
