// Shared assertions of the proof: closures against `terraform graph`, and the instance level against the resource level.

import { expect } from "vitest";
import type { DependencyGraphs, Graph } from "../../../src/graph/index.js";
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

/**
 * With less information than terraform had (no sources, maybe no prior_state): never a dependency terraform does
 * not have; every gap starts at a resource whose edges the sources-only graph (proven equal to terraform's)
 * extends; and where that extension goes through a local, the resource lists the local as unresolved.
 */
export function expectExplainedGaps(partial: DependencyGraphs, fromSources: DependencyGraphs, dot: string): void {
  const c = compareClosures(partial.resource, dot, inConfig(partial.resource));
  const edges = (g: Graph): Set<string> => new Set(edgesOf(g).map(([a, b]) => `${a}\u0000${b}`));
  const have = edges(partial.resource);
  const extended = new Set<string>();
  const viaLocal = new Set<string>();
  const r = fromSources.resource;
  for (let i = 0; i < r.size; i++) {
    r.forEachDependency(i, (j, e) => {
      const a = r.addressOf(i);
      if (have.has(`${a}\u0000${r.addressOf(j)}`)) return;
      extended.add(a);
      const v = r.edgeVia(e);
      if (/(^|\.)local\./.test(v.detail ?? "") || /(^|\.)local\./.test(v.owner ?? "")) viaLocal.add(a);
    });
  }
  const unresolved = new Set(partial.unresolved.map((u) => u.from));
  for (const a of viaLocal) {
    const i = partial.resource.indexOf(a);
    const inState = i !== undefined && partial.resource.node(i).inState && partial.resource.node(i).mode === "managed";
    if (!inState) expect(unresolved.has(a), `${a} depends on something through a local, but lists nothing unresolved`).toBe(true);
  }
  for (const [k, tf] of c.terraform) {
    const ours = c.ours.get(k) ?? [];
    expect(ours.filter((x) => !tf.includes(x)), `${k} has dependencies terraform does not`).toEqual([]);
    if (ours.length === tf.length) continue;
    const onTheWay = [k, ...ours].some((a) => extended.has(a));
    expect(onTheWay, `${k} misses ${tf.filter((x) => !ours.includes(x)).join(", ")} with nothing on the way that sources add`).toBe(true);
  }
}

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
