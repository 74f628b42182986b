import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { JsonSplitter, JsonSyntaxError, JsonValueTooLargeError, MAX_VALUE_BYTES, type PathSegment } from "../../src/plan/splitter.js";
import { pushInChunks } from "../helpers/chunks.js";

/** The byte scanner the splitters below use (each suite runs with both: scan-core.ts). */
let scanner: "wasm" | "js" = "wasm";

/** Feeds text to a splitter in chunks of the given sizes and collects what it emits. */
function split(text: string, sizes: number[], decide: (p: readonly PathSegment[]) => "descend" | "emit" | "skip"): [string, unknown][] {
  const out: [string, unknown][] = [];
  pushInChunks(new JsonSplitter({ decide, onValue: (p, v) => out.push([JSON.stringify(p), v]) }, { core: scanner }), text, sizes.length > 0 ? sizes : [1]);
  return out;
}

const descendTop = (p: readonly PathSegment[]): "descend" | "emit" => (p.length < 2 ? "descend" : "emit");

describe.each(["wasm", "js"] as const)("JsonSplitter (%s scanner)", (core) => {
  beforeAll(() => {
    scanner = core;
  });
  it("emits each element of descended containers, whatever the chunking (property)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 5 })),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (doc, sizes, pretty) => {
          const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
          const got = split(text, sizes, descendTop);
          const want: [string, unknown][] = [];
          const parsed = JSON.parse(text) as Record<string, unknown[]>;
          for (const [k, arr] of Object.entries(parsed)) arr.forEach((v, i) => want.push([JSON.stringify([k, i]), v]));
          expect(got).toEqual(want);
        },
      ),
      { seed: 7, numRuns: 1500 },
    );
  });

  it("skips what it is told to skip and still finds what follows", () => {
    const text = '{"skip":{"a":"}\\"]","b":[1,{"c":"\\\\"}]},"keep":[1,"x\\"y"]}';
    const got = split(text, [3], (p) => (p.length === 0 ? "descend" : p[0] === "skip" ? "skip" : "emit"));
    expect(got).toEqual([['["keep"]', [1, 'x"y']]]);
  });

  it("handles escapes split across chunk boundaries", () => {
    const doc = { k: ['a\\"b', "\\\\", '"', "\u00e9\u{1F600}"] };
    const text = JSON.stringify(doc);
    for (let size = 1; size <= 8; size++) expect(split(text, [size], descendTop).map((x) => x[1])).toEqual(doc.k);
  });

  it.each([
    ['{"a":[1,2}', "expected ',' or ']'", 1, 10],
    ['{"a":[[1,2}]}', "expected ']' but found '}'", 1, 11],
    ['{"a":1}}', "after the end", 1, 8],
    ['{"a":\n  [1,\n   tru]}', "expected", 3, 4],
    ['{"a":[1,2', "ends early", 1, 10],
    ["", "empty", 1, 1],
    ["nope", "does not start like JSON", 1, 1],
  ])("reports %j with line and column", (text, message, line, column) => {
    let err: unknown;
    try {
      split(text, [4], descendTop);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonSyntaxError);
    const e = err as JsonSyntaxError;
    expect(e.message).toContain(message);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it("reports an error inside a parsed value at the same line and column whatever the chunking (property)", () => {
    // Where a parsed value starts is counted only when its parse fails (or its first chunk ends): the place must not
    // depend on how the document was cut. The error is inside a multi-line element, after a bare word.
    const errorAt = (text: string, sizes: number[]): [number, number, number] => {
      try {
        split(text, sizes, descendTop);
      } catch (e) {
        if (e instanceof JsonSyntaxError) return [e.line, e.column, e.offset];
        throw e;
      }
      throw new Error("no syntax error");
    };
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 1, maxLength: 6 }),
        (rows, pick, sizes) => {
          const bad = rows.map((r, i) => (i === pick % rows.length ? { x: r, y: "BAD" } : r));
          const text = JSON.stringify({ rows: bad }, null, 2).replace('"BAD"', "BAD");
          const whole = errorAt(text, [text.length + 1]);
          // The bare word itself: its line and column in the text.
          const at = text.indexOf("BAD");
          const line = text.slice(0, at).split("\n").length;
          const column = at - text.lastIndexOf("\n", at - 1);
          expect(whole).toEqual([line, column, at]);
          expect(errorAt(text, sizes)).toEqual(whole);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("never quotes input text in a syntax error", () => {
    let err: unknown;
    try {
      split('{"a":["hunter2-secret" "next"]}', [5], descendTop);
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).not.toContain("hunter2");
  });

  it("survives deep nesting without a stack overflow", () => {
    const depth = 100_000;
    const text = '{"a":[' + "[".repeat(depth) + "]".repeat(depth) + "]}";
    const got = split(text, [65536], (p) => (p.length === 0 ? "descend" : p.length === 1 ? "descend" : "skip"));
    expect(got).toEqual([]);
  });
});

describe.each(["wasm", "js"] as const)("JsonSplitter value size limit (%s scanner)", (core) => {
  beforeAll(() => {
    scanner = core;
  });
  // A value handed to JSON.parse must fit in one string (~512 MiB): a longer one is refused with its place, not left to
  // fail inside Buffer#toString. The limit is an option so that small documents can pass it.
  it("the default limit is the longest string this V8 holds", () => {
    expect(MAX_VALUE_BYTES).toBeGreaterThan(256 * 1024 * 1024);
    expect(() => "x".repeat(MAX_VALUE_BYTES + 1)).toThrow(RangeError);
  });

  it("refuses the first value over the limit at its place, whatever the chunking; values up to it are emitted (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 6 }),
        // From 4: the key "rows" itself is 4 bytes (a longer key is refused too: the next test).
        fc.integer({ min: 4, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 19 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (rows, limit, sizes, pretty) => {
          const text = JSON.stringify({ rows }, null, pretty ? 2 : undefined);
          const out: unknown[] = [];
          let err: unknown;
          try {
            pushInChunks(new JsonSplitter({ decide: descendTop, onValue: (_p, v) => out.push(v) }, { core: scanner, maxValueBytes: limit }), text, sizes);
          } catch (e) {
            err = e;
          }
          const texts = rows.map((r) => JSON.stringify(r, null, pretty ? 2 : undefined).replace(/\n/g, pretty ? "\n    " : "\n"));
          const first = texts.findIndex((t) => Buffer.byteLength(t) > limit);
          if (first < 0) {
            expect(err).toBeUndefined();
            expect(out).toEqual(rows);
            return;
          }
          expect(out).toEqual(rows.slice(0, first));
          expect(err).toBeInstanceOf(JsonValueTooLargeError);
          const e = err as JsonValueTooLargeError;
          expect(e.pointer).toBe(`/rows/${first}`);
          const at = text.indexOf(texts[first]!, first === 0 ? 0 : text.indexOf(texts[first - 1]!) + 1);
          expect(e.offset).toBe(Buffer.byteLength(text.slice(0, at)));
          expect([e.line, e.column]).toEqual([text.slice(0, at).split("\n").length, at - text.lastIndexOf("\n", at - 1)]);
          expect(e.bytes).toBeGreaterThan(limit);
          expect(e.limit).toBe(limit);
        },
      ),
      { seed: 17, numRuns: 400 },
    );
  });

  it("refuses a value once it is over the limit, before its end (nothing more of it is held)", () => {
    const s = new JsonSplitter({ decide: descendTop, onValue: () => {} }, { core: scanner, maxValueBytes: 100 });
    s.push(Buffer.from('{"rows":["' + "x".repeat(60)));
    expect(() => s.push(Buffer.from("x".repeat(60)))).toThrow(JsonValueTooLargeError);
  });

  it("refuses a key over the limit at its opening quote, whatever the chunking", () => {
    // A raw newline in the key (invalid, but refused for its size first) must not move the place reported.
    const text = '{"a":[1],\n  "' + "k".repeat(20) + "\n" + "k".repeat(130) + '":[2]}';
    for (let size = 1; size <= 40; size++) {
      let err: unknown;
      try {
        pushInChunks(new JsonSplitter({ decide: descendTop, onValue: () => {} }, { core: scanner, maxValueBytes: 100 }), text, [size]);
      } catch (e) {
        err = e;
      }
      expect(err, `chunks of ${size}`).toBeInstanceOf(JsonValueTooLargeError);
      const e = err as JsonValueTooLargeError;
      expect([e.offset, e.line, e.column, e.pointer, e.what], `chunks of ${size}`).toEqual([text.indexOf('"k'), 2, 3, "", "key"]);
    }
  });

  it("a skipped value is not held, however long", () => {
    const text = JSON.stringify({ big: ["x".repeat(5000)], keep: [1, 2] });
    expect(split(text, [7], (p) => (p.length === 0 ? "descend" : p[0] === "big" ? "skip" : p.length === 1 ? "descend" : "emit"))).toEqual([
      ['["keep",0]', 1],
      ['["keep",1]', 2],
    ]);
    const limited = (): void => pushInChunks(new JsonSplitter({ decide: (p) => (p.length === 0 ? "descend" : p[0] === "big" ? "skip" : "emit"), onValue: () => {} }, { core: scanner, maxValueBytes: 100 }), text, [7]);
    expect(limited).not.toThrow();
  });
});

describe.each(["wasm", "js"] as const)("JsonSplitter skipTo (%s scanner)", (core) => {
  beforeAll(() => {
    scanner = core;
  });
  it("passing over a skipped value by its known end gives what scanning it gives, whatever the chunking (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 5 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 })), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 1, maxLength: 6 }),
        (entries, pick, sizes) => {
          // Written by hand so each value's byte range is known; keys may repeat, as JSON allows.
          const skipped = pick % entries.length;
          let text = "{";
          let range: [number, number] = [0, 0];
          entries.forEach(([k, v], i) => {
            if (i > 0) text += ",";
            text += JSON.stringify(k) + ":";
            const start = Buffer.byteLength(text);
            text += JSON.stringify(v);
            if (i === skipped) range = [start, Buffer.byteLength(text)];
          });
          text += "}";
          const run = (withSkipTo: boolean): [string, unknown][] => {
            const out: [string, unknown][] = [];
            const s = new JsonSplitter({
              decide: (p, at) => (p.length === 1 && at === range[0] ? "skip" : p.length < 2 ? "descend" : "emit"),
              skipTo: withSkipTo ? (_p, at) => (at === range[0] ? range[1] : undefined) : undefined,
              onValue: (p, v) => out.push([JSON.stringify(p), v]),
            }, { core: scanner });
            pushInChunks(s, text, sizes);
            return out;
          };
          expect(run(true)).toEqual(run(false));
        },
      ),
      { seed: 21, numRuns: 1000, endOnFailure: true },
    );
  });

  it("a document that ends inside the passed-over value is cut short", () => {
    const s = new JsonSplitter({ decide: (p) => (p.length === 1 ? "skip" : "descend"), skipTo: () => 40, onValue: () => {} }, { core: scanner });
    s.push(Buffer.from('{"a":[1,2,3'));
    expect(() => s.end()).toThrow(/ends early/);
  });
});
