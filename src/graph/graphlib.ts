// A graphlib view of a (small) graph for library users: the resource level, for its algorithms and layouts.
// Not for the instance level of big plans: graphlib is 20-70x slower than the CSR arrays (see docs/graph.md).

import { Graph as GraphlibGraph } from "@dagrejs/graphlib";
import type { EdgeVia, Graph, GraphNode } from "./types.js";

/** Copies a graph into a `@dagrejs/graphlib` Graph: node labels are GraphNode, edge labels EdgeVia (`v` depends on `w`). */
export function toGraphlib(g: Graph): GraphlibGraph<unknown, GraphNode, EdgeVia> {
  const out = new GraphlibGraph<unknown, GraphNode, EdgeVia>({ directed: true, multigraph: false, compound: false });
  for (let i = 0; i < g.size; i++) out.setNode(g.addressOf(i), g.node(i));
  for (let i = 0; i < g.size; i++) g.forEachDependency(i, (j, e) => out.setEdge(g.addressOf(i), g.addressOf(j), g.edgeVia(e)));
  return out;
}
