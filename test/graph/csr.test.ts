// The dense graph itself, and cycles from hand-edited plans: nothing hangs, cycles are reported.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../../src/graph/csr.js";
import { buildDependencyGraph } from "../../src/graph/index.js";
import { editedPlan } from "./helpers/plans.js";

const node = (address: string) => ({ address, configAddress: address, mode: "managed" as const, module: "", inConfig: true, inState: false });

describe("GraphBuilder / CsrGraph", () => {
  it("interns addresses, drops self-edges, keeps the first reason of a duplicate pair, and has reverse edges", () => {
    const b = new GraphBuilder("resource");
    const [a, c, d] = ["a.a", "c.c", "d.d"].map((x) => b.node(node(x))) as [number, number, number];
    expect(b.node(node("a.a"))).toBe(a);
    const ref = b.viaId({ kind: "reference", attribute: "input" });
    const dep = b.viaId({ kind: "depends_on" });
    expect(b.viaId({ kind: "reference", attribute: "input" })).toBe(ref);
    b.edge(a, c, ref);
    b.edge(a, c, dep);
    b.edge(a, a, dep);
    b.edge(d, c, dep);
    const g = b.build();
    expect(g.size).toBe(3);
    expect(g.edgeCount).toBe(2);
    const out: [string, string, string][] = [];
    g.forEachDependency(a, (j, e) => out.push([g.addressOf(j), g.edgeVia(e).kind, g.addressOf(g.edgeFrom(e))]));
    expect(out).toEqual([["c.c", "reference", "a.a"]]);
    const into: string[] = [];
    g.forEachDependent(c, (j) => into.push(g.addressOf(j)));
    expect(into.sort()).toEqual(["a.a", "d.d"]);
    expect(g.indexOf("nope")).toBeUndefined();
    expect(() => g.addressOf(7)).toThrow(RangeError);
    expect(g.toJSON().edges).toEqual([
      { from: "a.a", to: "c.c", via: { kind: "reference", attribute: "input" } },
      { from: "d.d", to: "c.c", via: { kind: "depends_on" } },
    ]);
  });

  it("keeps each node's fields in columns and makes the same GraphNode (keys in order) on every ask", () => {
    const b = new GraphBuilder("instance");
    const shared = { configAddress: "t.x", mode: "managed" as const, module: "module.m", inConfig: true };
    const a = b.rowNode("module.m.t.x[0]", shared, "replace-delete-first");
    const d = b.add("module.m.t.x[0] (deposed object k1)", shared, false, "delete", "k1");
    const s = b.node({ address: "data.t.y", configAddress: "data.t.y", mode: "data", module: "", inConfig: false, inState: true });
    b.setInState(d);
    expect(b.add("data.t.y", shared, false, "create", undefined)).toBe(s); // a repeat keeps the first node's fields
    const g = b.build();
    expect(g.node(a)).toBe(g.node(a));
    expect(Object.keys(g.node(d))).toEqual(["address", "configAddress", "mode", "module", "inConfig", "inState", "deposed", "change"]);
    expect(g.node(d)).toEqual({ address: "module.m.t.x[0] (deposed object k1)", configAddress: "t.x", mode: "managed", module: "module.m", inConfig: true, inState: true, deposed: "k1", change: "delete" });
    expect(g.node(a)).toEqual({ address: "module.m.t.x[0]", configAddress: "t.x", mode: "managed", module: "module.m", inConfig: true, inState: false, change: "replace-delete-first" });
    expect(g.node(s)).toEqual({ address: "data.t.y", configAddress: "data.t.y", mode: "data", module: "", inConfig: false, inState: true });
    expect(g.toJSON().nodes.map((n) => n.address)).toEqual(["data.t.y", "module.m.t.x[0]", "module.m.t.x[0] (deposed object k1)"]);
    expect(() => g.node(3)).toThrow(RangeError);
    expect(() => g.node(-1)).toThrow(RangeError);
    expect(() => g.node(0.5)).toThrow(RangeError);
  });

  it("gives every address its first id however often and wherever it repeats, and keeps every node after a repeat", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 60 }), (picks) => {
        const b = new GraphBuilder("instance");
        const first = new Map<string, number>();
        for (const p of picks) {
          const address = `t.n${p}`;
          const id = b.node(node(address));
          if (!first.has(address)) first.set(address, first.size);
          expect(id).toBe(first.get(address));
        }
        const g = b.build();
        expect(g.size).toBe(first.size);
        for (const [address, id] of first) {
          expect(g.indexOf(address)).toBe(id);
          expect(g.addressOf(id)).toBe(address);
          expect(g.node(id).address).toBe(address);
        }
      }),
    );
  });

  it("walks and finds cycles iteratively on a 200k-node chain (no stack overflow)", () => {
    const b = new GraphBuilder("instance");
    const n = 200_000;
    for (let i = 0; i < n; i++) b.node(node(`t.n${i}`));
    const v = b.viaId({ kind: "reference" });
    for (let i = 0; i + 1 < n; i++) b.edge(i, i + 1, v);
    b.edge(n - 1, n - 3, v); // a 3-cycle at the end
    const g = b.build();
    expect(g.transitiveDependencies([0])).toHaveLength(n - 1);
    expect(g.transitiveDependents([n - 1])).toHaveLength(n);
    expect(g.cycles()).toEqual([[`t.n${n - 1}`, `t.n${n - 2}`, `t.n${n - 3}`].sort()]);
  });
});


describe("hand-edited plans with cycles", () => {
  it("a resource cycle is reported, and every walk terminates", async () => {
    const plan = await editedPlan("graph-count-foreach", (raw) => {
      const a = raw.configuration.root_module.resources.find((r: { address: string }) => r.address === "terraform_data.a");
      a.expressions.input.references.push("terraform_data.i.id", "terraform_data.i");
    });
    const g = buildDependencyGraph(plan);
    expect(g.cycles).toEqual([["terraform_data.a", "terraform_data.c", "terraform_data.f", "terraform_data.i"]]);
    expect(g.instance.cycles().length).toBe(1);
    const a1 = g.instance.indexOf("terraform_data.a[1]")!;
    expect(g.instance.transitiveDependents([a1]).map((i) => g.instance.addressOf(i))).toContain("terraform_data.a[1]");
  });

  it("a module whose input is its own output (a cycle through non-resources) terminates", async () => {
    const plan = await editedPlan("graph-modules", (raw) => {
      raw.configuration.root_module.module_calls.chain.expressions.seed = { references: ["module.chain.deep_id", "module.chain"] };
      raw.configuration.root_module.module_calls.late.depends_on = ["module.late"];
    });
    const g = buildDependencyGraph(plan);
    expect(g.cycles).toEqual([
      ["module.chain.module.l2.module.l3.terraform_data.leaf", "module.chain.module.l2.terraform_data.l2", "module.chain.terraform_data.l1"],
      ["module.late.terraform_data.first", "module.late.terraform_data.hidden", "module.late.terraform_data.second"],
    ]);
  });

  it("references to things that are not in the configuration are listed, not dropped", async () => {
    const plan = await editedPlan("graph-count-foreach", (raw) => {
      const c = raw.configuration.root_module.resources.find((r: { address: string }) => r.address === "terraform_data.lonely");
      c.expressions.input = { references: ["terraform_data.nowhere.id", "terraform_data.nowhere", "module.ghost.out", "module.ghost"] };
    });
    const g = buildDependencyGraph({ ...plan, priorState: undefined });
    expect(g.unresolved.map((u) => [u.from, u.reference])).toEqual([
      ["terraform_data.lonely", "module.ghost.out"],
      ["terraform_data.lonely", "terraform_data.nowhere.id"],
    ]);
  });
});
