// A tiny GraphView over an edge list, for testing analysis algorithms on hand-checked graphs.

import type { GraphView } from "../../src/analysis/graph-view.js";

/** edges: [from, to, via] where `from` depends on `to`. */
export function graphOf(edges: [string, string, string?][], extraNodes: string[] = []): GraphView {
  const names: string[] = [];
  const index = new Map<string, number>();
  const id = (a: string): number => {
    let i = index.get(a);
    if (i === undefined) {
      i = names.length;
      names.push(a);
      index.set(a, i);
    }
    return i;
  };
  extraNodes.forEach(id);
  const fwd: [number, number][][] = [];
  const rev: [number, number][][] = [];
  const vias: string[] = [];
  edges.forEach(([from, to, via], e) => {
    const f = id(from);
    const t = id(to);
    (fwd[f] ??= []).push([t, e]);
    (rev[t] ??= []).push([f, e]);
    vias.push(via ?? "reference");
  });
  return {
    get size() {
      return names.length;
    },
    addressOf: (i) => names[i]!,
    indexOf: (a) => index.get(a),
    forEachDependent: (i, cb) => (rev[i] ?? []).forEach(([j, e]) => cb(j, e)),
    forEachDependency: (i, cb) => (fwd[i] ?? []).forEach(([j, e]) => cb(j, e)),
    edgeVia: (e) => {
      const [kind, attribute] = vias[e]!.split(":");
      return attribute ? { kind: kind!, attribute } : { kind: kind! };
    },
  };
}
