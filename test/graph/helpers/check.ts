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
 * With neither sources nor prior_state: never a dependency terraform does not have, and each one missed is
 * explained by an `unresolved` entry (or a lifecycle edge only sources show) on the way.
 */
export function expectExplainedGaps(neither: DependencyGraphs, full: DependencyGraphs, dot: string): void {
  const c = compareClosures(neither.resource, dot, inConfig(neither.resource));
  const explained = new Set(neither.unresolved.map((u) => u.from));
  for (let i = 0; i < full.resource.size; i++) {
    full.resource.forEachDependency(i, (_j, e) => {
      const k = full.resource.edgeVia(e).kind;
      if (k === "replace_triggered_by") explained.add(full.resource.addressOf(i));
    });
  }
  for (const [k, tf] of c.terraform) {
    const ours = c.ours.get(k) ?? [];
    expect(ours.filter((x) => !tf.includes(x)), `${k} has dependencies terraform does not`).toEqual([]);
    if (ours.length === tf.length) continue;
    const onTheWay = [k, ...ours].some((a) => explained.has(a));
    expect(onTheWay, `${k} misses ${tf.filter((x) => !ours.includes(x)).join(", ")} with nothing unresolved on the way`).toBe(true);
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
