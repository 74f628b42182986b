// SensitiveValues.digest() writes its canonical text directly; fingerprints bind approvals, so it must hash exactly
// the text the first implementation made by rebuilding the value and stringifying it (kept here as the oracle).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SensitiveValues } from "../../src/plan/values.js";
import { sha256Hex } from "../../src/sha256.js";

function step(v: unknown, key: string | number): unknown {
  if (v === null || typeof v !== "object") return undefined;
  if (Array.isArray(v)) return typeof key === "number" ? v[key] : undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[String(key)] : undefined;
}

/** The digest as first written: a canonical tree, then JSON.stringify. */
function oracle(after: unknown, afterSensitive: unknown, afterUnknown: unknown): string {
  const SENSITIVE = "\u0000sensitive";
  const canon = (v: unknown, mask: unknown): unknown => {
    if (mask === true) return SENSITIVE;
    if (Array.isArray(v)) return v.map((x, i) => canon(x, step(mask, i)));
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      return { o: Object.keys(o).sort().map((k) => [k, canon(o[k], step(mask, k))]) };
    }
    return v;
  };
  return sha256Hex(JSON.stringify([canon(after ?? null, afterSensitive), canon(afterUnknown ?? null, undefined)]));
}

/** A mask shaped like the value: true, false or absent at any node, nested where the value nests. */
function maskOf(v: unknown, bits: () => number): unknown {
  const b = bits();
  if (b === 0) return true;
  if (b === 1) return undefined;
  if (Array.isArray(v)) return v.map((x) => maskOf(x, bits));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskOf(x, bits)]));
  return b === 2;
}

describe("SensitiveValues.digest", () => {
  it("hashes the same text as the canonical tree stringified (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 3 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 64 }), fc.boolean(), (after, unknown, seq, withUnknown) => {
        let i = 0;
        const bits = (): number => seq[i++ % seq.length]!;
        const mask = maskOf(after, bits);
        const v = new SensitiveValues({ after, after_sensitive: mask, ...(withUnknown ? { after_unknown: unknown } : {}) });
        expect(v.digest()).toBe(oracle(after, mask, withUnknown ? unknown : undefined));
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it("keeps keys that need escaping, unicode and -0 as before", () => {
    const after = { "a\"b": [1, -0, 1e21, "\u2028", null], "\u00e9": { z: true, a: false }, "": [] };
    const v = new SensitiveValues({ after, after_sensitive: { "\u00e9": { z: true } } });
    expect(v.digest()).toBe(oracle(after, { "\u00e9": { z: true } }, undefined));
  });
});
