// `mermaid`: the blast-radius subgraph as a Mermaid flowchart: destroyed resources and what depends on them, edges
// labelled with why the dependency exists. Mermaid renders at most 500 edges by default, so larger graphs are cut,
// most important nodes first, with a comment saying how many were left out.

import { blastGraph, type BlastGraph } from "../blast-graph.js";
import { asReportSet, planLabel } from "../report-set.js";
import { mermaidLabel } from "../text.js";
import type { ReportFormat } from "./types.js";

/** Mermaid's default `maxEdges` is 500; nodes are capped so the edges stay well under it. */
export const MERMAID_MAX_NODES = 300;

const CLASS_DEFS = [
  "classDef destroyed fill:#fde2e1,stroke:#b42318,color:#3b0d0c,stroke-width:2px",
  "classDef replaced fill:#feecdc,stroke:#c4320a,color:#3b1a06",
  "classDef affected fill:#fef7c3,stroke:#a15c07,color:#3b2a06",
  "classDef untouched fill:#f2f4f7,stroke:#667085,color:#101828",
];

function nodeClass(n: BlastGraph["nodes"][number]): string {
  if (n.role === "destroyed") return "destroyed";
  if (n.impact === "replaced" || n.impact === "deleted") return "replaced";
  if (n.impact === "unknown-after" || n.impact === "updated" || n.impact === "dangling") return "affected";
  return "untouched";
}

/** The flowchart lines (without a code fence) for one graph; `prefix` keeps node ids unique across plans. */
export function mermaidLines(g: BlastGraph, prefix = "n", indent = "  "): string[] {
  const ids = new Map<string, string>();
  g.nodes.forEach((n, i) => ids.set(n.address, `${prefix}${i}`));
  const out: string[] = [];
  for (const n of g.nodes) out.push(`${indent}${ids.get(n.address)}[${mermaidLabel(n.address)}]:::${nodeClass(n)}`);
  for (const e of g.edges) out.push(`${indent}${ids.get(e.from)} -->|${mermaidLabel(e.via || "depends on")}| ${ids.get(e.to)}`);
  if (g.omittedNodes > 0) out.push(`${indent}%% ${g.omittedNodes} more nodes left out (see --format json or dot)`);
  return out;
}

/** A complete flowchart for one graph. */
export function mermaidFlowchart(g: BlastGraph): string {
  return ["flowchart LR", ...mermaidLines(g), ...CLASS_DEFS.map((c) => "  " + c)].join("\n") + "\n";
}

export const mermaid: ReportFormat = {
  id: "mermaid",
  description: "the blast-radius subgraph as a Mermaid flowchart (destroyed resources and their dependents)",
  extension: "mmd",
  render(input) {
    const set = asReportSet(input);
    if (set.reports.length === 1) return mermaidFlowchart(blastGraph(set.reports[0]!, { maxNodes: MERMAID_MAX_NODES }));
    const out = ["flowchart LR"];
    const perPlan = Math.max(20, Math.floor(MERMAID_MAX_NODES / set.reports.length));
    set.reports.forEach((r, i) => {
      out.push(`  subgraph p${i}[${mermaidLabel(`plan ${i + 1}: ${planLabel(r, i)}`)}]`);
      out.push(...mermaidLines(blastGraph(r, { maxNodes: perPlan }), `p${i}n`, "    "));
      out.push("  end");
    });
    out.push(...CLASS_DEFS.map((c) => "  " + c));
    return out.join("\n") + "\n";
  },
};
