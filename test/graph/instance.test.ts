// Instance level, hand-checked on the examples: index-specific references reach one instance, module instance
// outputs reach only that instance's resources, odd for_each keys round-trip, deposed objects are nodes.

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDependencyGraph, loadTfSources, type DependencyGraphs, type Graph } from "../../src/graph/index.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES } from "../helpers/paths.js";

function deps(g: Graph, from: string): string[] {
  const i = g.indexOf(from);
  if (i === undefined) throw new Error(`no node ${from}`);
  const out: string[] = [];
  g.forEachDependency(i, (j) => out.push(g.addressOf(j)));
  return out.sort();
}

function dependents(g: Graph, of: string): string[] {
  const i = g.indexOf(of);
  if (i === undefined) throw new Error(`no node ${of}`);
  const out: string[] = [];
  g.forEachDependent(i, (j) => out.push(g.addressOf(j)));
  return out.sort();
}

async function build(name: string, opts: { sources?: boolean; state?: boolean } = {}): Promise<DependencyGraphs> {
  const dir = path.join(EXAMPLES, name);
  const plan = await loadPlan(path.join(dir, "plan.json"));
  const p = opts.state === false ? { ...plan, priorState: undefined } : plan;
  return buildDependencyGraph(p, opts.sources ? { sources: await loadTfSources(dir) } : {});
}

const B = (k: string): string => `terraform_data.b[${k}]`;
const ALL_B = [B('"[x]"'), B('"back\\\\slash"'), B('"plain"'), B('"tmpl$${x}"'), B('"with.dot"'), B('"with\\"quote"')];

describe("instance level: count and for_each (examples/graph-count-foreach)", () => {
  let withSources: Graph;
  let stateOnly: Graph;
  let configOnly: Graph;
  beforeAll(async () => {
    withSources = (await build("graph-count-foreach", { sources: true })).instance;
    stateOnly = (await build("graph-count-foreach")).instance;
    configOnly = (await build("graph-count-foreach", { state: false })).instance;
  });

  it("nodes are the resource_changes addresses, odd keys quoted as terraform prints them", () => {
    for (const a of ALL_B) expect(withSources.indexOf(a), a).toBeDefined();
    expect(withSources.size).toBe(25);
  });

  it.each([
    ["terraform_data.c", ["terraform_data.a[1]"]], // a[1].id: only that instance
    ["terraform_data.d", ["terraform_data.a[0]", "terraform_data.a[1]", "terraform_data.a[2]"]], // a[*]
    ["terraform_data.e", [B('"with.dot"'), B('"with\\"quote"')]], // two keys with a dot and a quote
    ["terraform_data.f[1]", ["terraform_data.a[0]", "terraform_data.a[1]", "terraform_data.a[2]"]], // a[count.index] is cut: all
    [B('"with.dot"'), []],
    ['terraform_data.g["[x]"]', ALL_B], // for_each = terraform_data.b
    ["terraform_data.h", ['terraform_data.g["[x]"]', 'terraform_data.g["back\\\\slash"]', 'terraform_data.g["plain"]', 'terraform_data.g["tmpl$${x}"]', 'terraform_data.g["with.dot"]', 'terraform_data.g["with\\"quote"]']],
    ["terraform_data.i", ["terraform_data.c", "terraform_data.f[0]", "terraform_data.f[1]", "terraform_data.f[2]"]], // depends_on
    ["terraform_data.lonely", []],
  ])("%s depends on %j", (from, want) => {
    expect(deps(withSources, from)).toEqual(want);
    expect(deps(configOnly, from)).toEqual(want);
  });

  it("replace_triggered_by = [terraform_data.a[0]] reaches a[0] only, from the sources", () => {
    expect(deps(withSources, "terraform_data.j")).toEqual(["terraform_data.a[0]"]);
    const i = withSources.indexOf("terraform_data.j")!;
    withSources.forEachDependency(i, (_j, e) => expect(withSources.edgeVia(e)).toMatchObject({ kind: "replace_triggered_by", detail: "terraform_data.a[0]" }));
  });

  it("without sources, prior_state's config-level depends_on reaches every instance (over, never under)", () => {
    expect(deps(stateOnly, "terraform_data.j")).toEqual(["terraform_data.a[0]", "terraform_data.a[1]", "terraform_data.a[2]"]);
    // where the configuration explains the pair, its exact instance edges win over the state's
    expect(deps(stateOnly, "terraform_data.c")).toEqual(["terraform_data.a[1]"]);
  });

  it("dependents of one instance", () => {
    expect(dependents(withSources, "terraform_data.a[1]")).toEqual(["terraform_data.c", "terraform_data.d", "terraform_data.f[0]", "terraform_data.f[1]", "terraform_data.f[2]"]);
    expect(dependents(withSources, "terraform_data.a[0]")).toContain("terraform_data.j");
    expect(dependents(withSources, B('"plain"'))).toEqual(['terraform_data.g["[x]"]', 'terraform_data.g["back\\\\slash"]', 'terraform_data.g["plain"]', 'terraform_data.g["tmpl$${x}"]', 'terraform_data.g["with.dot"]', 'terraform_data.g["with\\"quote"]']);
    expect(withSources.transitiveDependents([withSources.indexOf("terraform_data.a[2]")!]).map((i) => withSources.addressOf(i)).sort()).toEqual(["terraform_data.d", "terraform_data.f[0]", "terraform_data.f[1]", "terraform_data.f[2]", "terraform_data.i"]);
  });
});

describe("instance level: module instances (examples/graph-modules)", () => {
  let g: Graph;
  beforeAll(async () => {
    g = (await build("graph-modules")).instance;
  });

  it("module.each[\"east\"].first_id reaches only module.each[\"east\"]'s resource", () => {
    expect(deps(g, "terraform_data.partial")).toEqual(['module.each["east"].terraform_data.first']);
  });

  it("module.counted[0].first_id, passed into every module.each instance, reaches module.counted[0] only", () => {
    for (const k of ['"east"', '"west"']) {
      expect(deps(g, `module.each[${k}].terraform_data.first`)).toEqual(["module.counted[0].terraform_data.first", "terraform_data.root_base"]);
    }
    expect(dependents(g, "module.counted[1].terraform_data.first")).toEqual(["terraform_data.whole"]);
    expect(dependents(g, "module.counted[0].terraform_data.first")).toEqual(['module.each["east"].terraform_data.first', 'module.each["west"].terraform_data.first', "terraform_data.after_each", "terraform_data.whole"]);
  });

  it("a whole-module reference and depends_on = [module.x] reach every instance of every resource", () => {
    expect(deps(g, "terraform_data.whole")).toEqual([
      "module.counted[0].terraform_data.first",
      "module.counted[0].terraform_data.hidden",
      "module.counted[0].terraform_data.second",
      "module.counted[1].terraform_data.first",
      "module.counted[1].terraform_data.hidden",
      "module.counted[1].terraform_data.second",
      "terraform_data.root_base",
    ]);
    expect(deps(g, "terraform_data.after_each").filter((a) => a.startsWith("module.each"))).toHaveLength(6);
  });

  it("a module call's depends_on reaches into nested modules", () => {
    expect(deps(g, "module.late.terraform_data.hidden")).toEqual(["module.chain.module.l2.module.l3.terraform_data.leaf", "module.chain.module.l2.terraform_data.l2", "module.chain.terraform_data.l1", "terraform_data.root_base"]);
  });
});

describe("instance level: module for_each with odd keys (examples/graph-module-keys)", () => {
  const ODD = 'module.m["a.b\\"c$${x}]"]';
  let g: Graph;
  beforeAll(async () => {
    g = (await build("graph-module-keys")).instance;
  });

  it("one module instance's output reaches that instance's resource only", () => {
    expect(deps(g, "terraform_data.one")).toEqual([`${ODD}.terraform_data.z`]);
    expect(deps(g, "terraform_data.bracket")).toEqual(['module.m["[k]"].terraform_data.z']);
  });

  it("a for expression over the module reaches every instance of every resource in it", () => {
    expect(deps(g, "terraform_data.all")).toHaveLength(6);
    expect(dependents(g, `${ODD}.terraform_data.other`)).toEqual(["terraform_data.all"]);
    expect(dependents(g, 'module.m["plain"].terraform_data.z')).toEqual(["terraform_data.all"]);
  });

  it("for_each keys inside a module: an index-specific reference binds the key", async () => {
    const inc = (await build("incident")).instance;
    expect(deps(inc, "module.cluster.terraform_data.ingress_controller")).toEqual(["module.cluster.terraform_data.cluster", 'module.cluster.terraform_data.node_pool["system"]']);
  });
});

describe("instance level: deposed objects (examples/graph-deposed)", () => {
  let g: Graph;
  let key: string;
  beforeAll(async () => {
    g = (await build("graph-deposed")).instance;
    const plan = await loadPlan(path.join(EXAMPLES, "graph-deposed/plan.json"));
    key = plan.changes.find((c) => c.deposed !== undefined)!.deposed!;
  });

  it("the same address twice: the current object and the deposed one are separate nodes", () => {
    const d = g.indexOf(`terraform_data.server (deposed object ${key})`)!;
    expect(g.node(d)).toMatchObject({ deposed: key, configAddress: "terraform_data.server", change: "delete", inState: true });
    expect(g.node(g.indexOf("terraform_data.server")!).deposed).toBeUndefined();
  });

  it("the deposed object depends on what its resource depends on, and its resource's dependents depend on it", () => {
    expect(deps(g, `terraform_data.server (deposed object ${key})`)).toEqual(["terraform_data.base"]);
    expect(dependents(g, `terraform_data.server (deposed object ${key})`)).toEqual(["terraform_data.client[0]", "terraform_data.client[1]"]);
  });
});
