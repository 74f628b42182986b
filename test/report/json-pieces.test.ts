// safeJsonPieces: a large JSON report in pieces whose concatenation is exactly safeJson's text.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeJson, safeJsonPieces } from "../../src/report/text.js";

/** Values JSON.stringify treats specially: undefined, functions, symbols, toJSON, boxed values, odd keys, unsafe text. */
const awkward = fc.oneof(
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Symbol("s")),
  fc.constant(new Date(0)),
  fc.constant({ toJSON: (key: string) => `toJSON(${key})` }),
  fc.constant({ toJSON: () => undefined }),
  fc.constant(Object.create(null) as object),
  fc.constant(new String("boxed")),
  fc.constant(Number.NaN),
  fc.constant("\u009b\u202e\u2028\x7f\ud800 ok"),
  fc.constant(JSON.parse('{"__proto__": {"a": 1}, "2": "two", "b": [], "1": {}}') as object),
);

const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.jsonValue({ maxDepth: 2 }), awkward, tie("arr"), tie("obj")),
  arr: fc.array(tie("v"), { maxLength: 6 }),
  obj: fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("__proto__", "0", "10", "toJSON")), tie("v"), { maxKeys: 6 }),
})).v;

describe("safeJsonPieces", () => {
  it("joins to exactly safeJson's text, at any walking depth and indent (property)", () => {
    fc.assert(
      // bigArray 0-3 walks containers holding arrays longer than that below `depth` (large reports do, past 256).
      fc.property(fc.oneof(value, fc.array(value), fc.dictionary(fc.string(), value)), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 12 }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), (v, depth, indent, bigArray) => {
        if (JSON.stringify(v) === undefined) {
          expect(() => safeJson(v, indent)).toThrow(TypeError);
          expect(() => [...safeJsonPieces(v, indent, depth, bigArray)]).toThrow(TypeError);
        } else expect([...safeJsonPieces(v, indent, depth, bigArray)].join("")).toBe(safeJson(v, indent));
      }),
      { numRuns: 2000 },
    );
  });

  it("cuts a large document into pieces, each escaped", () => {
    const doc = { changes: Array.from({ length: 40_000 }, (_, i) => ({ address: `aws_instance.x[${i}]`, note: i % 1000 === 0 ? "bidi \u202e here" : "plain", path: ["a", "b", i] })), tail: { ok: true } };
    const pieces = [...safeJsonPieces(doc, 2, 2)];
    expect(pieces.length).toBeGreaterThan(20);
    for (const p of pieces) expect(p.length).toBeLessThan(1 << 18);
    expect(pieces.join("")).toBe(safeJson(doc, 2));
    expect(pieces.join("")).not.toMatch(/\u202e/);
  });

  it("cuts an element holding a long array (a blast radius, a rule's addresses) into pieces too", () => {
    const radius = Array.from({ length: 30_000 }, (_, i) => ({ address: `module.app["a-${i}"].terraform_data.x`, depth: 1, path: ["net", `x${i}`] }));
    const doc = {
      destructive: [{ address: "net", blast_radius: radius }, { address: "small", blast_radius: [] }],
      policy: { status: "fail", results: [{ rule: "r", addresses: radius.map((r) => r.address) }] },
    };
    const pieces = [...safeJsonPieces(doc, 2, 2)];
    expect(pieces.join("")).toBe(safeJson(doc, 2));
    // Stringified whole, the first element alone was ~2.5 MB and the rule ~1.2 MB.
    for (const p of pieces) expect(p.length).toBeLessThan(1 << 17);
  });

  it("walks a set's reports: a report inside an envelope gets the same text as JSON.stringify gives it", () => {
    const report = { changes: [{ a: 1 }, { b: [1, 2] }], destructive: [], plan: { source: { path: null } } };
    const set = { schema_version: "1.0", reports: [report, report], verdict: { status: "pass", reasons: ["x\u2029"] } };
    expect([...safeJsonPieces(set, 2, 4)].join("")).toBe(safeJson(set, 2));
  });

  it("refuses an indent below 1 (JSON without line breaks cannot be cut at members this way)", () => {
    expect(() => [...safeJsonPieces({}, 0, 2)]).toThrow(RangeError);
  });
});
