// The splitter's byte scanner has two implementations (scan-core.c compiled to WebAssembly, and scan-core.ts's
// TypeScript loop): whatever the bytes, the state and the chunking, they must stop at the same byte with the same state.
// The splitter and prune suites run whole documents through both; these tests hold the scanners to each other directly.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEPTH, ESCAPE, IN_PARENT, IN_STRING, KEY1, KEY2, KEY_AT, OPEN_AT, REASON, scanCore, STOP, TOO_DEEP, VALUE_END, type ScanCore } from "../../src/plan/scan-core.js";
import { JsonDepthError, JsonSplitter, SKIPPED_NESTING, type PathSegment } from "../../src/plan/splitter.js";
import { pushInChunks } from "../helpers/chunks.js";
import { BIN, EXAMPLES } from "../helpers/paths.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const HAS_CLANG = spawnSync("clang", ["--version"]).status === 0 && spawnSync("wasm-ld", ["--version"]).status === 0;
if (!HAS_CLANG) console.warn("scan-core build check skipped: no clang and wasm-ld on PATH (apt-get install clang lld) to rebuild src/plan/scan-core-wasm.ts");

interface Start {
  stack: number[];
  inString: number;
  escape: number;
  openAt: number;
  keyAt: number;
  key1: number;
  key2: number;
  inParent: number;
}

/** Runs `core` over `bytes` from `start`, stepping over each byte it stops at, and records every stop and its state. */
function trace(core: ScanCore, bytes: Buffer, start: Start, stop: number, limit: number): unknown[] {
  const chunk = core.load(bytes);
  const st = core.state;
  st.fill(0);
  st[DEPTH] = start.stack.length;
  core.stack.set(start.stack, 0);
  st[IN_STRING] = start.inString;
  st[ESCAPE] = start.inString ? start.escape : 0;
  st[OPEN_AT] = start.openAt;
  st[KEY_AT] = start.keyAt;
  st[KEY1] = start.key1;
  st[KEY2] = start.key2;
  st[IN_PARENT] = start.inParent;
  const out: unknown[] = [];
  let j = 0;
  for (let steps = 0; steps <= bytes.length + 1; steps++) {
    j = core.scan(chunk, j, bytes.length, stop, limit);
    const depth = st[DEPTH]!;
    out.push([j, Array.from(st), Array.from(core.stack.subarray(0, depth))]);
    if (j >= bytes.length) break;
    // A stop, a mismatch or a bracket too deep: step over the byte, as a caller that read it might.
    if (st[REASON] === STOP || st[REASON] === TOO_DEEP || st[REASON]! > VALUE_END) j++;
    else if (st[REASON] === VALUE_END && depth === 0) {
      // Begin another value: a container, so the scan goes on.
      st[DEPTH] = 1;
      core.stack[0] = 0x7d;
    }
  }
  return out;
}

const bytes = fc
  .array(fc.constantFrom(..."\"\\{}[],: \n1ab"), { maxLength: 80 })
  .map((cs) => Buffer.from(cs.join(""), "latin1"));
const start: fc.Arbitrary<Start> = fc.record({
  stack: fc.array(fc.constantFrom(0x7d, 0x5d), { minLength: 1, maxLength: 4 }),
  inString: fc.integer({ min: 0, max: 1 }),
  escape: fc.integer({ min: 0, max: 1 }),
  openAt: fc.integer({ min: 0, max: 3 }),
  keyAt: fc.integer({ min: 0, max: 3 }),
  key1: fc.integer({ min: 0, max: 1 }),
  key2: fc.integer({ min: 0, max: 1 }),
  inParent: fc.integer({ min: 0, max: 1 }),
});

describe("the byte scanner", () => {
  it("is WebAssembly here (Node 20 has it), and TypeScript when asked", () => {
    expect(scanCore().kind).toBe("wasm");
    expect(scanCore("js").kind).toBe("js");
  });

  it("stops where the TypeScript scanner stops, with the same state, whatever the bytes and the state (property)", () => {
    const wasm = scanCore("wasm");
    const js = scanCore("js");
    fc.assert(
      fc.property(bytes, start, fc.constantFrom(0, 2), fc.integer({ min: 1, max: 8 }), (b, s, stop, limit) => {
        expect(trace(wasm, b, s, stop, limit)).toEqual(trace(js, b, s, stop, limit));
      }),
      { seed: 5, numRuns: 5000, endOnFailure: true },
    );
  });

  it("passes over long strings 16 bytes at a time and finds a quote or backslash at any place in them", () => {
    const wasm = scanCore("wasm");
    const js = scanCore("js");
    const s: Start = { stack: [0x7d], inString: 1, escape: 0, openAt: 0, keyAt: 0, key1: 0, key2: 0, inParent: 0 };
    for (let len = 0; len < 70; len++) {
      for (const end of ['"}', '\\""}', '\\\\"}']) {
        const b = Buffer.from("x".repeat(len) + end);
        const got = trace(wasm, b, s, 0, 10);
        expect(got).toEqual(trace(js, b, s, 0, 10));
        const [j, st] = got.at(-1) as [number, number[]];
        expect([j, st[DEPTH], st[IN_STRING], st[REASON]]).toEqual([b.length, 0, 0, VALUE_END]);
      }
    }
  });

  it("is shared by splitters that take turns: each value's state comes back with its splitter (property)", () => {
    const decide = (p: readonly PathSegment[]): "descend" | "emit" | "skip" => (p.length < 2 ? "descend" : "emit");
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 13 }),
        fc.constantFrom<"wasm" | "js">("wasm", "js"),
        (docs, size, core) => {
          const texts = docs.map((d) => Buffer.from(JSON.stringify({ a: d })));
          const outs: unknown[][] = [[], []];
          const splitters = [0, 1].map((k) => new JsonSplitter({ decide, onValue: (_p, v) => outs[k]!.push(v) }, { core }));
          // One chunk of each in turn, so a value under way in one splitter meets the other's scans in between.
          for (let at = 0; at < Math.max(texts[0]!.length, texts[1]!.length); at += size) {
            for (const k of [0, 1]) if (at < texts[k]!.length) splitters[k]!.push(texts[k]!.subarray(at, at + size));
          }
          for (const s of splitters) s.end();
          expect(outs).toEqual(JSON.parse(JSON.stringify(docs)));
        },
      ),
      { seed: 9, numRuns: 500, endOnFailure: true },
    );
  });

  it.each(["wasm", "js"] as const)("refuses a push made from inside another splitter's push (%s), which would overwrite its chunk", (core) => {
    const inner = new JsonSplitter({ decide: () => "emit", onValue: () => {} }, { core });
    const outer = new JsonSplitter({ decide: (p) => (p.length === 0 ? "descend" : "emit"), onValue: () => inner.push(Buffer.from("[1]")) }, { core });
    expect(() => outer.push(Buffer.from('{"a":1,"b":2}'))).toThrow(/pushed to another splitter/);
    // The scanner is free again afterwards: both can go on (the outer one has failed; a new one reads).
    const again: unknown[] = [];
    pushInChunks(new JsonSplitter({ decide: (p) => (p.length === 0 ? "descend" : "emit"), onValue: (_p, v) => again.push(v) }, { core }), '{"a":[1,{"b":"c"}]}', [3]);
    expect(again).toEqual([[1, { b: "c" }]]);
  });

  it("reads a push larger than the WebAssembly scanner's memory whole: no boundary the caller did not make", () => {
    // Found by review: cut into 4 MiB parts, a key across the cut was kept (and a root literal refused).
    const PRUNE = { drop: ["values"] };
    const pad = 4 * 1024 * 1024 - '{"rows":[{"pad":"'.length - 5;
    const text = `{"rows":[{"pad":"${"x".repeat(pad)}","values":{"a":1},"k":2}]}`;
    expect(text.indexOf('"values"')).toBeLessThan(4 * 1024 * 1024);
    expect(text.indexOf('"values"') + 8).toBeGreaterThan(4 * 1024 * 1024);
    const rows: unknown[] = [];
    const s = new JsonSplitter({ decide: (p) => (p.length < 2 ? "descend" : "emit"), prune: () => PRUNE, onValue: (_p, v) => rows.push(v) });
    s.push(Buffer.from(text));
    s.end();
    expect(rows).toEqual([{ pad: "x".repeat(pad), values: null, k: 2 }]);
    expect(s.scanner).toBe("js");
    const root: unknown[] = [];
    pushInChunks(new JsonSplitter({ decide: () => "emit", onValue: (_p, v) => root.push(v) }), " ".repeat(4 * 1024 * 1024 - 2) + "true");
    expect(root).toEqual([true]);
  });

  it.each(["wasm", "js"] as const)("stops a skipped value nested deeper than its stack (%s) with the limit named", (core) => {
    const text = '{"skip":' + "[".repeat(SKIPPED_NESTING + 1) + "]".repeat(SKIPPED_NESTING + 1) + "}";
    let err: unknown;
    try {
      pushInChunks(new JsonSplitter({ decide: (p) => (p.length === 0 ? "descend" : "skip"), onValue: () => {} }, { core }), text, [1 << 16]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonDepthError);
    expect((err as JsonDepthError).levels).toBe(SKIPPED_NESTING);
    expect((err as JsonDepthError).offset).toBe(8 + SKIPPED_NESTING);
  });

  it("gives the same reports without WebAssembly (node --jitless), where the TypeScript scanner reads", () => {
    // An empty directory: the built-in policies (this repository's policies/ hold HCL, which needs WebAssembly).
    const cwd = mkdtempSync(path.join(tmpdir(), "blastgate-jitless-"));
    const env = { ...process.env, NO_COLOR: "1" };
    try {
      for (const example of ["incident", "replace-reasons", "graph-modules"]) {
        const args = [BIN, "check", path.join(EXAMPLES, example, "plan.json"), "--format", "json"];
        const withWasm = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env });
        const without = spawnSync(process.execPath, ["--jitless", ...args], { cwd, encoding: "utf8", env });
        expect(withWasm.stdout).toContain('"changes"');
        expect(without.stdout, example).toBe(withWasm.stdout);
        expect(without.status, example).toBe(withWasm.status);
      }
      // HCL cannot be read there: a clear error naming the file, never an internal one.
      const hcl = spawnSync(process.execPath, ["--jitless", BIN, "check", path.join(EXAMPLES, "incident", "plan.json")], { cwd: ROOT, encoding: "utf8", env });
      expect(hcl.status).toBe(2);
      expect(hcl.stderr).toContain("error[BG9001]");
      expect(hcl.stderr).toMatch(/--> policies\/\S+\.hcl/);
      expect(hcl.stdout).toBe("");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAS_CLANG)("src/plan/scan-core-wasm.ts is what scan-core.c compiles to", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "scan-core-wasm.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toContain("matches");
    expect(r.status).toBe(0);
  });
});
