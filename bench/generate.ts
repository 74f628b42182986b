// Makes the benchmark's inputs in bench/data/ (git-ignored), reusing what is already there:
//   real-<n>.json     real plans made by terraform from a generated estate (hundreds to a few thousand resources)
//   chain-5000.json   real plan: 5,000 resources, 1,000 replaced in one chain
//   gen-<size>.json   the real estate plan scaled to 1k, 10k, 30k, 60k, 120k (and 580k with --stress) resource changes
//
//   node bench/data/build/generate.js [--sizes 1k,10k,30k,60k,120k] [--stress] [--real-large] [--force]

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appKey, NETWORKS, RESOURCES_PER_APP, realChain, realEstate } from "./terraform.js";
import { extendChain, scalePlan } from "./scale.js";

/** bench/ (this file runs from bench/data/build/). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA_DIR = path.join(BENCH_DIR, "data");

/**
 * Apps in the seed estate (704 resources; terraform applies it in about 20 s) and in the larger real estate (3,084
 * resources). Terraform's apply grows much faster than linearly with module instances here (3,084 took 20 minutes on
 * 2 cores), so the larger one is made only on request (--real-large) and measured whenever it is cached.
 */
const SEED_APPS = 20;
const LARGE_REAL_APPS = 88;

export interface Input {
  /** Short name used in tables: real-704, chain-5000, gen-120k. */
  name: string;
  kind: "real" | "generated";
  file: string;
  bytes: number;
  resourceChanges: number;
  replaced: number;
  /** For real plans: the binary plan and the directory it can be shown from. */
  binary?: string;
  dir?: string;
}

export const SIZES: Record<string, number> = { "1k": 1_000, "10k": 10_000, "30k": 30_000, "60k": 60_000, "120k": 120_000, "580k": 580_000 };
/** The sizes made and measured by default: 30k and 60k are the middle points of the stages' scaling fit (run.ts). */
export const DEFAULT_SIZES = ["1k", "10k", "30k", "60k", "120k"];

function log(msg: string): void {
  process.stderr.write(`generate: ${msg}\n`);
}

function countChanges(file: string): { changes: number; replaced: number } {
  const plan = JSON.parse(readFileSync(file, "utf8")) as { resource_changes?: { change?: { actions?: string[] } }[] };
  const rcs = plan.resource_changes ?? [];
  const replaced = rcs.filter((r) => (r.change?.actions ?? []).includes("delete") && (r.change?.actions ?? []).includes("create")).length;
  return { changes: rcs.length, replaced };
}

function realInput(r: { name: string; json: string; binary: string; dir: string }): Input {
  const { changes, replaced } = countChanges(r.json);
  return { name: r.name, kind: "real", file: r.json, bytes: statSync(r.json).size, resourceChanges: changes, replaced, binary: r.binary, dir: r.dir };
}

/** The real plans (made by terraform on first use, then cached); the large one only when asked or cached. */
export function realInputs(large: boolean): Input[] {
  const out = [realInput(realEstate(DATA_DIR, SEED_APPS))];
  const largeName = `real-${LARGE_REAL_APPS * RESOURCES_PER_APP + NETWORKS.length}`;
  if (large || existsSync(path.join(DATA_DIR, "tf", largeName, ".complete"))) out.push(realInput(realEstate(DATA_DIR, LARGE_REAL_APPS)));
  return out;
}

/** 5,000 resources, 1,000 of them replaced in one chain: the real 500-resource chain plan, extended. */
export function chainInput(force = false): Input {
  const seed = realChain(DATA_DIR);
  const file = path.join(DATA_DIR, "chain-5000.json");
  return cached(file, seed.json, force, () => {
    const r = extendChain(seed.json, file, 1000, 4000);
    return { name: "chain-5000", kind: "generated", file, bytes: r.bytes, resourceChanges: r.resourceChanges, replaced: r.replaced };
  });
}

/** Reuses a generated file when its seed has not changed since. */
function cached(file: string, seedFile: string, force: boolean, make: () => Input): Input {
  const meta = file + ".meta.json";
  const seedStamp = statSync(seedFile).mtimeMs;
  if (!force && existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, "utf8")) as Input & { seedStamp: number };
    if (m.seedStamp === seedStamp && statSync(file).size === m.bytes) return { name: m.name, kind: m.kind, file, bytes: m.bytes, resourceChanges: m.resourceChanges, replaced: m.replaced };
  }
  const t0 = performance.now();
  const input = make();
  log(`${input.name}: ${(input.bytes / 1048576).toFixed(1)} MiB, ${input.resourceChanges} changes, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  writeFileSync(meta, JSON.stringify({ ...input, seedStamp }, null, 2));
  return input;
}

/** A generated plan of about `changes` resource changes, scaled from the seed estate. */
export function generatedInput(size: string, force = false): Input {
  const target = SIZES[size];
  if (target === undefined) throw new Error(`unknown size ${size} (known: ${Object.keys(SIZES).join(", ")})`);
  const seed = realEstate(DATA_DIR, SEED_APPS);
  const file = path.join(DATA_DIR, `gen-${size}.json`);
  return cached(file, seed.json, force, () => {
    const instances = Math.max(1, Math.round((target - NETWORKS.length) / RESOURCES_PER_APP));
    log(`gen-${size}: ${instances} app instances (${instances * RESOURCES_PER_APP + NETWORKS.length} resource changes) from ${path.basename(seed.json)}`);
    const r = scalePlan(seed.json, file, instances, appKey);
    return { name: `gen-${size}`, kind: "generated", file, bytes: r.bytes, resourceChanges: r.resourceChanges, replaced: r.replaced };
  });
}

function main(argv: string[]): void {
  let sizes = [...DEFAULT_SIZES];
  let force = false;
  let large = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--sizes") sizes = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a === "--stress") sizes.push("580k");
    else if (a === "--force") force = true;
    else if (a === "--real-large") large = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write("usage: node bench/data/build/generate.js [--sizes 1k,10k,30k,60k,120k] [--stress] [--real-large] [--force]\n");
      return;
    }
    else throw new Error(`unknown argument ${a}`);
  }
  const inputs = [...realInputs(large), chainInput(force), ...sizes.map((s) => generatedInput(s, force))];
  for (const i of inputs) {
    process.stdout.write(`${i.name.padEnd(12)} ${(i.bytes / 1048576).toFixed(1).padStart(8)} MiB ${String(i.resourceChanges).padStart(8)} changes ${String(i.replaced).padStart(7)} replaced  ${path.relative(process.cwd(), i.file)}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
