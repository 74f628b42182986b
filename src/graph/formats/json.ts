// JSON: `{ level, nodes, edges, unresolved, cycles }`; an edge's `from` depends on its `to` (as `terraform graph`).

import type { GraphFormat } from "./types.js";

export const json: GraphFormat = {
  id: "json",
  render({ graph, unresolved, cycles, lifecycle, locations }) {
    const doc = graph.toJSON();
    const nodes = doc.nodes.map((n) => {
      // Sources describe blocks, so lifecycle and location attach by config address at both levels.
      const extra: Record<string, unknown> = {};
      const loc = locations.get(n.configAddress);
      if (loc) extra.location = loc;
      const lc = lifecycle.get(n.configAddress);
      if (lc) {
        const { file: _f, line: _l, ...rest } = lc;
        extra.lifecycle = rest;
      }
      return { ...n, ...extra };
    });
    return JSON.stringify({ level: doc.level, nodes, edges: doc.edges, unresolved, cycles }, null, 2) + "\n";
  },
};
