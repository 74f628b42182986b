// The part of the dependency graph analysis reads: an integer-indexed instance graph with reverse edges.
// src/graph's Graph satisfies it structurally; analysis stays independent of how the graph is built.

export interface EdgeViaView {
  kind: string;
  attribute?: string;
  detail?: string;
}

export interface GraphView {
  readonly size: number;
  addressOf(i: number): string;
  indexOf(address: string): number | undefined;
  /** Calls cb for each node j that depends on i, with the edge's index. */
  forEachDependent(i: number, cb: (j: number, edge: number) => void): void;
  forEachDependency(i: number, cb: (j: number, edge: number) => void): void;
  edgeVia(edge: number): EdgeViaView;
  /**
   * Optional: the reverse adjacency as arrays, read-only. The dependents of i are `node[k]`, through edge `edge[k]`,
   * for k in `off[i]..off[i + 1]`, in forEachDependent's order. Without it, analysis builds them once.
   */
  reverseAdjacency?(): ReverseAdjacency;
}

export interface ReverseAdjacency {
  off: Int32Array;
  node: Int32Array;
  edge: Int32Array;
}

/** The graph's reverse adjacency arrays (built from forEachDependent when the graph does not offer them). */
export function reverseAdjacencyOf(graph: GraphView): ReverseAdjacency {
  if (graph.reverseAdjacency) return graph.reverseAdjacency();
  const n = graph.size;
  const off = new Int32Array(n + 1);
  const node: number[] = [];
  const edge: number[] = [];
  for (let i = 0; i < n; i++) {
    graph.forEachDependent(i, (j, e) => {
      node.push(j);
      edge.push(e);
    });
    off[i + 1] = node.length;
  }
  return { off, node: Int32Array.from(node), edge: Int32Array.from(edge) };
}

/** Renders an edge reason for a path: `reference: environment`, `depends_on`, `module_input: vpc_id`. */
export function describeVia(via: EdgeViaView): string {
  if (via.attribute) return `${via.kind}: ${via.attribute}`;
  return via.detail ? `${via.kind}: ${via.detail}` : via.kind;
}
