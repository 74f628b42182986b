import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeBlastRadii, impactOf } from "../../src/analysis/blast-radius.js";
import type { ResourceChange } from "../../src/plan/model.js";
import { graphOf } from "./helpers.js";

function change(address: string, kind: ResourceChange["kind"], unknownAfter: string[] = []): ResourceChange {
  return { address, kind, unknownAfter, mode: "managed" } as unknown as ResourceChange;
}

describe("computeBlastRadii", () => {
  // db <- api (reference: environment) <- tg (depends_on); db <- worker; cache untouched by db.
  const g = graphOf([
    ["api", "db", "reference:environment"],
    ["tg", "api", "depends_on"],
    ["worker", "db", "reference:db_url"],
    ["cache_user", "cache"],
  ]);
  const changes = new Map<string, ResourceChange>([
    ["db", change("db", "replace-delete-first")],
    ["api", change("api", "update", ["environment"])],
    ["tg", change("tg", "no-op")],
    ["worker", change("worker", "replace-create-first")],
  ]);
  const changeOf = (n: number): ResourceChange | undefined => changes.get(g.addressOf(n));

  it("lists every transitive dependent once, with its shortest explaining path and depth, ranked by impact", () => {
    const destructive = new Uint8Array(g.size);
    destructive[g.indexOf("db")!] = 1;
    const [r] = computeBlastRadii(g, [g.indexOf("db")!], destructive, changeOf, { maxEntries: 100 });
    expect(r!.total).toBe(3);
    expect(r!.entries.map((e) => [e.address, e.depth, e.impact])).toEqual([
      ["worker", 1, "replaced"],
      ["api", 1, "unknown-after"],
      ["tg", 2, "dangling"],
    ]);
    expect(r!.entries.find((e) => e.address === "tg")).toMatchObject({ path: ["db", "api", "tg"], via: ["reference: environment", "depends_on"] });
  });

  it("lists a dependent reached through another destructive change under that change only", () => {
    const chain = graphOf([
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
    ]);
    const destructive = new Uint8Array(chain.size);
    for (const a of ["a", "b", "c", "d"]) destructive[chain.indexOf(a)!] = 1;
    const rs = computeBlastRadii(chain, ["a", "b", "c", "d"].map((a) => chain.indexOf(a)!), destructive, () => undefined, { maxEntries: 10 });
    expect(rs.map((r) => r.entries.map((e) => e.address))).toEqual([["b"], ["c"], ["d"], []]);
    expect(rs.map((r) => r.total)).toEqual([3, 2, 1, 0]);
    expect(rs.map((r) => r.coveredByOther)).toEqual([2, 1, 0, 0]);
  });

  it("caps the listed entries but counts them all", () => {
    const star = graphOf(Array.from({ length: 50 }, (_, i): [string, string] => [`dep${i}`, "root"]));
    const [r] = computeBlastRadii(star, [star.indexOf("root")!], new Uint8Array(star.size), () => undefined, { maxEntries: 10 });
    expect(r!.entries).toHaveLength(10);
    expect(r!.total).toBe(50);
    expect(r!.truncated).toBe(40);
  });

  it("terminates on dependency cycles", () => {
    const cyc = graphOf([
      ["a", "b"],
      ["b", "c"],
      ["c", "a"],
    ]);
    const [r] = computeBlastRadii(cyc, [cyc.indexOf("a")!], new Uint8Array(cyc.size), () => undefined, { maxEntries: 10 });
    expect(r!.entries.map((e) => e.address).sort()).toEqual(["b", "c"]);
  });

  it("equals a naive reachability on random graphs (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(15), fc.nat(15)), { maxLength: 60 }), fc.nat(15), (pairs, src) => {
        const edges = pairs.map(([a, b]): [string, string] => [`n${a}`, `n${b}`]);
        const g2 = graphOf(edges, Array.from({ length: 16 }, (_, i) => `n${i}`));
        const s = g2.indexOf(`n${src}`)!;
        const [r] = computeBlastRadii(g2, [s], new Uint8Array(g2.size), () => undefined, { maxEntries: 1000 });
        // naive: repeated relaxation over the reversed edges
        const reached = new Set<string>([`n${src}`]);
        let grew = true;
        while (grew) {
          grew = false;
          for (const [from, to] of edges) {
            if (reached.has(to) && !reached.has(from)) {
              reached.add(from);
              grew = true;
            }
          }
        }
        reached.delete(`n${src}`);
        expect(new Set(r!.entries.map((e) => e.address))).toEqual(reached);
        for (const e of r!.entries) {
          expect(e.path[0]).toBe(`n${src}`);
          expect(e.path.at(-1)).toBe(e.address);
          expect(e.path.length).toBe(e.depth + 1);
          for (let k = 1; k < e.path.length; k++) expect(edges.some(([f, t]) => f === e.path[k] && t === e.path[k - 1])).toBe(true);
        }
      }),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("impactOf", () => {
  it.each([
    ["replace-delete-first", [], "replaced"],
    ["replace-create-first", [], "replaced"],
    ["delete", [], "deleted"],
    ["update", ["id"], "unknown-after"],
    ["update", [], "updated"],
    ["no-op", [], "dangling"],
    ["create", [], "none"],
  ] as const)("%s with unknown %j is %s", (kind, unknown, impact) => {
    expect(impactOf(change("x", kind, [...unknown]))).toBe(impact);
  });
  it("an untouched dependent not in the plan is left dangling", () => {
    expect(impactOf(undefined)).toBe("dangling");
  });
  it("a data source re-read only reads", () => {
    expect(impactOf({ ...change("data.x.y", "read"), mode: "data" } as ResourceChange)).toBe("reads");
  });
});
