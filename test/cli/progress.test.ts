import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";

function fakeStream(isTTY: boolean): { isTTY: boolean; columns: number; out: string[]; write(s: string): boolean } {
  const out: string[] = [];
  return { isTTY, columns: 80, out, write: (s: string) => {
      out.push(s);
      return true;
    } };
}

describe("progress", () => {
  it("shows bytes and stages on a terminal once a run passes a second, then clears the line", () => {
    let t = 0;
    const s = fakeStream(true);
    const p = createProgress(s, {}, () => t);
    p.bytes(1048576, 10485760); // before a second: nothing
    expect(s.out).toEqual([]);
    t = 1500;
    p.bytes(5242880, 10485760);
    p.stage("building the dependency graph");
    p.done();
    expect(s.out[0]).toContain("reading plan 5.0 MiB of 10 MiB (50%)");
    expect(s.out[1]).toContain("building the dependency graph");
    expect(s.out.at(-1)).toBe("\r\x1b[2K");
  });

  it("redraws the byte count at most every 100 ms (a pipe reports every 64 KiB), and every stage", () => {
    let t = 0;
    const s = fakeStream(true);
    const p = createProgress(s, {}, () => t);
    t = 2000; // past the first second
    for (let i = 1; i <= 1000; i++) p.bytes(i * 65536, undefined);
    expect(s.out).toEqual([expect.stringContaining("reading plan 0.1 MiB")]);
    t = 2099;
    p.bytes(70 * 1048576, undefined);
    expect(s.out).toHaveLength(1);
    t = 2100;
    p.bytes(80 * 1048576, undefined);
    p.stage("analysing");
    p.stage("evaluating policies");
    expect(s.out.slice(1)).toEqual([expect.stringContaining("reading plan 80 MiB"), expect.stringContaining("analysing"), expect.stringContaining("evaluating policies")]);
  });

  it("prints nothing when stderr is not a terminal", () => {
    const s = fakeStream(false);
    const p = createProgress(s, {}, () => 5000);
    p.bytes(1, 2);
    p.stage("x");
    p.done();
    expect(s.out).toEqual([]);
  });

  it("prints nothing in CI, even on a terminal", () => {
    const s = fakeStream(true);
    const p = createProgress(s, { CI: "true" }, () => 5000);
    p.stage("x");
    p.done();
    expect(s.out).toEqual([]);
  });
});
