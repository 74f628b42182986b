// Test helpers for policies: example plans, hand-made analyses and changes, and policies from inline text.

import path from "node:path";
import { analyse } from "../../src/analysis/index.js";
import type { Analysis, DataLossRisk, DestructiveFinding, Finding } from "../../src/analysis/types.js";
import { isDestructive, kindOf } from "../../src/plan/actions.js";
import type { Plan, ResourceChange } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { SensitiveValues } from "../../src/plan/values.js";
import { BlastgateError, type Diagnostic } from "../../src/diagnostics/index.js";
import { compilePolicies, PolicyLoadError, type PolicySource } from "../../src/policy/compile.js";
import type { PolicyContext, PolicySet } from "../../src/policy/model.js";
import { EXAMPLES } from "../helpers/paths.js";

/** A fixed clock: waivers in tests expire relative to it. */
export const NOW = new Date("2026-06-15T12:00:00Z");

const plans = new Map<string, Promise<Plan>>();
/** An example plan (`examples/<name>/plan.json`), loaded once. */
export function example(name: string): Promise<Plan> {
  let p = plans.get(name);
  if (!p) {
    p = loadPlan(path.join(EXAMPLES, name, "plan.json"));
    plans.set(name, p);
  }
  return p;
}

/** The real analysis of a plan (no dependency graph: no blast radius). */
export function realAnalysis(plan: Plan): Analysis {
  return analyse(plan);
}

/** A synthetic resource change: `change("module.a.aws_db_instance.main", ["delete"], {...})`. */
export function change(address: string, actions: string[] = ["delete"], extra: Partial<ResourceChange> & { before?: unknown; beforeSensitive?: unknown; after?: unknown } = {}): ResourceChange {
  const { before, beforeSensitive, after, ...rest } = extra;
  const m = /^((?:module\.[^.]+\.)*)(data\.)?([^.]+)\.([^.[]+)/.exec(address);
  const kind = kindOf(actions);
  const rc: ResourceChange = {
    address,
    configAddress: address.replace(/\[[^\]]*\]/g, ""),
    moduleAddress: (m?.[1] ?? "").replace(/\.$/, ""),
    module: [],
    mode: m?.[2] ? "data" : "managed",
    type: m?.[3] ?? "null_resource",
    name: m?.[4] ?? "x",
    provider: "registry.terraform.io/hashicorp/aws",
    actions,
    kind,
    replacePaths: [],
    importing: false,
    unknownAfter: [],
    changedAttributes: [],
    pointer: "/resource_changes/0",
    ...rest,
  };
  if (before !== undefined || after !== undefined || isDestructive(kind)) {
    rc.values = new SensitiveValues({ before: before ?? null, after: after ?? null, before_sensitive: beforeSensitive ?? false, after_sensitive: false, after_unknown: {} });
  }
  return rc;
}

/** A minimal plan around some changes. */
export function planOf(changes: ResourceChange[], extra: Partial<Plan> = {}): Plan {
  return {
    source: { kind: "file", path: "test.json", bytes: 0, encoding: "utf-8" },
    formatVersion: "1.2",
    tool: "terraform",
    complete: true,
    errored: false,
    changes,
    drift: [],
    outputs: [],
    deferred: [],
    checks: [],
    variables: [],
    relevantAttributes: [],
    notes: [],
    ...extra,
  };
}

export interface AnalysisOptions {
  risk?: Record<string, DataLossRisk>;
  radius?: Record<string, number>;
  preventDestroy?: string[];
  findings?: Finding[];
  score?: number;
  managedCount?: number;
  /** Destructive changes the analysis has no finding for. */
  missing?: string[];
}

/** A hand-made analysis of a plan: every destructive change gets a finding with the given risk and radius. */
export function analysisOf(plan: Plan, o: AnalysisOptions = {}): Analysis {
  const destructive: DestructiveFinding[] = plan.changes
    .filter((c) => (isDestructive(c.kind) || c.kind === "unknown") && !o.missing?.includes(c.address))
    .map((c) => {
      const f: DestructiveFinding = {
        address: c.address,
        type: c.type,
        provider: c.provider,
        kind: c.kind,
        actions: c.actions,
        explanation: "",
        replacePaths: [],
        risk: { dataLoss: o.risk?.[c.address] ?? "none", reasons: [] },
        blastRadius: [],
        radiusTotal: o.radius?.[c.address] ?? 0,
        severity: "medium",
        change: c,
      };
      if (c.deposed !== undefined) f.deposed = c.deposed;
      if (o.preventDestroy?.includes(c.address)) f.preventDestroy = true;
      return f;
    });
  const managed = o.managedCount ?? plan.changes.filter((c) => c.mode === "managed" && c.kind !== "create").length;
  return {
    destructive,
    rootCauses: [],
    findings: o.findings ?? [],
    managedCount: managed,
    destroyedShare: managed > 0 ? destructive.length / managed : 0,
    score: o.score ?? 0,
    severity: "low",
    unresolved: [],
  };
}

export function context(extra: Partial<PolicyContext> = {}): PolicyContext {
  return { intent: [], aiAssisted: false, aiEvidence: [], approvals: [], notes: [], ...extra };
}

/** Compiles inline policy files: `policies({"p.yaml": "..."})`. */
export function policies(files: Record<string, string>, defaults?: PolicySource[]): Promise<PolicySet> {
  return compilePolicies(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    defaults ? async () => defaults : undefined,
  );
}

/** The diagnostics a policy load rejects with (every one of a PolicyLoadError); fails when it does not reject. */
export async function problems(p: Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PolicyLoadError) return [...e.diagnostics];
    if (e instanceof BlastgateError) return [e.diagnostic];
    throw e;
  }
  throw new Error("expected the policies to be rejected");
}
