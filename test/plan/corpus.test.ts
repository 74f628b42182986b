// Conformance over ../shared/corpus: every real plan loads and the model agrees with the raw JSON; every file in
// invalid/ is rejected clearly (except UTF-16 plans, which must be read); every file in encodings/ is read.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { formatAddress, parseAddress } from "../../src/plan/address.js";
import { kindOf } from "../../src/plan/actions.js";
import { loadPlan } from "../../src/plan/read.js";
import { CORPUS, HAS_CORPUS, listJson } from "../helpers/paths.js";

if (!HAS_CORPUS) console.warn(`corpus conformance skipped: ${CORPUS} does not exist (it is shared beside the project root)`);

const good = listJson(CORPUS).filter((f) => !f.includes(`${path.sep}invalid${path.sep}`) && !f.includes(`${path.sep}encodings${path.sep}`));
const invalid = listJson(path.join(CORPUS, "invalid"));
const encodings = listJson(path.join(CORPUS, "encodings"));
const rel = (f: string): string => path.relative(CORPUS, f);

/** A UTF-16 file with a byte-order mark: a real plan PowerShell wrote; it must be read, wherever it is filed. */
function isUtf16(f: string): boolean {
  const b = readFileSync(f).subarray(0, 2);
  return (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
}

function decodeRaw(f: string): Record<string, unknown> {
  const buf = readFileSync(f);
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) text = new TextDecoder("utf-16le").decode(buf.subarray(2));
  else if (buf[0] === 0xfe && buf[1] === 0xff) text = new TextDecoder("utf-16be").decode(buf.subarray(2));
  else text = buf.toString("utf8").replace(/^\uFEFF/, "");
  return JSON.parse(text) as Record<string, unknown>;
}

interface RawChange {
  address?: string;
  change: { actions: string[]; importing?: unknown };
  previous_address?: string;
}

describe.skipIf(!HAS_CORPUS)("corpus: real plans", () => {
  it("has plans to test", () => {
    expect(good.length).toBeGreaterThan(100);
  });

  it.each(good.map((f) => [rel(f), f]))("%s loads and matches the raw JSON", async (_name, file) => {
    const raw = decodeRaw(file);
    const plan = await loadPlan(file);
    const rawChanges = (raw.resource_changes ?? []) as RawChange[];
    expect(plan.changes.length).toBe(rawChanges.length);
    expect(plan.formatVersion).toBe(raw.format_version);
    // Counts per raw action list agree.
    const count = (xs: string[][]): Record<string, number> => xs.reduce<Record<string, number>>((m, a) => ((m[a.join(",")] = (m[a.join(",")] ?? 0) + 1), m), {});
    expect(count(plan.changes.map((c) => [...c.actions]))).toEqual(count(rawChanges.map((c) => c.change.actions)));
    // Kinds agree with the actions, and addresses round-trip through the parser.
    plan.changes.forEach((c, i) => {
      const r = rawChanges[i]!;
      expect(c.kind).toBe(kindOf(r.change.actions, { importing: r.change.importing != null && typeof r.change.importing === "object", moved: r.previous_address !== undefined && r.previous_address !== r.address }));
      if (r.address !== undefined) {
        expect(c.address).toBe(r.address);
        expect(formatAddress(parseAddress(c.address))).toBe(c.address);
      }
    });
    // Nothing of a value survives in the model's JSON form.
    expect(JSON.stringify(plan)).not.toMatch(/"(before|after)":/);
    expect(plan.drift.length).toBe(((raw.resource_drift ?? []) as unknown[]).length);
  });
});

describe.skipIf(!HAS_CORPUS)("corpus: invalid files", () => {
  const rejected = invalid.filter((f) => !isUtf16(f));
  it.each(rejected.map((f) => [rel(f), f]))("%s is rejected with a clear error", async (_name, file) => {
    let err: unknown;
    try {
      await loadPlan(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlastgateError);
    const d = (err as BlastgateError).diagnostic;
    expect(d.code).toMatch(/^BG1\d{3}$/);
    expect(d.location?.file).toBe(file);
    expect(d.fix).toBeTruthy();
    expect(d.message.length).toBeGreaterThan(10);
  });

  // MANIFEST.md: UTF-16 plans were first filed under invalid/ and later moved to encodings/; read them either way.
  const utf16 = [...encodings, ...invalid.filter(isUtf16)];
  it.each(utf16.map((f) => [rel(f), f]))("%s (UTF-16 with a BOM) is read", async (_name, file) => {
    const raw = decodeRaw(file);
    const plan = await loadPlan(file);
    expect(plan.source.encoding).toMatch(/^utf-16/);
    expect(plan.changes.map((c) => c.address)).toEqual(((raw.resource_changes ?? []) as RawChange[]).map((c) => c.address));
  });
});
