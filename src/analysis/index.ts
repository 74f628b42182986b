// analyse(): plan (+ dependency graph) -> destructive changes with risk and blast radius, root causes, findings, score.

import { destroysObject, isDestructive } from "../plan/actions.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { computeBlastRadii } from "./blast-radius.js";
import { describeDestructive } from "./destructive.js";
import { detectFindings } from "./findings.js";
import type { GraphView } from "./graph-view.js";
import { assessRisk } from "./risk.js";
import { findRootCauses } from "./root-cause.js";
import { changeSeverity, planScore, severityOf } from "./score.js";
import type { Analysis, DestructiveFinding } from "./types.js";

export interface AnalysisInput {
  /** The instance-level dependency graph; without it there is no blast radius and root causes stay per change. */
  graph?: GraphView;
  /** prevent_destroy by config address, from --tf-dir sources. */
  preventDestroy?: (configAddress: string) => boolean | undefined;
  /** References the graph could not resolve. */
  unresolved?: Analysis["unresolved"];
  /** Most blast-radius entries listed per change (all are counted). */
  maxRadiusEntries?: number;
}

/** Managed resource instances before the change: the prior state's, else the plan's rows that are not creates. */
export function managedCount(plan: Plan): number {
  let n = 0;
  if (plan.priorState && plan.priorState.length > 0) {
    for (const r of plan.priorState) if (r.mode === "managed" && r.deposedKey === undefined) n++;
    return n;
  }
  for (const c of plan.changes) if (c.mode === "managed" && c.deposed === undefined && c.kind !== "create") n++;
  return n;
}

export function analyse(plan: Plan, input: AnalysisInput = {}): Analysis {
  const preventDestroy = input.preventDestroy ?? (() => undefined);
  const destroyedChanges = plan.changes.filter((c) => isDestructive(c.kind) || c.kind === "unknown");

  const findings: DestructiveFinding[] = destroyedChanges.map((c) => {
    const d = describeDestructive(c);
    const risk = assessRisk(c);
    const pd = preventDestroy(c.configAddress);
    const f: DestructiveFinding = {
      address: c.address,
      type: c.type,
      provider: c.provider,
      kind: c.kind,
      actions: c.actions,
      explanation: d.explanation,
      replacePaths: [...d.replacePaths],
      risk,
      blastRadius: [],
      radiusTotal: 0,
      severity: changeSeverity(c.kind, risk.dataLoss, pd),
      change: c,
    };
    if (c.deposed !== undefined) f.deposed = c.deposed;
    if (c.actionReason !== undefined) f.actionReason = c.actionReason;
    if (pd !== undefined) f.preventDestroy = pd;
    return f;
  });

  let largestRadius: { address: string; total: number } | undefined;
  const graph = input.graph;
  if (graph) {
    const sources: number[] = [];
    const owners: DestructiveFinding[] = [];
    for (const f of findings) {
      if (f.deposed !== undefined) continue; // nothing depends on a deposed object
      const i = graph.indexOf(f.address);
      if (i === undefined) continue;
      sources.push(i);
      owners.push(f);
    }
    // Nothing destroyed in the graph (most plans): no radius to walk, so no per-node arrays to build.
    if (sources.length > 0) {
      const isDestr = new Uint8Array(graph.size);
      for (const i of sources) isDestr[i] = 1;
      // Each node's own change (the last row of its address that is not a deposed object), found through the graph's
      // address index rather than a map of every address. The instance graph numbers the plan's rows first, in order
      // (a repeated row shifts the later ones), so the node a row's place predicts is tried before the index: equal
      // addresses there are the same string, compared without hashing it or a lookup in a map of every node.
      const changeAt: (ResourceChange | undefined)[] = new Array(graph.size);
      let shift = 0;
      for (let k = 0; k < plan.changes.length; k++) {
        const c = plan.changes[k]!;
        if (c.deposed !== undefined) continue;
        const guess = k - shift;
        const i = guess < graph.size && graph.addressOf(guess) === c.address ? guess : graph.indexOf(c.address);
        if (i === undefined) continue;
        changeAt[i] = c;
        shift = k - i;
      }
      const results = computeBlastRadii(graph, sources, isDestr, (n) => changeAt[n], { maxEntries: input.maxRadiusEntries ?? 200 });
      results.forEach((r, k) => {
        const f = owners[k]!;
        f.blastRadius = r.entries;
        f.radiusTotal = r.total;
        f.radiusCovered = r.coveredByOther;
        f.radiusTruncated = r.truncated;
        if (destroysObject(f.kind) && (!largestRadius || r.total > largestRadius.total)) largestRadius = { address: f.address, total: r.total };
      });
    }
  }

  const managed = managedCount(plan);
  const destroyedManaged = new Set(destroyedChanges.filter((c) => c.mode === "managed" && c.deposed === undefined && (destroysObject(c.kind) || c.kind === "unknown")).map((c) => c.address));
  const destroyedShare = managed > 0 ? Math.min(1, destroyedManaged.size / managed) : 0;
  const rootCauses = findRootCauses(plan, graph, destroyedChanges);
  const planFindings = detectFindings({
    plan,
    destroyed: destroyedChanges,
    managedCount: managed,
    destroyedShare,
    rootCauses,
    preventDestroy,
    ...(largestRadius ? { largestRadius } : {}),
  });
  const score = planScore(findings, planFindings, destroyedShare);
  // Most important first: severity, then blast radius, then address.
  const order = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity] || b.radiusTotal - a.radiusTotal || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    destructive: findings,
    rootCauses,
    findings: planFindings,
    managedCount: managed,
    destroyedShare,
    score,
    severity: severityOf(score),
    unresolved: input.unresolved ?? [],
  };
}
