// Deferred arrays (report/deferred.ts): a report's `changes` is made only when something reads it, and the JSON
// format writes it a window at a time without making it whole. Reading it, copying the report or rendering any format
// must see exactly the array an eager report would hold.

import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyse } from "../../src/analysis/index.js";
import { loadPlan } from "../../src/plan/read.js";
import { deferArray, pendingArray } from "../../src/report/deferred.js";
import { buildReport } from "../../src/report/document.js";
import { FORMAT_IDS, FORMATS } from "../../src/report/formats/index.js";
import { safeJsonPieces } from "../../src/report/text.js";
import { EXAMPLES } from "../helpers/paths.js";

/** An object whose `list` is deferred, counting the elements its slice function is asked for. */
function deferredDoc<T>(elements: readonly T[]): { doc: Record<string, unknown>; made: () => number } {
  let made = 0;
  const doc: Record<string, unknown> = { before: 1, list: [], after: "x" };
  deferArray(doc, "list", elements.length, (start, end) => {
    made += end - start;
    return elements.slice(start, end);
  });
  return { doc, made: () => made };
}

describe("deferred arrays", () => {
  it("read, it is the array it makes, made once, in the key's place, and from then on a plain data property", () => {
    const { doc, made } = deferredDoc([10, 20, 30]);
    expect(Object.keys(doc)).toEqual(["before", "list", "after"]);
    expect(pendingArray(doc, "list")).toBeDefined();
    const first = doc.list;
    expect(first).toEqual([10, 20, 30]);
    expect(doc.list).toBe(first);
    expect(made()).toBe(3);
    expect(Object.getOwnPropertyDescriptor(doc, "list")).toEqual({ value: first, writable: true, enumerable: true, configurable: true });
    expect(pendingArray(doc, "list")).toBeUndefined();
    expect(JSON.stringify(doc)).toBe('{"before":1,"list":[10,20,30],"after":"x"}');
  });

  it("assigned before it is read, it holds the new value; frozen before it is read, it still makes one array", () => {
    const a = deferredDoc([1, 2]);
    a.doc.list = ["replaced"];
    expect(a.doc.list).toEqual(["replaced"]);
    expect(pendingArray(a.doc, "list")).toBeUndefined();
    expect(a.made()).toBe(0);

    const b = deferredDoc([1, 2]);
    Object.freeze(b.doc);
    expect(b.doc.list).toEqual([1, 2]);
    expect(b.doc.list).toBe(b.doc.list);
    expect(b.made()).toBe(2);
    // The array made is what every writer sees from then on, with any change made to it.
    (b.doc.list as number[]).push(3);
    expect(pendingArray(b.doc, "list")).toBeUndefined();
    expect([...safeJsonPieces(b.doc, 2, 2)].join("")).toBe(JSON.stringify({ before: 1, list: [1, 2, 3], after: "x" }, null, 2));
  });

  it("copies (spread, structuredClone, JSON) see the elements", () => {
    const { doc } = deferredDoc([{ a: 1 }, { a: 2 }]);
    expect({ ...deferredDoc([{ a: 1 }, { a: 2 }]).doc }).toEqual({ before: 1, list: [{ a: 1 }, { a: 2 }], after: "x" });
    expect(structuredClone(doc)).toEqual({ before: 1, list: [{ a: 1 }, { a: 2 }], after: "x" });
  });

  it("JSON in pieces writes it as JSON.stringify does, a window at a time, without making it whole", () => {
    // Elements of every kind the writer treats apart: plain, with arrays (they end runs), big (walked further) and
    // with toJSON (told its own index); lengths across the 1,024-element windows.
    const element = fc.oneof(
      fc.record({ address: fc.string({ maxLength: 8 }), actions: fc.array(fc.constantFrom("create", "delete"), { maxLength: 2 }) }),
      fc.integer(),
      fc.constant({ big: Array.from({ length: 300 }, (_, i) => i) }),
      fc.constant(null),
      // Told its key, the element's index in the whole array (not in its window).
      fc.constant(null).map(() => ({ toJSON: (key: string) => ({ key }) })),
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 2600, size: "max" }), fc.integer({ min: 1, max: 3 }), (elements, depth) => {
        const { doc, made } = deferredDoc(elements);
        const eager = { before: 1, list: elements, after: "x" };
        const text = [...safeJsonPieces(doc, 2, depth)].join("");
        expect(text).toBe(JSON.stringify(eager, null, 2));
        if (depth >= 2) {
          // Walked: each element made once, and the array never made whole.
          expect(pendingArray(doc, "list")).toBeDefined();
          expect(made()).toBe(elements.length);
        }
      }),
      // No shrinking: a failing case of a few thousand elements is printed as found (shrinking it took minutes).
      { numRuns: 40, endOnFailure: true },
    );
  });

  it("every format writes the same report whether its changes were made before or not; only JSON and GitLab's counts read them", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "incident", "plan.json"));
    const analysis = analyse(plan);
    const text = (out: string | Iterable<string>): string => (typeof out === "string" ? out : [...out].join(""));
    for (const id of FORMAT_IDS) {
      const deferred = buildReport(plan, analysis, "test");
      const made = buildReport(plan, analysis, "test");
      expect(made.changes.length).toBe(plan.changes.length);
      const options = { color: false, width: 100 };
      expect(text(FORMATS[id].render(deferred, options)), id).toBe(text(FORMATS[id].render(made, options)));
      // JSON writes the changes a window at a time; GitLab's counts read the array.
      expect(pendingArray(deferred, "changes") !== undefined, id).toBe(id !== "gitlab-terraform");
    }
    const report = buildReport(plan, analysis, "test");
    expect(report.changes.map((c) => c.address)).toEqual(plan.changes.map((c) => c.address).sort());
  });

  it("a plan whose rows were made by hand gets its changes made at once: a later edit to a row does not reach the report", async () => {
    const loaded = await loadPlan(path.join(EXAMPLES, "incident", "plan.json"));
    const rows = loaded.changes.map((c) => ({ ...c }));
    const byHand = { ...loaded, changes: rows };
    const report = buildReport(byHand, analyse(byHand), "test");
    expect(pendingArray(report, "changes")).toBeUndefined();
    const before = report.changes.map((c) => c.address);
    rows[0]!.address = "zzz.edited";
    expect(report.changes.map((c) => c.address)).toEqual(before);
  });
});
