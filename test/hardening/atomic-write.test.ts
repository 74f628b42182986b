// writeAtomic under injected faults: the random temp name is forced (to plant a symlink exactly where the writer
// will open) and rename/rm are made to fail, which a real file system does not do on demand.

import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";

const faults = vi.hoisted(() => ({ random: [] as string[], renameFails: false, rmFails: false, rmCalls: [] as string[] }));

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  const randomBytes = (n: number): Buffer => {
    const forced = faults.random.shift();
    return forced !== undefined ? Buffer.from(forced, "hex") : real.randomBytes(n);
  };
  return { ...real, default: { ...real, randomBytes }, randomBytes };
});

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const rename: typeof real.rename = async (from, to) => {
    if (faults.renameFails) throw Object.assign(new Error("injected rename failure"), { code: "EIO" });
    return real.rename(from, to);
  };
  const rm: typeof real.rm = async (p, opts) => {
    faults.rmCalls.push(String(p));
    if (faults.rmFails) throw Object.assign(new Error("injected rm failure"), { code: "EBUSY" });
    return real.rm(p, opts);
  };
  return { ...real, default: { ...real, rename, rm }, rename, rm };
});

const { writeAtomic } = await import("../../src/cli/output.js");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blastgate-atomic-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  faults.random = [];
  faults.renameFails = false;
  faults.rmFails = false;
  faults.rmCalls = [];
});

describe("writeAtomic under injected faults", () => {
  it("a symlink planted at the exact temp name is not followed: O_EXCL refuses it, a fresh name is used, the report lands", async () => {
    const d = mkdtempSync(path.join(dir, "planted-"));
    const victim = path.join(dir, `victim-${path.basename(d)}`);
    writeFileSync(victim, "precious");
    const planted = ".report.json.00112233445566aa.tmp";
    symlinkSync(victim, path.join(d, planted));
    faults.random = ["00112233445566aa"];
    await writeAtomic(path.join(d, "report.json"), "the report");
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(readFileSync(path.join(d, "report.json"), "utf8")).toBe("the report");
    // The planted link is someone else's: left alone, never removed or written through.
    expect(readdirSync(d).sort()).toEqual([planted, "report.json"]);
    expect(faults.rmCalls).toEqual([]);
  });

  it("names that keep colliding: BG4001 after a few attempts, the victim untouched and nothing of ours left", async () => {
    const d = mkdtempSync(path.join(dir, "collide-"));
    const victim = path.join(dir, `victim-${path.basename(d)}`);
    writeFileSync(victim, "precious");
    const names = ["00000000000000a1", "00000000000000a2", "00000000000000a3", "00000000000000a4", "00000000000000a5", "00000000000000a6"];
    for (const n of names) symlinkSync(victim, path.join(d, `.report.json.${n}.tmp`));
    faults.random = [...names];
    const e = await writeAtomic(path.join(d, "report.json"), "the report").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BlastgateError);
    expect((e as BlastgateError).diagnostic).toMatchObject({ code: "BG4001", message: "cannot write the report (EEXIST)" });
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(readdirSync(d)).toHaveLength(names.length);
    expect(faults.rmCalls).toEqual([]);
  });

  it("rename fails: BG4001, the old report whole, the temp file removed", async () => {
    const d = mkdtempSync(path.join(dir, "rename-"));
    const target = path.join(d, "report.json");
    writeFileSync(target, '{"old":true}');
    faults.renameFails = true;
    const e = await writeAtomic(target, '{"new":true}').catch((x: unknown) => x);
    expect((e as BlastgateError).diagnostic).toMatchObject({ code: "BG4001", message: "cannot write the report (EIO)", location: { file: target } });
    expect(readFileSync(target, "utf8")).toBe('{"old":true}');
    expect(readdirSync(d)).toEqual(["report.json"]);
    expect(faults.rmCalls).toHaveLength(1);
  });

  it("rename fails and removing the temp file fails too: still BG4001 (not an internal error), naming the leftover", async () => {
    const d = mkdtempSync(path.join(dir, "rm-"));
    const target = path.join(d, "report.json");
    writeFileSync(target, '{"old":true}');
    faults.renameFails = true;
    faults.rmFails = true;
    const e = await writeAtomic(target, '{"new":true}').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BlastgateError);
    const diag = (e as BlastgateError).diagnostic;
    expect(diag.code).toBe("BG4001");
    expect(diag.message).toMatch(/^cannot write the report \(EIO\); the temp file \.report\.json\.[0-9a-f]{16}\.tmp could not be removed \(EBUSY\)$/);
    expect(readFileSync(target, "utf8")).toBe('{"old":true}');
  });
});
