// The oracle side of the proof: parse `terraform graph` DOT output and compare transitive closures.

import type { Graph } from "../../../src/graph/index.js";

export interface DotGraph {
  nodes: Set<string>;
  edges: [string, string][];
}

/** Reads one DOT quoted ID starting at s[i] === '"'. */
function readId(s: string, i: number): [string, number] {
  let out = "";
  i++;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === "\\" && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    out += s[i];
    i++;
  }
  return [out, i + 1];
}

/** Parses the resource-only DOT that `terraform graph` prints: quoted node statements and `"a" -> "b";` edges. */
export function parseDot(text: string): DotGraph {
  const nodes = new Set<string>();
  const edges: [string, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith('"')) continue;
    const [a, end] = readId(line, 0);
    const rest = line.slice(end).trim();
    if (rest.startsWith("->")) {
      const [b] = readId(rest, rest.indexOf('"'));
      edges.push([a, b]);
      nodes.add(a);
      nodes.add(b);
    } else if (rest.startsWith("[")) nodes.add(a);
  }
  return { nodes, edges };
}

/** Transitive closure as `from -> sorted list of everything it reaches`, over the given nodes only. */
export function closure(nodes: Iterable<string>, edges: Iterable<[string, string]>): Map<string, string[]> {
  const keep = new Set(nodes);
  const adj = new Map<string, string[]>();
  for (const n of keep) adj.set(n, []);
  for (const [a, b] of edges) if (keep.has(a) && keep.has(b)) adj.get(a)!.push(b);
  const out = new Map<string, string[]>();
  for (const n of [...keep].sort()) {
    const seen = new Set<string>();
    const stack = [...adj.get(n)!];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...adj.get(x)!);
    }
    seen.delete(n);
    out.set(n, [...seen].sort());
  }
  return out;
}

export function edgesOf(g: Graph): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < g.size; i++) g.forEachDependency(i, (j) => out.push([g.addressOf(i), g.addressOf(j)]));
  return out;
}

/**
 * The closures to compare for one plan: over the resources in the plan's configuration (terraform graph's
 * isolated state-only orphans are dropped; ours may carry prior_state edges to them, which the oracle cannot see).
 */
export function compareClosures(ours: Graph, dotText: string, inConfig: (address: string) => boolean): { ours: Map<string, string[]>; terraform: Map<string, string[]> } {
  const dot = parseDot(dotText);
  const nodes = new Set<string>();
  for (let i = 0; i < ours.size; i++) if (inConfig(ours.addressOf(i))) nodes.add(ours.addressOf(i));
  for (const n of dot.nodes) if (inConfig(n)) nodes.add(n);
  return { ours: closure(nodes, edgesOf(ours)), terraform: closure(nodes, dot.edges) };
}
