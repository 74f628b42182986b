// `dot`: the blast-radius subgraph in Graphviz DOT: destroyed resources (red) and what depends on them, coloured by
// impact, edges labelled with why the dependency exists, pointing from a resource to what depends on it.
// `dot -Tsvg` renders it. Several plans: one cluster per plan.

import { blastGraph, type BlastGraph, type BlastNode } from "../blast-graph.js";
import { asReportSet, planLabel } from "../report-set.js";
import { dotString } from "../text.js";
import type { ReportFormat } from "./types.js";

function nodeAttrs(n: BlastNode): string {
  if (n.role === "destroyed") return `fillcolor="#fde2e1", color="#b42318", penwidth=2, xlabel=${dotString(n.kind)}`;
  if (n.impact === "replaced" || n.impact === "deleted") return `fillcolor="#feecdc", color="#c4320a", xlabel=${dotString(n.impact)}`;
  if (n.impact === undefined) return `fillcolor="#f2f4f7", color="#667085"`;
  if (n.impact === "reads" || n.impact === "none") return `fillcolor="#f2f4f7", color="#667085", xlabel=${dotString(n.impact)}`;
  return `fillcolor="#fef7c3", color="#a15c07", xlabel=${dotString(n.impact)}`;
}

function body(g: BlastGraph, prefix: string, indent: string): string[] {
  const id = (a: string): string => dotString(prefix + a);
  const out: string[] = [];
  for (const n of g.nodes) out.push(`${indent}${id(n.address)} [label=${dotString(n.address)}, ${nodeAttrs(n)}];`);
  for (const e of g.edges) out.push(`${indent}${id(e.from)} -> ${id(e.to)} [label=${dotString(e.via || "depends on")}];`);
  return out;
}

export const dot: ReportFormat = {
  id: "dot",
  description: "the blast-radius subgraph in Graphviz DOT (destroyed resources and their dependents)",
  extension: "dot",
  render(input) {
    const set = asReportSet(input);
    const out = [
      "digraph blast_radius {",
      "  // Edges point from a resource to what depends on it: the way a destroy travels.",
      '  rankdir="LR";',
      '  node [shape=box, style="rounded,filled", fontname="sans-serif"];',
      '  edge [fontname="sans-serif", fontsize=10];',
    ];
    if (set.reports.length === 1) out.push(...body(blastGraph(set.reports[0]!), "", "  "));
    else
      set.reports.forEach((r, i) => {
        out.push(`  subgraph ${dotString(`cluster_plan_${i + 1}`)} {`, `    label=${dotString(`plan ${i + 1}: ${planLabel(r, i)}`)};`);
        out.push(...body(blastGraph(r), `plan ${i + 1}: `, "    "));
        out.push("  }");
      });
    out.push("}");
    return out.join("\n") + "\n";
  },
};
