// Writing text in pieces (a large JSON report is rendered while it is written): the same bytes as one string,
// and an error while rendering is that error, with no report file left behind.

import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writeAtomic, writeStdout } from "../../src/cli/output.js";

const dir = mkdtempSync(path.join(tmpdir(), "blastgate-pieces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writing text in pieces", () => {
  it("writeAtomic to a named pipe writes into it and leaves it a pipe (a file renamed over it would replace it)", async () => {
    const fifo = path.join(dir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "ignore"] });
    const got: Buffer[] = [];
    reader.stdout.on("data", (d: Buffer) => got.push(d));
    const done = new Promise((resolve) => reader.on("close", resolve));
    await writeAtomic(fifo, (function* () {
      yield '{"a":';
      yield "1}";
    })());
    // Had a file been renamed over the pipe, nothing would ever open it for writing and cat would wait forever.
    const inTime = await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!inTime) reader.kill();
    expect(inTime).toBe(true);
    expect(Buffer.concat(got).toString("utf8")).toBe('{"a":1}');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writeAtomic: a long string (a surrogate pair across the 1 MiB cut) and its pieces give the bytes Buffer.from gives", async () => {
    const text = "a".repeat((1 << 20) - 1) + "😀é\u2028" + "b".repeat(3 << 20) + "\ud800";
    const one = path.join(dir, "one.json");
    const many = path.join(dir, "many.json");
    await writeAtomic(one, text);
    await writeAtomic(many, (function* () {
      yield text.slice(0, 10);
      yield "";
      yield text.slice(10);
    })());
    expect(readFileSync(one).equals(Buffer.from(text))).toBe(true);
    expect(readFileSync(many).equals(Buffer.from(text))).toBe(true);
  });

  it("writeAtomic: an error while the pieces are made is rethrown as it is; the old report stays and no temp file is left", async () => {
    const d = mkdtempSync(path.join(dir, "fail-"));
    const target = path.join(d, "report.json");
    writeFileSync(target, '{"old":true}');
    const boom = new RangeError("render failed");
    const e = await writeAtomic(target, (function* () {
      yield "x".repeat(1 << 20);
      throw boom;
    })()).catch((x: unknown) => x);
    expect(e).toBe(boom);
    expect(readFileSync(target, "utf8")).toBe('{"old":true}');
    expect(readdirSync(d)).toEqual(["report.json"]);
  });

  it("writeStdout: a spy on write() gets every piece, in order, as text", async () => {
    const writes: unknown[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((c: unknown) => (writes.push(c), true));
    try {
      await writeStdout(["{", "\n  \"a\": 1", "\n}\n"]);
      await writeStdout("x".repeat((1 << 20) + 5));
    } finally {
      spy.mockRestore();
    }
    expect(writes.slice(0, 3)).toEqual(["{", "\n  \"a\": 1", "\n}\n"]);
    expect(writes.slice(3).every((w) => typeof w === "string")).toBe(true);
    expect(writes.slice(3).join("")).toBe("x".repeat((1 << 20) + 5));
  });
});
