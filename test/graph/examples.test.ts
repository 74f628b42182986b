// The proof on the committed examples: for every example with a `graph.dot` (written by `terraform graph`),
// our resource-level closure equals terraform's, with the example's sources, with prior_state only, and with
// both; with neither, the `local.*` references show up as unresolved. Plus the reasons of key edges.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDependencyGraph, loadTfSources, type DependencyGraphs, type EdgeVia, type Graph, type TfSources } from "../../src/graph/index.js";
import type { Plan } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES } from "../helpers/paths.js";
import { expectExplainedGaps, expectInstancesConsistent, expectSameClosure } from "./helpers/check.js";

const examples = readdirSync(EXAMPLES)
  .filter((e) => existsSync(path.join(EXAMPLES, e, "graph.dot")) && existsSync(path.join(EXAMPLES, e, "plan.json")))
  .sort();

/** Examples whose configuration uses locals somewhere. */
const USES_LOCALS = new Set(["graph-locals", "incident", "empty-state", "safe"]);

interface Loaded {
  plan: Plan;
  dot: string;
  sources: TfSources;
}

const loaded = new Map<string, Loaded>();
beforeAll(async () => {
  for (const e of examples) {
    const dir = path.join("examples", e);
    loaded.set(e, { plan: await loadPlan(path.join(dir, "plan.json")), dot: readFileSync(path.join(dir, "graph.dot"), "utf8"), sources: await loadTfSources(dir) });
  }
});

const noState = (p: Plan): Plan => ({ ...p, priorState: undefined });

describe("graph: closures equal terraform graph on the examples", () => {
  it("finds the examples", () => {
    expect(examples).toEqual(expect.arrayContaining(["graph-count-foreach", "graph-modules", "graph-locals", "graph-deposed", "incident", "deletes", "replace-reasons"]));
  });

  describe.each(examples)("examples/%s", (name) => {
    it("with the example's sources and its prior_state", () => {
      const { plan, dot, sources } = loaded.get(name)!;
      const g = buildDependencyGraph(plan, { sources });
      expectSameClosure(g, dot, name);
      expect(g.unresolved).toEqual([]);
      expect(g.cycles).toEqual([]);
      expectInstancesConsistent(g);
    });

    it("with the example's sources only (prior_state stripped)", () => {
      const { plan, dot, sources } = loaded.get(name)!;
      const g = buildDependencyGraph(noState(plan), { sources });
      expectSameClosure(g, dot, name);
      expect(g.unresolved).toEqual([]);
    });

    it("with prior_state only (no sources)", () => {
      const { plan, dot } = loaded.get(name)!;
      const g = buildDependencyGraph(plan);
      expectSameClosure(g, dot, name);
      // Only resources without a prior_state entry (being created) can have unresolved references.
      const inState = new Set((plan.priorState ?? []).map((p) => p.configAddress));
      expect(g.unresolved.filter((u) => inState.has(u.from))).toEqual([]);
    });

    it("with neither: never an extra dependency, and every gap reported", () => {
      const { plan, dot, sources } = loaded.get(name)!;
      const neither = buildDependencyGraph(noState(plan));
      expectExplainedGaps(neither, plan, sources, dot);
      const locals = neither.unresolved.filter((u) => /(^|\.)local\.[A-Za-z_]/.test(u.reference));
      if (USES_LOCALS.has(name)) expect(locals.length).toBeGreaterThan(0);
      else expect(locals).toEqual([]);
      for (const u of neither.unresolved) expect(u.why).toMatch(/--tf-dir/);
    });
  });
});

function edge(g: Graph, from: string, to: string): EdgeVia | undefined {
  const i = g.indexOf(from);
  const j = g.indexOf(to);
  if (i === undefined || j === undefined) return undefined;
  let via: EdgeVia | undefined;
  g.forEachDependency(i, (k, e) => {
    if (k === j) via = g.edgeVia(e);
  });
  return via;
}

function deps(g: Graph, from: string): string[] {
  const out: string[] = [];
  const i = g.indexOf(from);
  if (i === undefined) throw new Error(`no node ${from}`);
  g.forEachDependency(i, (j) => out.push(g.addressOf(j)));
  return out.sort();
}

function dependents(g: Graph, of: string): string[] {
  const out: string[] = [];
  g.forEachDependent(g.indexOf(of)!, (j) => out.push(g.addressOf(j)));
  return out.sort();
}

describe("graph: why each edge exists", () => {
  let locals: { src: DependencyGraphs; state: DependencyGraphs; neither: DependencyGraphs };
  let modules: DependencyGraphs;
  beforeAll(() => {
    const l = loaded.get("graph-locals")!;
    locals = { src: buildDependencyGraph(noState(l.plan), { sources: l.sources }), state: buildDependencyGraph(l.plan), neither: buildDependencyGraph(noState(l.plan)) };
    modules = buildDependencyGraph(loaded.get("graph-modules")!.plan);
  });

  it("a locals chain, from the sources: the reason names the first local and the one that holds the reference", () => {
    expect(edge(locals.src.resource, "terraform_data.from_chain", "terraform_data.source")).toEqual({ kind: "reference", attribute: "input", detail: "local.c", owner: "local.a" });
    expect(edge(locals.src.resource, "terraform_data.from_module_local", "module.svc.terraform_data.service")).toMatchObject({ kind: "reference", detail: "local.svc_url", owner: "module.svc.output.endpoint" });
    // the module's own locals chain reaches the caller through var.name
    expect(edge(locals.src.resource, "module.svc.terraform_data.service", "terraform_data.source")).toMatchObject({ kind: "reference", detail: "local.labels" });
  });

  it("a locals chain, from prior_state: a state edge", () => {
    expect(edge(locals.state.resource, "terraform_data.from_chain", "terraform_data.source")).toEqual({ kind: "state", detail: "prior_state depends_on" });
  });

  it("with neither, the chain's locals are listed as unresolved, module locals qualified", () => {
    const refs = locals.neither.unresolved.map((u) => `${u.from} <- ${u.reference}`);
    expect(refs).toEqual(
      expect.arrayContaining(["terraform_data.from_chain <- local.c", "terraform_data.from_pool <- local.pool_ids", "terraform_data.from_module_local <- local.svc_url", "module.svc.terraform_data.service <- module.svc.local.labels"]),
    );
    expect(deps(locals.neither.resource, "terraform_data.from_chain")).toEqual([]);
  });

  it("replace_triggered_by and provisioner references", () => {
    expect(edge(locals.src.resource, "terraform_data.triggered", "terraform_data.source")).toEqual({ kind: "replace_triggered_by", attribute: "lifecycle.replace_triggered_by", detail: "terraform_data.source.output" });
    expect(edge(locals.src.resource, "terraform_data.provisioned", "terraform_data.other")).toMatchObject({ kind: "reference", attribute: "provisioner[0].environment" });
  });

  it("module outputs resolve to what the output uses, not the whole module", () => {
    const g = modules.resource;
    expect(edge(g, "terraform_data.uses_deep", "module.chain.module.l2.module.l3.terraform_data.leaf")).toMatchObject({ kind: "module_output", detail: "module.chain.deep_output", owner: "module.chain.module.l2.module.l3.output.leaf_output" });
    expect(deps(g, "terraform_data.partial")).toEqual(["module.each.terraform_data.first"]);
  });

  it("whole-module references and depends_on = [module.x] reach every resource in the module", () => {
    const g = modules.resource;
    // Terraform's module closer also waits for the call's depends_on (root_base) and its inputs.
    expect(deps(g, "terraform_data.whole")).toEqual(["module.counted.terraform_data.first", "module.counted.terraform_data.hidden", "module.counted.terraform_data.second", "terraform_data.root_base"]);
    expect(edge(g, "terraform_data.whole", "module.counted.terraform_data.hidden")).toMatchObject({ kind: "module_output", detail: "module.counted" });
    // ... and the closer waits for module.each's inputs: module.counted[0].first_id, whose module waits for root_base.
    expect(deps(g, "terraform_data.after_each")).toEqual([
      "module.counted.terraform_data.first",
      "module.each.terraform_data.first",
      "module.each.terraform_data.hidden",
      "module.each.terraform_data.second",
      "terraform_data.root_base",
    ]);
    expect(edge(g, "terraform_data.after_each", "module.each.terraform_data.second")).toMatchObject({ kind: "depends_on", detail: "module.each" });
  });

  it("a module call's depends_on applies to every resource inside, through nested modules", () => {
    const g = modules.resource;
    for (const r of ["first", "second", "hidden"]) {
      expect(edge(g, `module.late.terraform_data.${r}`, "module.chain.module.l2.module.l3.terraform_data.leaf")).toMatchObject({ kind: "depends_on", detail: "module.late: module.chain" });
      expect(edge(g, `module.counted.terraform_data.${r}`, "terraform_data.root_base")).toMatchObject({ kind: "depends_on", detail: "module.counted: terraform_data.root_base" });
    }
  });

  it("module inputs: var references resolve to what the caller passed", () => {
    expect(edge(modules.resource, "module.each.terraform_data.first", "module.counted.terraform_data.first")).toMatchObject({ kind: "module_input", detail: "var.upstream", owner: "module.counted.output.first_id" });
    expect(edge(modules.resource, "module.chain.terraform_data.l1", "terraform_data.root_base")).toMatchObject({ kind: "module_input", detail: "var.seed" });
  });

  it("dependents are the reverse edges", () => {
    expect(dependents(modules.resource, "module.counted.terraform_data.first")).toEqual(["module.each.terraform_data.first", "terraform_data.after_each", "terraform_data.whole"]);
  });
});

describe("graph: lifecycle and locations from sources", () => {
  it("reads prevent_destroy, create_before_destroy, replace_triggered_by with file and line", async () => {
    const pd = buildDependencyGraph(loaded.get("prevent-destroy")!.plan, { sources: loaded.get("prevent-destroy")!.sources });
    expect(pd.lifecycle.get("terraform_data.database")).toEqual({ preventDestroy: true, file: "examples/prevent-destroy/main.tf", line: 21 });
    expect(pd.locations.get("terraform_data.app")).toEqual({ file: "examples/prevent-destroy/main.tf", line: 31 });
    const inc = loaded.get("incident")!;
    const g = buildDependencyGraph(inc.plan, { sources: inc.sources });
    expect(g.lifecycle.get("module.network.terraform_data.internet_gateway")).toMatchObject({ createBeforeDestroy: true, file: "examples/incident/modules/network/main.tf" });
    const cf = loaded.get("graph-count-foreach")!;
    expect(buildDependencyGraph(cf.plan, { sources: cf.sources }).lifecycle.get("terraform_data.j")).toMatchObject({ replaceTriggeredBy: ["terraform_data.a[0]"] });
  });
});
