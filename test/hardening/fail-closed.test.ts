// Fail closed: a failure injected into any stage of the flow ends in exit 2 with a message, never 0; so does every
// way the terraform conversion can fail (a fake terraform on PATH plays each one).

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fail } from "../../src/diagnostics/index.js";
import { DEFAULT_STAGES, STAGE_NAMES, type Stages } from "../../src/cli/flow.js";
import { main } from "../../src/cli/main.js";
import { FORMAT_IDS } from "../../src/report/formats/index.js";
import { EXAMPLES } from "../helpers/paths.js";
import { runs, SEED, summaryLine, tally } from "./harness.js";

const t = tally();
afterAll(() => console.log(summaryLine("fail closed (injected failures, terraform failures)", t)));

function thrower(kind: "blastgate" | "bug" | "string", stage: string): (...args: unknown[]) => never {
  return () => {
    if (kind === "blastgate") throw fail("BG9999", `injected failure in ${stage}`);
    if (kind === "bug") throw new TypeError(`injected bug in ${stage}`);
    throw `injected ${stage}`;
  };
}

describe("fail closed", () => {
  it("every stage, every kind of failure: exit 2 and a message on stderr (property)", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STAGE_NAMES),
          fc.constantFrom("blastgate" as const, "bug" as const, "string" as const),
          fc.constantFrom("examples/incident/plan.json", "examples/safe/plan.json"),
          fc.constantFrom("terminal", "json"),
          async (stage, kind, plan, format) => {
            stderr.mockClear();
            const stages: Partial<Stages> = { [stage]: thrower(kind, stage) };
            const args = ["check", plan, "--format", format, ...(stage === "sources" ? ["--tf-dir", "examples/incident"] : [])];
            const code = await main(args, { stages });
            expect(code).toBe(2);
            const text = stderr.mock.calls.map((c) => String(c[0])).join("");
            expect(text).toMatch(/^error\[BG\d{4}\]/);
          },
        ),
        { seed: 11, numRuns: runs(40) },
      );
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("the safe example passes when nothing fails (the property above is not vacuous)", async () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["check", "examples/safe/plan.json", "--format", "json"])).toBe(0);
    } finally {
      stdout.mockRestore();
    }
  });

  /** What a stage can throw: errors, non-errors, values whose conversion to text throws, and rejected promises. */
  const THROWN: [string, () => unknown][] = [
    ["BlastgateError", () => fail("BG9999", "injected")],
    ["TypeError", () => new TypeError("injected")],
    ["RangeError (stack overflow)", () => new RangeError("Maximum call stack size exceeded")],
    ["a string", () => "injected"],
    ["undefined", () => undefined],
    ["null", () => null],
    ["a number", () => 42],
    ["a plain object", () => ({ message: "injected" })],
  ];

  // commits: its rejection is held while the plan is read and thrown by the policy stage, which must still exit 2.
  const ASYNC_STAGES: ReadonlySet<string> = new Set(["load", "sources", "policies", "commits", "policy"]);

  it("any stage, anything thrown or rejected, any format, stdout or a file: exit 2, a diagnostic, no report file (property)", { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-failclosed-"));
    const writes: string[] = [];
    const capture = (c: unknown): boolean => (writes.push(String(c)), true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STAGE_NAMES),
          fc.nat({ max: THROWN.length - 1 }),
          fc.boolean(),
          fc.constantFrom(...FORMAT_IDS),
          fc.boolean(),
          fc.constantFrom("incident", "safe", "deletes", "empty-state", "replace-reasons"),
          async (stage, which, async_, format, toFile, example) => {
            writes.length = 0;
            const [, make] = THROWN[which]!;
            // A rejected promise only where the stage is async (a sync stage returning a promise breaks its type).
            const impl = async_ && ASYNC_STAGES.has(stage) ? () => Promise.reject(make()) : () => { throw make(); };
            const out = path.join(dir, `report-${t.cases}.${format}`);
            const args = ["check", path.join(EXAMPLES, example, "plan.json"), "-f", format, ...(toFile ? ["-o", `${format}=${out}`] : []), "--no-ai-assisted"];
            if (stage === "sources") args.push("--tf-dir", path.join(EXAMPLES, example));
            let code: number;
            try {
              code = await main(args, { stages: { [stage]: impl } as Partial<Stages> });
            } catch (e) {
              t.crashes++;
              throw new Error(`main() itself threw (the process would die with a stack trace, exit 1): ${String(e instanceof Error ? e.message : typeof e)}`);
            } finally {
              t.cases++;
            }
            if (code !== 2) t.failOpen++;
            else t.errors++;
            expect(code).toBe(2);
            expect(writes.join("")).toMatch(/^error\[BG\d{4}\]/);
            if (toFile) expect(existsSync(out)).toBe(false);
          },
        ),
        { seed: SEED + 5, numRuns: runs(60) },
      );
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Thrown values that break naive handling: String(e) throws, or reading name/message/stack throws. */
  const HOSTILE: [string, () => unknown][] = [
    ["an object without a prototype", () => Object.create(null) as unknown],
    ["an object whose toString throws", () => ({ toString: () => { throw new Error("no"); } })],
    ["a Symbol", () => Symbol("injected")],
    ["an Error whose name getter throws", () => Object.defineProperty(new Error("injected"), "name", { get: () => { throw new Error("no name"); } })],
    ["an Error whose message getter throws", () => Object.defineProperty(new Error("injected"), "message", { get: () => { throw new Error("no message"); } })],
    ["an Error whose stack getter throws", () => Object.defineProperty(new Error("injected"), "stack", { get: () => { throw new Error("no stack"); } })],
    ["an Error whose toString throws", () => Object.defineProperty(new TypeError("injected"), "toString", { value: () => { throw new Error("no"); } })],
    ["an Error subclass whose name is not a string", () => Object.defineProperty(new Error("injected"), "name", { value: Symbol("n") })],
    ["an Error named with escapes", () => Object.defineProperty(new Error("injected"), "name", { value: "Evil\x1b[31m\u202e\nName" })],
    ["a Proxy whose every trap throws", () => new Proxy({}, { get: () => { throw new Error("trap"); }, getPrototypeOf: () => { throw new Error("trap"); }, has: () => { throw new Error("trap"); } })],
    ["a BlastgateError whose diagnostic getter throws", () => Object.defineProperty(fail("BG9999", "injected"), "diagnostic", { get: () => { throw new Error("no"); } })],
  ];

  describe.each(["load", "analyse", "render"] as const)("a hostile throwable in the %s stage", (stage) => {
    it.each(HOSTILE)("%s: exit 2 and BG9000 on stderr, with and without --debug", async (_label, make) => {
      const writes: string[] = [];
      const capture = (c: unknown): boolean => (writes.push(typeof c === "string" ? c : Buffer.from(c as Uint8Array).toString("utf8")), true);
      const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
      const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      try {
        for (const debug of [false, true]) {
          writes.length = 0;
          const args = ["check", path.join(EXAMPLES, "safe", "plan.json"), "--no-ai-assisted", ...(debug ? ["--debug"] : [])];
          const code = await main(args, { stages: { [stage]: () => { throw make(); } } as Partial<Stages> });
          expect(code).toBe(2);
          const text = writes.join("");
          expect(text).toMatch(/^error\[BG9000\]: internal error: /);
          // The error's class name is printed, never a raw escape or a line break from a hostile name.
          expect(text.split("\n")[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
        }
      } finally {
        stderr.mockRestore();
        stdout.mockRestore();
      }
    });
  });

  it("git failing while the plan is read (the commits stage rejects later): exit 2 once the policy stage needs it", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      for (const plan of ["safe", "incident"]) {
        stderr.mockClear();
        let rejectedBeforeLoad = false;
        const stages: Partial<Stages> = {
          commits: () => new Promise((_resolve, reject) => setImmediate(() => ((rejectedBeforeLoad = true), reject(fail("BG9999", "git broke"))))),
          load: async (input, opts) => {
            // Wait until the rejection has happened: it must be held, not lost, while the plan is read.
            while (!rejectedBeforeLoad) await new Promise((r) => setImmediate(r));
            return DEFAULT_STAGES.load(input, opts);
          },
        };
        const code = await main(["check", path.join(EXAMPLES, plan, "plan.json"), "--format", "json"], { stages });
        expect(code).toBe(2);
        expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/^error\[BG9999\]: git broke/);
      }
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("a hostile throwable from an async stage (a rejected promise) also ends in exit 2 with BG9000", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      for (const [, make] of HOSTILE) {
        stderr.mockClear();
        const code = await main(["check", path.join(EXAMPLES, "safe", "plan.json"), "--no-ai-assisted"], { stages: { load: () => Promise.reject(make()) } });
        expect(code).toBe(2);
        expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/^error\[BG9000\]/);
      }
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("an Error's class name is kept in the BG9000 message, and --debug prints its stack", async () => {
    const writes: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(((c: unknown) => (writes.push(String(c)), true)) as never);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const code = await main(["check", path.join(EXAMPLES, "safe", "plan.json"), "--no-ai-assisted", "--debug"], { stages: { analyse: () => { throw new RangeError("injected"); } } });
      expect(code).toBe(2);
      expect(writes.join("")).toMatch(/^error\[BG9000\]: internal error: RangeError\n/);
      expect(writes.join("")).toContain("RangeError: injected\n    at ");
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});

describe("fail closed: every way terraform show can fail", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "blastgate-tf-fail-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const PLAN = path.join(EXAMPLES, "safe", "plan.json");
  const cases: [string, string][] = [
    ["exits 1 with an error", `echo 'Error: Failed to load plugin schemas' >&2\nexit 1`],
    ["prints a whole, valid plan and then exits 1", `cat "${PLAN}"\nexit 1`],
    ["prints half a plan and is killed", `head -c 2000 "${PLAN}"\nkill -9 $$`],
    ["prints a whole plan and is killed", `cat "${PLAN}"\nkill -9 $$`],
    ["prints garbage and exits 0", `echo 'Terraform v1.9.8 on linux_amd64'\nexit 0`],
    ["prints nothing and exits 0", `exit 0`],
    ["prints a state instead of a plan", `echo '{"format_version":"1.0","values":{"root_module":{}}}'`],
    ["prints an unknown major format", `echo '{"format_version":"2.0","resource_changes":[]}'`],
    ["is not executable", ``],
  ];

  it.each(cases)("terraform %s: exit 2 with a diagnostic", async (label, body) => {
    const bin = mkdtempSync(path.join(dir, "bin-"));
    const tf = path.join(bin, "terraform");
    writeFileSync(tf, `#!/bin/sh\n${body}\n`);
    chmodSync(tf, body === "" ? 0o644 : 0o755);
    mkdirSync(path.join(bin, "work"));
    const plan = path.join(bin, "work", "tfplan");
    writeFileSync(plan, Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const writes: string[] = [];
    const capture = (c: unknown): boolean => (writes.push(String(c)), true);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    let code: number;
    try {
      code = await main(["check", plan, "--terraform-bin", tf, "-f", "json", "--no-ai-assisted"]);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    t.cases++;
    if (code === 2) t.errors++;
    else t.failOpen++;
    expect(code, `${label}: ${writes.join("")}`).toBe(2);
    expect(writes.join("")).toMatch(/^error\[BG1\d{3}\]/);
  });
});
