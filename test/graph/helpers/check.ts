// Shared assertions of the proof: closures against `terraform graph`, and the instance level against the resource level.

import { expect } from "vitest";
import { buildDependencyGraph, type DependencyGraphs, type Graph, type ModuleSources, type TfSources } from "../../../src/graph/index.js";
import type { Plan } from "../../../src/plan/model.js";
import { closure, compareClosures, edgesOf } from "./oracle.js";

/** Config resources of a built graph (the nodes terraform graph shows with edges). */
export function inConfig(g: Graph): (a: string) => boolean {
  return (a) => {
    const i = g.indexOf(a);
    return i !== undefined && g.node(i).inConfig;
  };
}

/** Our resource-level closure equals terraform's for every resource in the configuration. */
export function expectSameClosure(g: DependencyGraphs, dot: string, label: string): void {
  const c = compareClosures(g.resource, dot, inConfig(g.resource));
  const diff: string[] = [];
  for (const [k, v] of c.terraform) {
    const o = c.ours.get(k) ?? [];
    if (o.join() !== v.join()) diff.push(`${k}\n    ours:      ${o.join(", ")}\n    terraform: ${v.join(", ")}`);
  }
  expect(diff, `${label}: closures differ`).toEqual([]);
}

/** The sources with only their locals: no lifecycle, conditions or dynamic blocks (nothing the plan could hint at). */
export function localsOnly(sources: TfSources): TfSources {
  const modules = new Map<string, ModuleSources>();
  for (const [k, m] of sources.modules) {
    const resources = new Map([...m.resources].map(([a, r]) => [a, { address: r.address, file: r.file, extraRefs: [] }]));
    modules.set(k, { ...m, resources, outputConditions: new Map() });
  }
  return { ...sources, modules };
}

function extraEdges(more: Graph, less: Graph): Set<string> {
  const have = new Set(edgesOf(less).map(([a, b]) => `${a}\u0000${b}`));
  const out = new Set<string>();
  for (const [a, b] of edgesOf(more)) if (!have.has(`${a}\u0000${b}`)) out.add(a);
  return out;
}

/**
 * With less information than terraform had (no sources, maybe no prior_state): never a dependency terraform does
 * not have; every gap starts at a resource whose edges the sources-only graph (proven equal to terraform's)
 * extends; and a resource whose edges the locals alone extend lists them as unresolved (unless prior_state
 * recorded its dependencies).
 */
export function expectExplainedGaps(partial: DependencyGraphs, plan: Plan, sources: TfSources, dot: string): void {
  const c = compareClosures(partial.resource, dot, inConfig(partial.resource));
  const extended = extraEdges(buildDependencyGraph(noState(plan), { sources }).resource, partial.resource);
  const byLocals = extraEdges(buildDependencyGraph(noState(plan), { sources: localsOnly(sources) }).resource, partial.resource);
  const unresolved = new Set(partial.unresolved.map((u) => u.from));
  for (const a of byLocals) {
    const n = partial.resource.node(partial.resource.indexOf(a)!);
    if (n.inState && n.mode === "managed") continue;
    expect(unresolved.has(a), `${a} depends on something through a local, but lists nothing unresolved`).toBe(true);
  }
  for (const [k, tf] of c.terraform) {
    const ours = c.ours.get(k) ?? [];
    expect(ours.filter((x) => !tf.includes(x)), `${k} has dependencies terraform does not`).toEqual([]);
    if (ours.length === tf.length) continue;
    const onTheWay = [k, ...ours].some((a) => extended.has(a));
    expect(onTheWay, `${k} misses ${tf.filter((x) => !ours.includes(x)).join(", ")} with nothing on the way that sources add`).toBe(true);
  }
}

export const noState = (p: Plan): Plan => ({ ...p, priorState: undefined });

/** Each instance edge projects onto a resource edge or a path, and each resource edge between resources with instances is realised. */
export function expectInstancesConsistent(g: DependencyGraphs): void {
  const r = g.resource;
  const inst = g.instance;
  const resClosure = closure(
    Array.from({ length: r.size }, (_, i) => r.addressOf(i)),
    edgesOf(r),
  );
  const realised = new Set<string>();
  for (let i = 0; i < inst.size; i++) {
    inst.forEachDependency(i, (j) => {
      const a = inst.node(i).configAddress;
      const b = inst.node(j).configAddress;
      realised.add(`${a}\u0000${b}`);
      expect(resClosure.get(a) ?? [], `instance edge ${inst.addressOf(i)} -> ${inst.addressOf(j)} has no resource-level path`).toContain(b);
    });
  }
  const hasInstances = new Set<string>();
  for (let i = 0; i < inst.size; i++) hasInstances.add(inst.node(i).configAddress);
  for (const [a, b] of edgesOf(r)) {
    if (!hasInstances.has(a) || !hasInstances.has(b)) continue;
    expect(realised.has(`${a}\u0000${b}`), `resource edge ${a} -> ${b} has no instance edge`).toBe(true);
  }
}
