// A reader that closes standard output early (`blastgate check ... | head -c 1`) must not crash blastgate: no stack
// trace, and the exit code still says what the gate decided (docs/security.md: EPIPE is not an error, see writeStdout
// in src/cli/output.ts). Runs the built CLI (bin/blastgate.js -> dist/; `npm test` builds first).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, EXAMPLES, ROOT } from "../helpers/paths.js";

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI with a stdout pipe whose reading end is closed before the report is written. */
function closedBeforeWrite(args: string[]): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    p.stdout.destroy();
    let stderr = "";
    p.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

/**
 * Runs `blastgate ARGS | READER` in bash and returns blastgate's own exit status (PIPESTATUS[0]) and stderr (bash's
 * stderr, the pipe read here; the readers used stay silent).
 */
function pipedInto(args: string[], reader: string, env: NodeJS.ProcessEnv = {}): Promise<Closed> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const p = spawn("bash", ["-c", `${quoted} | ${reader}; exit "\${PIPESTATUS[0]}"`], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
    let stderr = "";
    p.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Runs `blastgate ARGS | head -c 1`. */
const pipedIntoHead = (args: string[]): Promise<Closed> => pipedInto(args, "head -c 1 >/dev/null");

const NO_CRASH = /at .*\(.*:\d+:\d+\)|node:internal|Error: (write )?EPIPE|Unhandled|BG9000/;
const INCIDENT = path.join(EXAMPLES, "incident", "plan.json");
const SAFE = path.join(EXAMPLES, "safe", "plan.json");

describe("a reader that closes standard output early (EPIPE)", () => {
  it.each([
    ["incident", "json", 1, INCIDENT],
    ["incident", "html", 1, INCIDENT],
    ["incident", "terminal", 1, INCIDENT],
    ["safe", "terminal", 0, SAFE],
    ["safe", "sarif", 0, SAFE],
  ] as const)("closed before the write: the %s example as %s, no stack trace, the gate's exit code %i", async (_label, format, expected, plan) => {
    const r = await closedBeforeWrite(["check", plan, "--format", format, "--no-ai-assisted"]);
    expect(r.stderr).not.toMatch(NO_CRASH);
    expect(r.stderr).toBe("");
    expect(r.signal).toBeNull();
    expect(r.code).toBe(expected);
  });

  it("`| head -c 1` on a report larger than the pipe buffer (closed mid-write): no stack trace, exit 1 for the incident", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await pipedIntoHead(["check", INCIDENT, "--format", "json", "--no-ai-assisted"]);
      expect(r.stderr).not.toMatch(NO_CRASH);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
    }
  });

  it("an error run with stdout closed still exits 2 and prints its diagnostic on stderr", async () => {
    const r = await closedBeforeWrite(["check", path.join(EXAMPLES, "does-not-exist.json"), "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[BG1000\]/);
    expect(r.stderr).not.toMatch(NO_CRASH);
  });

  it("`fingerprint` with stdout closed: no stack trace, exit 0", async () => {
    const r = await closedBeforeWrite(["fingerprint", INCIDENT]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

/**
 * Runs `blastgate ARGS | (sleep SECONDS; cat > OUT)` in a shell: nothing reads the pipe until well after blastgate is
 * done, so whatever it left queued in its stdout stream must still be written before it exits. Returns blastgate's
 * exit status and the bytes the reader got.
 */
async function readAfterExit(args: string[], seconds: number): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "blastgate-slow-"));
  const out = path.join(dir, "out");
  try {
    const r = await pipedInto(args, `(sleep ${seconds}; cat > '${out}')`, { GITHUB_STEP_SUMMARY: "" });
    return { code: r.code, stdout: readFileSync(out), stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a reader slower than blastgate (bin/blastgate.js leaves early only once stdout is flushed)", () => {
  it("`ci github` over six plans (a report and annotations, >64 KiB in several writes): every byte arrives", { timeout: 60_000 }, async () => {
    const plans = ["incident", "deletes", "replace-reasons", "prevent-destroy", "destroy-mode", "graph-deposed"].map((n) => path.join(EXAMPLES, n, "plan.json"));
    const reports = mkdtempSync(path.join(tmpdir(), "blastgate-slow-reports-"));
    const args = ["ci", "github", ...plans, "--report-dir", reports, "--no-ai-assisted"];
    const prompt = await readAfterExit(args, 0);
    expect(prompt.stderr).toBe("");
    expect(prompt.code).toBe(1);
    expect(prompt.stdout.length).toBeGreaterThan(64 * 1024);
    // The output is bigger than the pipe buffer and written in several pieces, so some is still queued in the
    // stream when main() returns (an unconditional process.exit() there lost the last ~3 KB of annotations).
    const slow = await readAfterExit(args, 5);
    expect(slow.code).toBe(1);
    expect(slow.stdout.length).toBe(prompt.stdout.length);
    expect(slow.stdout.equals(prompt.stdout)).toBe(true);
  });
});
