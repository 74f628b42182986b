// Mermaid flowchart (renders in GitHub/GitLab Markdown previews): one subgraph per module, edges labelled with
// their reason, arrows from the dependent to what it depends on (as `terraform graph`).

import { cmp } from "../csr.js";
import type { GraphFormat } from "./types.js";

/** Mermaid label text inside `"..."`: quotes become the `#quot;` entity, the only character that ends a label. */
export function mermaidText(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/\n/g, " ");
}

export const mermaid: GraphFormat = {
  id: "mermaid",
  render({ graph }) {
    const order = Array.from({ length: graph.size }, (_, i) => i).sort((a, b) => cmp(graph.addressOf(a), graph.addressOf(b)));
    const id = new Map<number, string>(order.map((i, k) => [i, `n${k}`]));
    const byModule = new Map<string, number[]>();
    for (const i of order) {
      const m = graph.node(i).module;
      let list = byModule.get(m);
      if (!list) byModule.set(m, (list = []));
      list.push(i);
    }
    const lines = ["flowchart RL"];
    const node = (i: number): string => {
      const n = graph.node(i);
      const text = graph.level === "resource" && n.module ? n.address.slice(n.module.length + 1) : n.address;
      return `${id.get(i)}["${mermaidText(text)}"]`;
    };
    for (const i of byModule.get("") ?? []) lines.push(`  ${node(i)}`);
    [...byModule.keys()]
      .filter((k) => k !== "")
      .sort(cmp)
      .forEach((m, k) => {
        lines.push(`  subgraph m${k}["${mermaidText(m)}"]`);
        for (const i of byModule.get(m)!) lines.push(`    ${node(i)}`);
        lines.push("  end");
      });
    for (const i of order) {
      const deps: { j: number; e: number }[] = [];
      graph.forEachDependency(i, (j, e) => deps.push({ j, e }));
      deps.sort((a, b) => cmp(graph.addressOf(a.j), graph.addressOf(b.j)));
      for (const { j, e } of deps) {
        const kind = graph.edgeVia(e).kind;
        lines.push(`  ${id.get(i)} ${kind === "state" ? "-.->" : "-->"}|${kind}| ${id.get(j)}`);
      }
    }
    return lines.join("\n") + "\n";
  },
};
