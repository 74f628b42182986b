import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { HEAP_FLAG, LARGE_PLAN_BYTES, YOUNG_HOLD_BYTES, YOUNG_HOLD_FLAG, YOUNG_RELEASE_FLAG, heapTuner } from "../../src/cli/heap.js";
import { planLoadOptions } from "../../src/cli/commands/support/load.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES, ROOT } from "../helpers/paths.js";

describe("heap growth for large plans", () => {
  const tuner = (v8Version = "11.3.244.8", execArgv: string[] = [], nodeOptions?: string) => {
    const set: string[] = [];
    return { set, t: heapTuner({ set: (f) => set.push(f), v8Version, execArgv, nodeOptions }) };
  };

  it("holds the young generation from the first read, releases it past 64 MiB, and caps the heap past 128 MiB, once each", () => {
    const { set, t } = tuner();
    t.bytesRead(4 << 20);
    t.bytesRead(8 << 20);
    expect(set).toEqual([YOUNG_HOLD_FLAG]);
    t.bytesRead(YOUNG_HOLD_BYTES - 1);
    expect(set).toEqual([YOUNG_HOLD_FLAG]);
    t.bytesRead(YOUNG_HOLD_BYTES);
    t.bytesRead(YOUNG_HOLD_BYTES + 1);
    expect(set).toEqual([YOUNG_HOLD_FLAG, YOUNG_RELEASE_FLAG]);
    t.bytesRead(LARGE_PLAN_BYTES - 1);
    expect(set).toEqual([YOUNG_HOLD_FLAG, YOUNG_RELEASE_FLAG]);
    t.bytesRead(LARGE_PLAN_BYTES);
    t.bytesRead(LARGE_PLAN_BYTES * 2);
    expect(set).toEqual([YOUNG_HOLD_FLAG, YOUNG_RELEASE_FLAG, HEAP_FLAG]);
  });

  it("keeps V8's young generation when the first read is already past the hold (a large first chunk)", () => {
    const { set, t } = tuner();
    t.bytesRead(YOUNG_HOLD_BYTES);
    t.bytesRead(LARGE_PLAN_BYTES);
    expect(set).toEqual([HEAP_FLAG]);
  });

  it("sets nothing on a V8 it does not know (an unknown flag would be printed as an error), and holds the young generation only on V8 11", () => {
    for (const v of ["10.2.154", "14.1.0", "garbage"]) {
      const { set, t } = tuner(v);
      t.bytesRead(4 << 20);
      t.bytesRead(LARGE_PLAN_BYTES * 4);
      expect(set).toEqual([]);
    }
    for (const v of ["12.4.254.21", "13.6.233.10"]) {
      const { set, t } = tuner(v);
      t.bytesRead(4 << 20);
      t.bytesRead(LARGE_PLAN_BYTES);
      expect(set).toEqual([HEAP_FLAG]);
    }
  });

  it("keeps a young generation the user sized on Node's command line or in NODE_OPTIONS", () => {
    const cases: [string[], string | undefined][] = [
      [["--max-semi-space-size=64"], undefined],
      [["--min_semi_space_size=8"], undefined],
      [["--semi-space-growth-factor=4"], undefined],
      [[], "--max-old-space-size=4096 --max-semi-space-size=64"],
      [[], "  --max_semi_space_size=32"],
    ];
    for (const [argv, nodeOptions] of cases) {
      const { set, t } = tuner("11.3.244.8", argv, nodeOptions);
      t.bytesRead(4 << 20);
      t.bytesRead(LARGE_PLAN_BYTES);
      expect(set).toEqual([HEAP_FLAG]);
    }
    // Other options are not these.
    const { set, t } = tuner("11.3.244.8", ["--max-old-space-size=4096"], "--max-old-space-size=4096 --semi-spaces-everywhere");
    t.bytesRead(4 << 20);
    expect(set).toEqual([YOUNG_HOLD_FLAG]);
  });

  it("keeps a growth percent the user gave Node on its command line", () => {
    for (const argv of [["--heap-growing-percent=300"], ["--max-old-space-size=4096", "--heap_growing_percent=50"], ["--heap-growing-percent"]]) {
      const { set, t } = tuner("11.3.244.8", argv);
      t.bytesRead(LARGE_PLAN_BYTES);
      expect(set).toEqual([]);
    }
    // Other flags are not this one.
    const { set, t } = tuner("11.3.244.8", ["--max-old-space-size=4096", "--heap-growing-percentage-of-nothing"]);
    t.bytesRead(LARGE_PLAN_BYTES);
    expect(set).toEqual([HEAP_FLAG]);
  });

  it("is a flag this Node's V8 accepts without a word on stderr", () => {
    // The real setter, in a process of its own (a V8 flag is process-wide).
    for (const flag of [HEAP_FLAG, YOUNG_HOLD_FLAG, YOUNG_RELEASE_FLAG]) {
      const code = `const v8 = require("node:v8"); v8.setFlagsFromString(${JSON.stringify(flag)}); console.log("set");`;
      const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", cwd: ROOT });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe("set");
      expect(r.stderr).toBe("");
    }
  });

  it.runIf(Number(process.versions.v8.split(".")[0]) === 11)("holds this V8's young generation when set at run time, and lets it grow once released", () => {
    // Objects that survive collections make V8 grow the young generation; held, it stays small.
    const code = `
      const v8 = require("node:v8");
      const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
      const keep = [];
      const churn = () => { for (let i = 0; i < 2e6; i++) { const o = { i, s: "x" + i }; if (i % 8 === 0) keep.push(o); } };
      v8.setFlagsFromString(${JSON.stringify(YOUNG_HOLD_FLAG)});
      const before = young();
      churn();
      const held = young();
      v8.setFlagsFromString(${JSON.stringify(YOUNG_RELEASE_FLAG)});
      churn();
      console.log(JSON.stringify({ before, held, released: young() }));`;
    const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", cwd: ROOT });
    expect(r.stderr).toBe("");
    const { before, held, released } = JSON.parse(r.stdout) as { before: number; held: number; released: number };
    // Held: it stays about where it started (1-2 MiB; unheld, this churn takes it to 32 MiB).
    expect(before).toBeLessThanOrEqual(2 << 20);
    expect(held).toBeLessThanOrEqual(4 << 20);
    expect(released).toBeGreaterThanOrEqual(4 * held);
  });
});

describe("reading progress from standard input", () => {
  it("reports the bytes read so far, ending at the whole input, with no total", async () => {
    const text = readFileSync(path.join(EXAMPLES, "incident/plan.json"));
    const parts = [];
    for (let i = 0; i < text.length; i += 5000) parts.push(text.subarray(i, i + 5000));
    const seen: [number, number | undefined][] = [];
    const plan = await loadPlan("-", { stdin: Readable.from(parts), onProgress: (read, total) => seen.push([read, total]) });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every(([, total]) => total === undefined)).toBe(true);
    expect(seen.map(([read]) => read)).toEqual([...seen.map(([read]) => read)].sort((a, b) => a - b));
    expect(seen.at(-1)![0]).toBe(text.length);
  });
});

describe("how every command reads a plan", () => {
  it("passes --terraform-bin on and forwards read progress (the heap tuner hears the same bytes)", () => {
    const seen: [number, number | undefined][] = [];
    const heard: number[] = [];
    const progress = { bytes: (r: number, t: number | undefined) => void seen.push([r, t]), stage: () => undefined, done: () => undefined };
    const load = planLoadOptions({ "terraform-bin": "/opt/tofu" }, progress, { bytesRead: (r) => void heard.push(r) });
    expect(load.terraformBin).toBe("/opt/tofu");
    load.onProgress!(4096, 8192);
    expect(seen).toEqual([[4096, 8192]]);
    expect(heard).toEqual([4096]);
    const bare = planLoadOptions({}, undefined, { bytesRead: (r) => void heard.push(r) });
    expect(bare.terraformBin).toBeUndefined();
    bare.onProgress!(10, undefined);
    expect(heard).toEqual([4096, 10]);
  });
});

describe("read progress of a binary plan", () => {
  // A converter that prints a known JSON plan whatever it is asked: the progress is of that JSON, the plan read.
  const dir = mkdtempSync(path.join(os.tmpdir(), "blastgate-binary-progress-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const json = path.join(EXAMPLES, "incident/plan.json");
  const converter = path.join(dir, "fake-terraform");
  writeFileSync(converter, `#!/bin/sh\ncat '${json}'\n`);
  chmodSync(converter, 0o755);
  const zip = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]);
  const jsonBytes = readFileSync(json).length;

  it.skipIf(process.platform === "win32")("reports the converted JSON's bytes for a binary plan file, ending at its length", async () => {
    const file = path.join(dir, "plan.tfplan");
    writeFileSync(file, zip);
    const seen: [number, number | undefined][] = [];
    const plan = await loadPlan(file, { terraformBin: converter, onProgress: (r, t) => seen.push([r, t]) });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([, t]) => t === undefined)).toBe(true);
    expect(seen.at(-1)![0]).toBe(jsonBytes);
  });

  it.skipIf(process.platform === "win32")("reports the archive's bytes from standard input, then the converted JSON's", async () => {
    const seen: number[] = [];
    const plan = await loadPlan("-", { stdin: Readable.from([zip.subarray(0, 10), zip.subarray(10)]), terraformBin: converter, onProgress: (r) => seen.push(r) });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(seen[0]).toBe(zip.length);
    expect(seen.at(-1)).toBe(jsonBytes);
  });
});
