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
}

/** Renders an edge reason for a path: `reference: environment`, `depends_on`, `module_input: vpc_id`. */
export function describeVia(via: EdgeViaView): string {
  if (via.attribute) return `${via.kind}: ${via.attribute}`;
  return via.detail ? `${via.kind}: ${via.detail}` : via.kind;
}
