// The versioned report document: the one source every output format renders from.

import type { Diagnostic } from "../diagnostics/index.js";
import type { Analysis, BlastRadiusEntry, DataLossRisk, Impact, Severity } from "../analysis/types.js";
import { CHANGE_KINDS, type ChangeKind } from "../plan/actions.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { isReaderBuilt } from "../plan/build.js";
import { changesByAddress } from "../plan/order.js";
import { deferArray } from "./deferred.js";

export const REPORT_SCHEMA_VERSION = "1.1";

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

export interface ReportBlastRadiusEntry {
  address: string;
  depth: number;
  /** [destroyed change address, ..., this address] */
  path: string[];
  /** Why each hop exists (one fewer than path). */
  via: string[];
  action: ChangeKind;
  impact: Impact;
}

/** The report lists the analysis's blast-radius entries as they are: the compiler holds their members equal. */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const SAME_RADIUS_KEYS: SameKeys<BlastRadiusEntry, ReportBlastRadiusEntry> = true;
void SAME_RADIUS_KEYS;

export interface ReportDestructive {
  address: string;
  type: string;
  provider: string;
  kind: ChangeKind;
  actions: readonly string[];
  action_reason: string | null;
  explanation: string;
  replace_paths: string[];
  deposed?: string;
  severity: Severity;
  risk: { data_loss: DataLossRisk; category: string | null; reasons: string[] };
  /** Why this change is flagged, most important first. */
  reasons: string[];
  prevent_destroy: boolean | null;
  blast_radius: ReportBlastRadiusEntry[];
  /** Counts: every transitive dependent; those listed under another destructive change; those left out by the cap. */
  blast_radius_total: number;
  blast_radius_covered: number;
  blast_radius_truncated: number;
}

export interface ReportRootCause {
  cause: string;
  kind: string;
  summary: string;
  chain: string[];
  addresses: string[];
}

export interface ReportFinding {
  id: string;
  severity: Severity;
  message: string;
  addresses: string[];
  suggestion?: string;
}

/** One policy rule's result, as the report shows it. */
export interface ReportRuleResult {
  rule: string;
  severity: "fail" | "warn";
  status: "pass" | "warn" | "fail" | "waived" | "approved";
  description: string;
  message: string;
  addresses: string[];
  limit: number | string | null;
  measured: number | string | null;
  notes: string[];
}

/** The policy verdict: which rules held, which did not, and declared intent. */
export interface ReportPolicy {
  status: "pass" | "warn" | "fail";
  results: ReportRuleResult[];
  /** Destroys inside a declared `allow-destroy` intent (they pass, with a note). */
  allowed_by_intent: string[];
  /** Destroys outside the declared intent. */
  outside_intent: string[];
  /** The plan's fingerprint (what an approval binds to). */
  fingerprint: string | null;
  /**
   * What the verdict as a whole rests on, one sentence each: an approval found (or rejected), the declared intent,
   * the AI-assisted mark, commit trailers that could not be read, allow-destroy patterns that match nothing.
   */
  notes: string[];
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
  /**
   * Every resource change, by address then deposed key. Made when first read (most formats never read it), then a
   * plain property like the others (report/deferred.ts).
   */
  changes: ReportChange[];
  destructive: ReportDestructive[];
  root_causes: ReportRootCause[];
  findings: ReportFinding[];
  analysis: { score: number; severity: Severity; managed_count: number; destroyed_share: number };
  /** References the dependency graph could not resolve (e.g. locals without --tf-dir or prior_state). */
  unresolved: { from: string; reference: string; why: string }[];
  /** Null when no policy was evaluated. */
  policy: ReportPolicy | null;
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

export function buildReport(plan: Plan, analysis: Analysis, version: string, verdict: Verdict = baseVerdict(plan), policy: ReportPolicy | null = null): Report {
  const summary = { total: plan.changes.length } as Report["summary"];
  for (const k of CHANGE_KINDS) summary[k] = 0;
  for (const c of plan.changes) summary[c.kind]++;
  const destructive = analysis.destructive.map((d) => {
    const r: ReportDestructive = {
      address: d.address,
      type: d.type,
      provider: d.provider,
      kind: d.kind,
      actions: d.actions,
      action_reason: d.actionReason ?? null,
      explanation: d.explanation,
      replace_paths: d.replacePaths,
      severity: d.severity,
      risk: { data_loss: d.risk.dataLoss, category: d.risk.category ?? null, reasons: d.risk.reasons },
      reasons: [d.explanation, ...d.risk.reasons, ...(d.preventDestroy ? ["lifecycle { prevent_destroy = true }"] : [])],
      prevent_destroy: d.preventDestroy ?? null,
      // The analysis's entries, not copies: they hold exactly the report's members in its order (SAME_RADIUS_KEYS, and
      // the literal in blast-radius.ts), and copying them cost ~0.3 s and ~40 MiB held to the end at 580k changes.
      blast_radius: d.blastRadius,
      blast_radius_total: d.radiusTotal,
      blast_radius_covered: d.radiusCovered ?? 0,
      blast_radius_truncated: d.radiusTruncated ?? 0,
    };
    if (d.deposed !== undefined) r.deposed = d.deposed;
    return r;
  });
  const report: Report = {
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
    changes: [],
    destructive,
    root_causes: analysis.rootCauses.map((r) => ({ cause: r.cause, kind: r.kind, summary: r.summary, chain: r.chain, addresses: r.addresses })),
    findings: analysis.findings.map((f) => {
      const r: ReportFinding = { id: f.id, severity: f.severity, message: f.message, addresses: f.addresses };
      if (f.suggestion !== undefined) r.suggestion = f.suggestion;
      return r;
    }),
    analysis: { score: analysis.score, severity: analysis.severity, managed_count: analysis.managedCount, destroyed_share: Math.round(analysis.destroyedShare * 1000) / 1000 },
    unresolved: analysis.unresolved,
    policy,
    verdict,
    notes: [...plan.notes],
  };
  // Every change, in address order (then deposed key; sorted once for the fingerprint and the report, plan/order.ts),
  // made only when read: most formats never read them (report/deferred.ts). Only for a plan the reader built, whose
  // rows are frozen: rows made by hand could change after this, so their report takes them as they are now.
  const rows = changesByAddress(plan);
  if (isReaderBuilt(plan.changes)) deferArray(report, "changes", rows.length, (start, end) => rows.slice(start, end).map(reportChange));
  else report.changes = rows.map(reportChange);
  return report;
}

function reportChange(c: ResourceChange): ReportChange {
  const r: ReportChange = { address: c.address, kind: c.kind, actions: c.actions, module_address: c.moduleAddress, mode: c.mode, type: c.type, name: c.name, provider: c.provider };
  if (c.actionReason !== undefined) r.action_reason = c.actionReason;
  if (c.deposed !== undefined) r.deposed = c.deposed;
  if (c.importing) r.importing = true;
  if (c.previousAddress !== undefined) r.previous_address = c.previousAddress;
  return r;
}
