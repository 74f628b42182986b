// The versioned report document: the one source every output format renders from.

import type { Diagnostic } from "../diagnostics/index.js";
import { destructiveChanges } from "../analysis/destructive.js";
import { CHANGE_KINDS, type ChangeKind } from "../plan/actions.js";
import type { Plan } from "../plan/model.js";
import { renderPath } from "../analysis/reasons.js";

export const REPORT_SCHEMA_VERSION = "1.0";

export interface Verdict {
  status: "pass" | "fail";
  /** Why the gate failed (or passed with notes), one sentence each. */
  reasons: string[];
}

export interface ReportChange {
  address: string;
  kind: ChangeKind;
  actions: readonly string[];
  module_address: string;
  mode: string;
  type: string;
  name: string;
  provider: string;
  action_reason?: string;
  deposed?: string;
  importing?: boolean;
  previous_address?: string;
}

export interface ReportDestructive {
  address: string;
  kind: ChangeKind;
  actions: readonly string[];
  action_reason: string | null;
  explanation: string;
  replace_paths: string[];
  deposed?: string;
}

export interface Report {
  schema_version: string;
  tool: { name: "blastgate"; version: string };
  plan: {
    format_version: string;
    terraform_version: string | null;
    tool: string;
    source: { kind: string; path: string | null; encoding: string };
    complete: boolean | null;
    applyable: boolean | null;
    errored: boolean | null;
  };
  summary: { total: number } & Record<ChangeKind, number>;
  changes: ReportChange[];
  destructive: ReportDestructive[];
  verdict: Verdict;
  notes: Diagnostic[];
}

/** The gate's verdict before policies: a plan Terraform itself marks incomplete or errored never passes. */
export function baseVerdict(plan: Plan): Verdict {
  const reasons: string[] = [];
  if (plan.errored === true) reasons.push("Terraform reported errors while planning (errored: true): the plan is partial and cannot be called safe");
  if (plan.complete === false) reasons.push("the plan is incomplete (complete: false, e.g. -target or deferred changes): unplanned changes may follow");
  return { status: reasons.length > 0 ? "fail" : "pass", reasons };
}

function byAddress<T extends { address: string }>(a: T, b: T): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

export function buildReport(plan: Plan, version: string, verdict: Verdict = baseVerdict(plan)): Report {
  const summary = { total: plan.changes.length } as Report["summary"];
  for (const k of CHANGE_KINDS) summary[k] = 0;
  for (const c of plan.changes) summary[c.kind]++;
  const changes: ReportChange[] = plan.changes
    .map((c) => {
      const r: ReportChange = { address: c.address, kind: c.kind, actions: c.actions, module_address: c.moduleAddress, mode: c.mode, type: c.type, name: c.name, provider: c.provider };
      if (c.actionReason !== undefined) r.action_reason = c.actionReason;
      if (c.deposed !== undefined) r.deposed = c.deposed;
      if (c.importing) r.importing = true;
      if (c.previousAddress !== undefined) r.previous_address = c.previousAddress;
      return r;
    })
    .sort(byAddress);
  const destructive = destructiveChanges(plan).map((d) => {
    const r: ReportDestructive = {
      address: d.address,
      kind: d.kind,
      actions: d.actions,
      action_reason: d.actionReason ?? null,
      explanation: d.explanation,
      replace_paths: d.change.replacePaths.map(renderPath),
    };
    if (d.deposed !== undefined) r.deposed = d.deposed;
    return r;
  });
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    tool: { name: "blastgate", version },
    plan: {
      format_version: plan.formatVersion,
      terraform_version: plan.terraformVersion ?? null,
      tool: plan.tool,
      source: { kind: plan.source.kind, path: plan.source.path ?? null, encoding: plan.source.encoding },
      complete: plan.complete ?? null,
      applyable: plan.applyable ?? null,
      errored: plan.errored ?? null,
    },
    summary,
    changes,
    destructive,
    verdict,
    notes: [...plan.notes],
  };
}
