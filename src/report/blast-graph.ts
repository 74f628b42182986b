// The blast-radius subgraph of a report: every destroyed resource, the resources that depend on them (from the
// blast-radius paths), and one edge per hop labelled with why the dependency exists. Shared by dot, mermaid, html
// and the Markdown diagram. Edges point from a resource to what depends on it: the direction damage travels.

import type { Impact, Severity } from "../analysis/types.js";
import type { ChangeKind } from "../plan/actions.js";
import type { Report, ReportDestructive } from "./document.js";

export interface BlastNode {
  address: string;
  /** Destroyed (deleted, replaced, forgotten) by the plan, or a dependent of something destroyed. */
  role: "destroyed" | "dependent";
  /** The resource's own planned change (`no-op` for an untouched dependent). */
  kind: ChangeKind;
  /** Destroyed nodes: the change's severity. */
  severity?: Severity;
  /** Dependents: how the destroy reaches it; undefined for a node only seen inside another node's path. */
  impact?: Impact;
  /** Hops from the nearest destroyed resource (0 for destroyed ones). */
  depth: number;
}

export interface BlastEdge {
  from: string;
  to: string;
  via: string;
}

export interface BlastGraph {
  nodes: BlastNode[];
  edges: BlastEdge[];
  /** Nodes left out by `maxNodes` (their edges are left out too). */
  omittedNodes: number;
}

export interface BlastGraphOptions {
  /** Only this destructive change and its dependents (the "main" blast radius). */
  focus?: ReportDestructive;
  /** Most nodes kept: destroyed ones first (in report order), then dependents by depth. */
  maxNodes?: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The destructive change with the largest blast radius (ties: the first in report order), if any has dependents. */
export function mainBlastRadius(report: Report): ReportDestructive | undefined {
  let best: ReportDestructive | undefined;
  for (const d of report.destructive) if (d.blast_radius.length > 0 && (!best || d.blast_radius_total > best.blast_radius_total)) best = d;
  return best;
}

/** Builds the subgraph. Deterministic: nodes destroyed-first in report order, then by depth and address; edges sorted. */
export function blastGraph(report: Report, opts: BlastGraphOptions = {}): BlastGraph {
  const sources = opts.focus ? [opts.focus] : report.destructive;
  const nodes = new Map<string, BlastNode>();
  const edges = new Map<string, BlastEdge>();
  for (const d of sources) {
    if (!nodes.has(d.address)) nodes.set(d.address, { address: d.address, role: "destroyed", kind: d.kind, severity: d.severity, depth: 0 });
  }
  const destroyed = new Set(report.destructive.map((d) => d.address));
  for (const d of sources) {
    for (const e of d.blast_radius) {
      const existing = nodes.get(e.address);
      if (!existing) nodes.set(e.address, { address: e.address, role: destroyed.has(e.address) ? "destroyed" : "dependent", kind: e.action, impact: e.impact, depth: e.depth });
      else if (existing.role === "dependent" && existing.impact === undefined) Object.assign(existing, { kind: e.action, impact: e.impact, depth: e.depth });
      for (let k = 1; k < e.path.length; k++) {
        const from = e.path[k - 1]!;
        const to = e.path[k]!;
        const via = e.via[k - 1] ?? "";
        if (!nodes.has(from)) nodes.set(from, { address: from, role: destroyed.has(from) ? "destroyed" : "dependent", kind: "no-op", depth: k - 1 });
        if (!nodes.has(to)) nodes.set(to, { address: to, role: destroyed.has(to) ? "destroyed" : "dependent", kind: "no-op", depth: k });
        const key = `${from}\u0000${to}\u0000${via}`;
        if (!edges.has(key)) edges.set(key, { from, to, via });
      }
    }
  }
  const order = [...nodes.values()];
  const destroyedOrder = new Map(report.destructive.map((d, i) => [d.address, i]));
  order.sort((a, b) => {
    const ra = a.role === "destroyed" ? 0 : 1;
    const rb = b.role === "destroyed" ? 0 : 1;
    if (ra !== rb) return ra - rb;
    if (ra === 0) return (destroyedOrder.get(a.address) ?? 1e9) - (destroyedOrder.get(b.address) ?? 1e9) || cmp(a.address, b.address);
    return a.depth - b.depth || cmp(a.address, b.address);
  });
  const max = opts.maxNodes ?? Infinity;
  const kept = order.slice(0, max);
  const keptSet = new Set(kept.map((n) => n.address));
  const keptEdges = [...edges.values()].filter((e) => keptSet.has(e.from) && keptSet.has(e.to)).sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.via, b.via));
  return { nodes: kept, edges: keptEdges, omittedNodes: order.length - kept.length };
}
