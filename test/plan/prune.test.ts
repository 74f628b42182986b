// The splitter drops members a handler will not read (a no-op row's before and after, a prior_state resource's values)
// before JSON.parse. Whatever the document and its chunking, a dropped member may only ever become null where the
// rule allows it, and everything else must be what JSON.parse gives.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.js";
import { pushInChunks } from "../helpers/chunks.js";
import { JsonSplitter, JsonSyntaxError, type PathSegment, type Prune } from "../../src/plan/splitter.js";

const PRUNE: Prune = { drop: ["values"], nested: { parent: "change", drop: ["before", "after"], when: { key: "actions", raw: '["no-op"]' } } };
const emitRows = (p: readonly PathSegment[]): "descend" | "emit" | "skip" => (p.length === 0 || (p.length === 1 && p[0] === "rows") ? "descend" : p.length === 2 ? "emit" : "skip");

/** The byte scanner the splitters below use (each suite runs with both: scan-core.ts). */
let scanner: "wasm" | "js" = "wasm";

/** Splits `text` in chunks of the given sizes (one chunk when empty) and returns the emitted rows. */
function rows(text: string, sizes: number[] = []): unknown[] {
  const out: unknown[] = [];
  pushInChunks(new JsonSplitter({ decide: emitRows, prune: () => PRUNE, onValue: (_p, v) => out.push(v) }, { core: scanner }), text, sizes);
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** What the rule drops from a row written by JSON.stringify (keys in Object.keys order, no duplicates). */
function pruned(row: unknown): unknown {
  if (!isObj(row)) return row;
  const out: Record<string, unknown> = { ...row };
  if ("values" in out) out.values = null;
  const change = row.change;
  if (isObj(change)) {
    const keys = Object.keys(change);
    const at = keys.indexOf("actions");
    // A key written with an escape might be the condition key again: nothing in that object is dropped.
    const escaped = keys.some((k) => JSON.stringify(k) !== `"${k}"`);
    if (at >= 0 && !escaped && JSON.stringify(change.actions) === '["no-op"]') {
      const c: Record<string, unknown> = { ...change };
      for (const k of ["before", "after"]) if (keys.indexOf(k) > at) c[k] = null;
      out.change = c;
    }
  }
  return out;
}

/** True when `got` is `orig` with some of the members `want` sets to null set to null (chunk boundaries may keep them). */
function between(got: unknown, orig: unknown, want: unknown): boolean {
  if (!isObj(orig) || !isObj(got) || !isObj(want)) return JSON.stringify(got) === JSON.stringify(orig);
  const keys = Object.keys(orig);
  if (JSON.stringify(Object.keys(got)) !== JSON.stringify(keys)) return false;
  return keys.every((k) => {
    if (k === "change") return between(got[k], orig[k], want[k]);
    const same = JSON.stringify(got[k]) === JSON.stringify(orig[k]);
    return same || (got[k] === null && want[k] === null && (k === "values" || k === "before" || k === "after"));
  });
}

const actions = fc.constantFrom<unknown>(["no-op"], ["delete"], ["no-op", "create"], ["create", "delete"], "no-op", [], ["no-op "], null);
const value = fc.jsonValue({ maxDepth: 3 });
/** An object with the given optional members and a few others, in a random order. */
const shuffled = (members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(
      fc.tuple(...Object.entries(members).map(([k, a]) => fc.tuple(fc.constant(k), a))),
      fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 2 }),
    )
    .chain(([named, extra]) => fc.shuffledSubarray([...named, ...Object.entries(extra)], { minLength: 0 }))
    .map((entries) => Object.fromEntries(entries));
const change = shuffled({ actions, before: value, after: value, after_unknown: value, before_sensitive: value });
const row = fc.oneof(shuffled({ address: fc.string(), change, values: value, depends_on: fc.array(fc.string(), { maxLength: 3 }) }), value);

describe.each(["wasm", "js"] as const)("JsonSplitter prune (%s scanner)", (core) => {
  beforeAll(() => {
    scanner = core;
  });
  it("drops exactly what the rule names when the value is in one chunk (property)", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), fc.boolean(), (rs, pretty) => {
        const text = JSON.stringify({ rows: rs }, null, pretty ? 2 : undefined);
        const orig = (JSON.parse(text) as { rows: unknown[] }).rows;
        expect(rows(text)).toEqual(orig.map(pruned));
      }),
      { seed: 11, numRuns: 1500, endOnFailure: true },
    );
  });

  it("whatever the chunking, never drops more, and everything kept is what JSON.parse gives (property)", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 19 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (rs, sizes, pretty) => {
        const text = JSON.stringify({ rows: rs }, null, pretty ? 2 : undefined);
        const orig = (JSON.parse(text) as { rows: unknown[] }).rows;
        const got = rows(text, sizes);
        expect(got.length).toBe(orig.length);
        got.forEach((g, i) => expect(between(g, orig[i], pruned(orig[i])), JSON.stringify({ got: g, orig: orig[i] })).toBe(true));
      }),
      { seed: 12, numRuns: 1500, endOnFailure: true },
    );
  });

  it("keeps a member when the condition is unsure: written twice, escaped, after the member, or in another object", () => {
    const cases: [string, unknown][] = [
      // JSON.parse keeps the last "actions" (delete): the values are read, so nothing may be dropped.
      ['{"change":{"actions":["no-op"],"before":{"a":1},"actions":["delete"]}}', { change: { actions: ["delete"], before: { a: 1 } } }],
      ['{"change":{"actions":["no\\u002dop"],"before":{"a":1}}}', { change: { actions: ["no-op"], before: { a: 1 } } }],
      ['{"change":{"before":{"a":1},"actions":["no-op"]}}', { change: { before: { a: 1 }, actions: ["no-op"] } }],
      ['{"change":{"act\\u0069ons":["no-op"],"before":1}}', { change: { actions: ["no-op"], before: 1 } }],
      ['{"change":{"actions":["no-op"],"b\\u0065fore":1}}', { change: { actions: ["no-op"], before: 1 } }],
      ['{"other":{"actions":["no-op"],"before":1}}', { other: { actions: ["no-op"], before: 1 } }],
      ['{"change":{"x":{"actions":["no-op"],"before":1},"before":2}}', { change: { x: { actions: ["no-op"], before: 1 }, before: 2 } }],
      ['{"change":[{"actions":["no-op"],"before":1}]}', { change: [{ actions: ["no-op"], before: 1 }] }],
      ['{"x":{"values":1}}', { x: { values: 1 } }],
    ];
    for (const [text, want] of cases) expect(rows(`{"rows":[${text}]}`), text).toEqual([want]);
  });

  it("drops what the rule names across odd spacing; broken text in a kept member is still an error", () => {
    expect(rows('{"rows":[{ "change" : { "actions" : [ "no-op" ] , "before" : {"a":[1,{"b":"}"}]} , "after":2 } , "values" : [1] }]}')).toEqual([
      { change: { actions: ["no-op"], before: null, after: null }, values: null },
    ]);
    // A dropped member is passed over like a skipped value: its brackets and strings are checked, not its grammar.
    expect(rows('{"rows":[{"change":{"actions":["no-op"],"before":{"a" 1}}}]}')).toEqual([{ change: { actions: ["no-op"], before: null } }]);
    expect(() => rows('{"rows":[{"change":{"actions":["no-op"],"before":1,"after_unknown":{"a" 1}}}]}')).toThrow(JsonSyntaxError);
  });
});

/** True when `got` differs from JSON.parse's `want` only where the reader's rules allow: never on a row that is not a no-op. */
function allowed(got: unknown, want: unknown): boolean {
  if (!isObj(want) || !isObj(got)) return JSON.stringify(got) === JSON.stringify(want);
  if (JSON.stringify(Object.keys(got)) !== JSON.stringify(Object.keys(want))) return false;
  return Object.keys(want).every((k) => {
    if (JSON.stringify(got[k]) === JSON.stringify(want[k])) return true;
    if (k === "values") return got[k] === null;
    if (k !== "change") return false;
    const g = got[k];
    const w = want[k];
    if (!isObj(g) || !isObj(w) || JSON.stringify(w.actions) !== '["no-op"]') return false;
    if (JSON.stringify(Object.keys(g)) !== JSON.stringify(Object.keys(w))) return false;
    return Object.keys(w).every((ck) => JSON.stringify(g[ck]) === JSON.stringify(w[ck]) || ((ck === "before" || ck === "after") && g[ck] === null));
  });
}

describe.each(["wasm", "js"] as const)("JsonSplitter prune, against hostile spellings (%s scanner)", (core) => {
  beforeAll(() => {
    scanner = core;
  });
  // Keys as the reader compares them and as JSON.parse reads them: repeated, escaped, in any order.
  const changeEntry = fc.oneof(
    fc.tuple(fc.constantFrom('"actions"', '"act\\u0069ons"'), actions.map((v) => JSON.stringify(v))),
    fc.tuple(fc.constantFrom('"before"', '"b\\u0065fore"', '"after"', '"x"'), fc.oneof(actions, value).map((v) => JSON.stringify(v))),
  );
  const rowKey = fc.constantFrom('"change"', '"ch\\u0061nge"', '"values"', '"v\\u0061lues"', '"address"');
  const val = fc.oneof(actions, value).map((v) => JSON.stringify(v));
  const change = fc.array(changeEntry, { maxLength: 6 }).map((es) => `{${es.map(([k, v]) => `${k}:${v}`).join(",")}}`);
  const rowText = fc
    .tuple(change, fc.array(fc.tuple(rowKey, fc.oneof(change, val)), { maxLength: 3 }))
    .map(([c, es]) => `{${[`"change":${c}`, ...es.map(([k, v]) => `${k}:${v}`)].join(",")}}`);

  it("a member is dropped only where JSON.parse's own reading of the row allows it, whatever the chunking (property)", () => {
    fc.assert(
      fc.property(fc.array(rowText, { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 29 }), { minLength: 1, maxLength: 6 }), (rs, sizes) => {
        const text = `{"rows":[${rs.join(",")}]}`;
        const want = (JSON.parse(text) as { rows: unknown[] }).rows;
        for (const got of [rows(text), rows(text, sizes)]) {
          expect(got.length).toBe(want.length);
          got.forEach((g, i) => expect(allowed(g, want[i]), JSON.stringify({ got: g, want: want[i], text })).toBe(true));
        }
      }),
      { seed: 13, numRuns: 3000, endOnFailure: true },
    );
  });

  it("an unreadable second actions key keeps the values: escaped, or cut by a chunk boundary", () => {
    const text = '{"rows":[{"change":{"actions":["no-op"],"act\\u0069ons":["delete"],"before":{"id":"x"}}}]}';
    expect(rows(text)).toEqual([{ change: { actions: ["delete"], before: { id: "x" } } }]);
    const plain = '{"rows":[{"change":{"actions":["no-op"],"actions":["delete"],"before":{"id":"x"}}}]}';
    const cut = plain.indexOf('"actions":["delete"]') + 4;
    for (const sizes of [[cut, 1000], [cut - 3, 1000], [cut + 2, 1000]]) expect(rows(plain, sizes)).toEqual([{ change: { actions: ["delete"], before: { id: "x" } } }]);
  });

  it("text JSON.parse refuses is refused, not hidden inside a dropped member", () => {
    for (const bad of [
      '{"change":{"actions":["no-op"],"before":"a" "actions":["delete"],"after":{}}}',
      '{"change":{"actions":["no-op"],"before":{} "actions":["delete"]}}',
      '{"change":{"actions":["no-op"],"before":1 2}}',
      '{"change":{"actions":["no-op"],"before":null"x"}}',
      '{"change":{"actions":["no-op"],"before":,"after":1}}',
      '{"change":{"actions":["no-op"],"before":"a":1}}',
      '{"values":{} "depends_on":["x"]}',
      '{"values":"v" , "address":"a"  "x":1}',
    ]) {
      expect(() => rows(`{"rows":[${bad}]}`), bad).toThrow(JsonSyntaxError);
      for (let n = 1; n < bad.length + 10; n += 3) expect(() => rows(`{"rows":[${bad}]}`, [n]), `${bad} in chunks of ${n}`).toThrow(JsonSyntaxError);
    }
  });
});

describe("the reader's prune rules", () => {
  it("a delete written after a no-op in one row keeps its values; a prior resource keeps its dependencies", async () => {
    const text = JSON.stringify({ format_version: "1.2", prior_state: { format_version: "1.0", values: { root_module: { resources: [{ address: "t.a", mode: "managed", type: "t", name: "a", values: { id: "x" }, depends_on: ["t.b"] }] } } } }).replace(
      '"prior_state"',
      '"resource_changes":[{"address":"t.a","mode":"managed","type":"t","name":"a","change":{"actions":["no-op"],"before":{"id":"x"},"after":null,"actions":["delete"]}}],"prior_state"',
    );
    const plan = await buildPlan([Buffer.from(text)], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json" });
    expect(plan.changes[0]!.kind).toBe("delete");
    expect(plan.changes[0]!.values?.before(["id"])).toEqual({ state: "value", value: "x" });
    expect(plan.priorState?.[0]?.dependsOn).toEqual(["t.b"]);
  });
});
