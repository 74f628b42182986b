// Graphviz DOT in the shape `terraform graph` prints (rankdir RL, one cluster per module), so `dot -Tsvg` draws
// it. Edge style tells the reason: solid reference/module I/O, dashed prior_state, bold replace_triggered_by.

import { cmp } from "../csr.js";
import type { EdgeKind } from "../types.js";
import type { GraphFormat } from "./types.js";

/** A DOT quoted ID: backslash and double quote escaped (addresses can hold both in for_each keys). */
export function dotId(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const STYLE: Record<EdgeKind, string> = {
  reference: "",
  module_input: "",
  module_output: "",
  depends_on: ' [style = "dotted"]',
  state: ' [style = "dashed"]',
  replace_triggered_by: ' [style = "bold"]',
};

export const dot: GraphFormat = {
  id: "dot",
  render({ graph }) {
    const order = Array.from({ length: graph.size }, (_, i) => i).sort((a, b) => cmp(graph.addressOf(a), graph.addressOf(b)));
    const byModule = new Map<string, number[]>();
    for (const i of order) {
      const m = graph.node(i).module;
      let list = byModule.get(m);
      if (!list) byModule.set(m, (list = []));
      list.push(i);
    }
    const label = (i: number): string => {
      const n = graph.node(i);
      // Like `terraform graph`: resource-level nodes inside a cluster are labelled without the module path.
      const text = graph.level === "resource" && n.module ? n.address.slice(n.module.length + 1) : n.address;
      return `${dotId(n.address)} [label=${dotId(text)}${n.inConfig ? "" : ', style = "dashed"'}];`;
    };
    const lines = ["digraph G {", '  rankdir = "RL";', '  node [shape = rect, fontname = "sans-serif"];'];
    for (const i of byModule.get("") ?? []) lines.push(`  ${label(i)}`);
    for (const m of [...byModule.keys()].filter((k) => k !== "").sort(cmp)) {
      lines.push(`  subgraph ${dotId(`cluster_${m}`)} {`, `    label = ${dotId(m)}`, '    fontname = "sans-serif"');
      for (const i of byModule.get(m)!) lines.push(`    ${label(i)}`);
      lines.push("  }");
    }
    for (const i of order) {
      const deps: { j: number; e: number }[] = [];
      graph.forEachDependency(i, (j, e) => deps.push({ j, e }));
      deps.sort((a, b) => cmp(graph.addressOf(a.j), graph.addressOf(b.j)));
      for (const { j, e } of deps) lines.push(`  ${dotId(graph.addressOf(i))} -> ${dotId(graph.addressOf(j))}${STYLE[graph.edgeVia(e).kind]};`);
    }
    lines.push("}");
    return lines.join("\n") + "\n";
  },
};
