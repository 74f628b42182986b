// Whatever escapes main() — an uncaught exception from an event nobody listens to, a rejection nobody awaits, a
// dist/ that fails to load — exits 2 with BG9000 from bin/blastgate.js's last-resort handlers, never 1 ("the gate
// failed") or 0.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, EXAMPLES } from "../helpers/paths.js";

const SAFE = path.join(EXAMPLES, "safe", "plan.json");
const tmp = mkdtempSync(path.join(tmpdir(), "blastgate-last-resort-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `body` once bin/blastgate.js has installed its handlers (ESM loading is asynchronous: a bare timer can fire first). */
const once = (body: string): string => `const t = setInterval(() => { if (process.listenerCount("uncaughtException") === 0) return; clearInterval(t); ${body} }, 1);`;

function run(args: string[], preload?: string): { code: number | null; stderr: string; stdout: string } {
  const pre: string[] = [];
  if (preload !== undefined) {
    const file = path.join(tmp, `preload-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, preload);
    pre.push("--import", file);
  }
  const r = spawnSync(process.execPath, [...pre, BIN, ...args], { encoding: "utf8", cwd: tmp, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("last-resort handlers in bin/blastgate.js", () => {
  it.each([
    ["an uncaught exception from a timer", once(`throw new TypeError("boom");`)],
    ["an unhandled rejection", once(`Promise.reject(new RangeError("nope"));`)],
    ["a thrown non-Error value", once(`throw Object.create(null);`)],
  ])("%s exits 2 with BG9000", (_name, preload) => {
    const r = run(["check", SAFE, "--format", "json"], preload);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("BG9000");
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace without --debug
  });

  it("prints the stack with --debug", () => {
    const r = run(["check", SAFE, "--format", "json", "--debug"], once(`throw new TypeError("boom");`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TypeError: boom\n\s+at /);
  });

  it("a missing dist/ exits 2, names the missing file and says to build", () => {
    const root = path.join(tmp, "no-dist");
    mkdirSync(path.join(root, "bin"), { recursive: true });
    copyFileSync(BIN, path.join(root, "bin", "blastgate.js"));
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ type: "module" }));
    const r = spawnSync(process.execPath, [path.join(root, "bin", "blastgate.js"), "--version"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("BG9000");
    expect(r.stderr).toContain("npm run build");
    expect(r.stderr).toContain(`--> ${path.join(root, "dist", "bundle", "cli.js")}`);
  });
});
