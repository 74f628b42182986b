// One score (0..100) and severity per plan, for policies and the report. Documented in docs/score.md.

import type { DataLossRisk, DestructiveFinding, Finding, Severity } from "./types.js";

export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { critical: 90, high: 70, medium: 45, low: 20, info: 5 };
/** Findings that put a floor under the score. */
const FINDING_FLOOR: Readonly<Record<string, number>> = {
  "environment-wide": 95,
  "destroy-mode": 90,
  "prevent-destroy": 95,
  "missing-state": 60,
  "incomplete-plan": 50,
  "module-removed": 60,
  "rename-without-moved": 60,
};

/** Severity of one destructive change from its kind and data-loss risk. */
export function changeSeverity(kind: string, dataLoss: DataLossRisk, preventDestroy: boolean | undefined): Severity {
  if (preventDestroy === true && kind !== "forget" && kind !== "forget-replace") return "critical";
  if (kind === "forget" || kind === "forget-replace") return "low";
  if (dataLoss === "certain") return "critical";
  if (dataLoss === "likely") return "high";
  if (dataLoss === "unknown") return kind === "replace-create-first" ? "medium" : "high";
  if (dataLoss === "avoidable") return "medium";
  return kind === "replace-create-first" ? "low" : "medium";
}

export function severityOf(score: number): Severity {
  return score >= 90 ? "critical" : score >= 70 ? "high" : score >= 40 ? "medium" : score > 0 ? "low" : "info";
}

/**
 * score = min(100, max(worst change's points + round(40 × share destroyed), floors of the findings)).
 * A plan that destroys nothing and has no finding scores 0.
 */
export function planScore(destructive: readonly DestructiveFinding[], findings: readonly Finding[], destroyedShare: number): number {
  const worst = destructive.reduce((m, d) => Math.max(m, SEVERITY_POINTS[d.severity]), 0);
  const base = destructive.length > 0 ? worst + Math.round(40 * destroyedShare) : 0;
  const floor = findings.reduce((m, f) => Math.max(m, FINDING_FLOOR[f.id] ?? 0), 0);
  return Math.min(100, Math.max(base, floor));
}
