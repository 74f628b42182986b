// Evaluates a policy set against a plan and its analysis: one result per rule, the declared intent, and the verdict.
// Pure. Never fails open: a rule that throws is a failed result, and an error outside the rules fails the verdict.

import type { Analysis, DestructiveFinding } from "../analysis/types.js";
import { entryOf } from "../lists.js";
import { CHANGE_KINDS, destroysObject, type ChangeKind } from "../plan/actions.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { verifyApproval, type ApprovalRecord } from "./approval.js";
import { ACTION_GROUPS } from "./conditions/action.js";
import { CONDITIONS_BY_KEY, type EvalContext, type Subject } from "./conditions/index.js";
import { fingerprint, shortFingerprint } from "./fingerprint.js";
import { anyAddressMatch } from "./glob.js";
import { LIMITS_BY_KEY } from "./limits/index.js";
import type { IntentDeclaration, LimitResult, PolicyContext, PolicySet, PolicyVerdict, Rule, RuleResult, WaivedAddress } from "./model.js";

export interface EvaluateInput {
  plan: Plan;
  analysis: Analysis;
  policies: PolicySet;
  context: PolicyContext;
  /** The clock for waiver expiry (pass a fixed date in tests). */
  now: Date;
}

/** The name of the implicit rule that fails destroys outside a declared allow-destroy. */
export const INTENT_RULE = "allow-destroy";

const MAX_NAMED = 5;

function sortUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function named(addresses: readonly string[]): string {
  const shown = addresses.slice(0, MAX_NAMED).join(", ");
  return addresses.length > MAX_NAMED ? `${shown} and ${addresses.length - MAX_NAMED} more` : shown;
}

function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the action condition's `destructive` group names, and the kinds that destroy an object (or might: unknown). */
const DESTRUCTIVE: readonly ChangeKind[] = CHANGE_KINDS.filter(ACTION_GROUPS.destructive!);
const DESTROYS: readonly ChangeKind[] = CHANGE_KINDS.filter((k) => destroysObject(k) || k === "unknown");
const destructive = (c: ResourceChange): boolean => DESTRUCTIVE.includes(c.kind);

interface Shared {
  plan: Plan;
  analysis: Analysis;
  context: PolicyContext;
  now: Date;
  /** The plan's changes of these kinds (undefined: all) as subjects, in plan order. */
  subjects(kinds: readonly ChangeKind[] | undefined): Subject[];
  intentPatterns: string[];
  approval?: ApprovalRecord;
  approvalProblems: string[];
  fingerprint: string;
}

function measure(rule: Rule, counted: Subject[], s: Shared): LimitResult[] {
  const limits = Object.keys(rule.limits).length > 0 ? rule.limits : { max_changes: 0 };
  // Key order, not file order: HCL (via hcl2json) sorts keys, YAML and JSON keep them, and results must not differ.
  return Object.entries(limits).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, allowed]) => {
    const limit = LIMITS_BY_KEY.get(key);
    if (!limit) throw new Error(`unknown limit "${key}"`);
    const measured = limit.measure({ counted, plan: s.plan, analysis: s.analysis });
    if (typeof measured !== "number" || Number.isNaN(measured)) throw new Error(`limit "${key}" measured no number`);
    // An empty selection exceeds nothing (max_score is about plans the rule applies to).
    return { limit: key, allowed, measured, exceeded: counted.length > 0 && measured > allowed };
  });
}

function describeLimit(l: LimitResult): string {
  const limit = LIMITS_BY_KEY.get(l.limit)!;
  return `${limit.phrase(limit.format(l.measured))} (allowed: ${limit.format(l.allowed)})`;
}

function evaluateRule(rule: Rule, s: Shared): RuleResult {
  const notes: string[] = [];
  const ctx: EvalContext = { plan: s.plan, analysis: s.analysis, context: s.context, now: s.now, note: (m) => notes.push(m) };
  const when: Record<string, unknown> = "action" in rule.when ? { ...rule.when } : { action: "destructive", ...rule.when };
  const conditions = Object.entries(when).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, arg]) => {
    const c = CONDITIONS_BY_KEY.get(key);
    if (!c) throw new Error(`unknown condition "${key}"`);
    return { c, arg };
  });
  // Only changes of the kinds the conditions can accept are visited (a rule about destructive changes passes over the
  // no-ops, most of a large plan).
  let kinds: readonly ChangeKind[] | undefined;
  for (const { c, arg } of conditions) {
    const accepted = c.kinds?.(arg);
    if (accepted !== undefined) kinds = kinds === undefined ? accepted : kinds.filter((k) => accepted.includes(k));
  }
  const matched = s.subjects(kinds).filter((sub) => conditions.every(({ c, arg }) => c.evaluate(arg, sub, ctx)));

  const live = rule.waivers.filter((w) => s.now < w.expiresAt);
  for (const w of rule.waivers) {
    if (s.now >= w.expiresAt) {
      const covered = sortUnique(matched.filter((m) => anyAddressMatch(w.addresses, m.change.address) !== undefined).map((m) => m.change.address));
      notes.push(
        `waiver for ${w.addresses.join(", ")} ("${w.reason}") expired on ${w.expires} and no longer applies` + (covered.length > 0 ? `: ${named(covered)} counted again` : ""),
      );
    }
  }
  const waived: WaivedAddress[] = [];
  const waivedSubjects: Subject[] = [];
  const intended: Subject[] = [];
  const counted: Subject[] = [];
  for (const m of matched) {
    const w = live.find((x) => anyAddressMatch(x.addresses, m.change.address) !== undefined);
    if (w) {
      waived.push({ address: m.change.address, reason: w.reason, expires: w.expires });
      waivedSubjects.push(m);
    } else if (rule.allowIntent && destructive(m.change) && anyAddressMatch(s.intentPatterns, m.change.address) !== undefined) intended.push(m);
    else counted.push(m);
  }

  const limits = measure(rule, counted, s);
  const violated = limits.some((l) => l.exceeded);
  const withoutWaivers = waivedSubjects.length > 0 ? measure(rule, [...counted, ...waivedSubjects], s).some((l) => l.exceeded) : false;
  const shown = limits.find((l) => l.exceeded) ?? limits[0]!;
  const countedAddresses = sortUnique(counted.map((m) => m.change.address));
  const intendedAddresses = sortUnique(intended.map((m) => m.change.address));
  const waivedAddresses = sortUnique(waived.map((w) => w.address));

  let status: RuleResult["status"];
  let message: string;
  const found = limits.filter((l) => l.exceeded).map(describeLimit).join("; ");
  if (violated) {
    const what = `${found}: ${named(countedAddresses)}`;
    if (rule.requireApproval && s.approval) {
      status = "approved";
      message = `approved by ${s.approval.approved_by} on ${s.approval.approved_at.slice(0, 10)} ("${s.approval.reason}"): ${what}`;
    } else if (rule.requireApproval) {
      status = rule.severity;
      message = `needs a sign-off for this exact plan (${shortFingerprint(s.fingerprint)}): ${what}`;
      notes.push("sign off with `blastgate approve PLAN --by NAME --reason TEXT` and commit the record (or keep it as a CI artifact)");
      notes.push(...(s.context.approvalNotes ?? []), ...s.approvalProblems);
    } else {
      status = rule.severity;
      message = what;
    }
  } else if (withoutWaivers) {
    status = "waived";
    message = `waived for ${named(waivedAddresses)}: ${sortUnique(waived.map((w) => `"${w.reason}" (until ${w.expires})`)).join(", ")}`;
  } else {
    status = "pass";
    message = matched.length === 0 ? "no matching changes" : counted.length === 0 ? "nothing left to count" : `within limits: ${limits.map(describeLimit).join("; ")}`;
  }
  if (intendedAddresses.length > 0) {
    notes.push(`${plural(intendedAddresses.length, "change")} inside the declared allow-destroy ${intendedAddresses.length === 1 ? "passes" : "pass"}: ${named(intendedAddresses)}`);
    if (status === "pass" && counted.length === 0) message = `only declared destroys match (${named(intendedAddresses)})`;
  }
  if (waived.length > 0 && status !== "waived") notes.push(`waived: ${named(waivedAddresses)}`);

  return {
    rule: rule.name,
    severity: rule.severity,
    status,
    description: rule.description,
    message,
    matched: countedAddresses,
    waived: waived.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    allowedByIntent: intendedAddresses,
    limit: shown.limit,
    allowed: shown.allowed,
    measured: shown.measured,
    allowedText: LIMITS_BY_KEY.get(shown.limit)!.format(shown.allowed),
    measuredText: LIMITS_BY_KEY.get(shown.limit)!.format(shown.measured),
    limits,
    notes,
    source: { file: rule.origin.file, ...(rule.origin.line !== undefined ? { line: rule.origin.line } : {}), builtin: rule.origin.builtin },
  };
}

function brokenRule(rule: { name: string; description: string; origin?: Rule["origin"] }, e: unknown): RuleResult {
  const err = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    rule: rule.name,
    severity: "fail",
    status: "fail",
    description: rule.description,
    message: `the rule could not be evaluated (${err}), so the gate fails rather than pass unchecked`,
    matched: [],
    waived: [],
    allowedByIntent: [],
    limit: "",
    allowed: 0,
    measured: 0,
    allowedText: "",
    measuredText: "",
    limits: [],
    notes: ["this is a blastgate bug or a broken analysis: run with --debug and report it"],
    source: { file: rule.origin?.file ?? "<internal>", ...(rule.origin?.line !== undefined ? { line: rule.origin.line } : {}), builtin: rule.origin?.builtin ?? true },
  };
}

function intentResult(decls: readonly IntentDeclaration[], s: Shared): { result: RuleResult; inside: string[]; outside: string[] } {
  const destroyed = s.subjects(DESTROYS);
  const inside = sortUnique(destroyed.filter((x) => anyAddressMatch(s.intentPatterns, x.change.address) !== undefined).map((x) => x.change.address));
  const insideSet = new Set(inside);
  const outside = sortUnique(destroyed.map((x) => x.change.address).filter((a) => !insideSet.has(a)));
  const notes: string[] = [];
  for (const p of s.intentPatterns) {
    if (!s.subjects(DESTRUCTIVE).some((x) => anyAddressMatch([p], x.change.address) !== undefined)) notes.push(`allow-destroy pattern "${p}" matches nothing this plan destroys`);
  }
  const sources = decls.map((d) => d.source).join(", ");
  const result: RuleResult = {
    rule: INTENT_RULE,
    severity: "fail",
    status: outside.length > 0 ? "fail" : "pass",
    description: "The change declared what it means to destroy (allow-destroy); destroys inside the declaration pass, destroys outside it fail.",
    message:
      outside.length > 0
        ? `${plural(outside.length, "destroy", "destroys")} outside the declared allow-destroy (${s.intentPatterns.join(", ")}): ${named(outside)}`
        : inside.length > 0
          ? `all ${plural(inside.length, "destroy", "destroys")} ${inside.length === 1 ? "is" : "are"} inside the declared allow-destroy`
          : "nothing is destroyed",
    matched: outside,
    waived: [],
    allowedByIntent: inside,
    limit: "max_changes",
    allowed: 0,
    measured: outside.length,
    allowedText: "0",
    measuredText: String(outside.length),
    limits: [{ limit: "max_changes", allowed: 0, measured: outside.length, exceeded: outside.length > 0 }],
    notes,
    source: { file: sources, builtin: false },
  };
  return { result, inside, outside };
}

function statusOf(results: readonly RuleResult[]): PolicyVerdict["status"] {
  if (results.some((r) => r.status === "fail")) return "fail";
  if (results.some((r) => r.status === "warn")) return "warn";
  return "pass";
}

/**
 * Evaluates every rule against the plan. The declared intent is the context's declarations (file, commit trailers,
 * CLI) plus the policies' `allow_destroy`. Never throws and never fails open: a rule that throws becomes a failed
 * result, and any other error gives a failed verdict.
 */
export function evaluatePolicies(input: EvaluateInput): PolicyVerdict {
  const { plan, analysis, policies, context, now } = input;
  let fp = "sha256:unknown";
  try {
    fp = fingerprint(plan);
    // By address, and deposed objects apart: no key string is built per change (a deposed key "" is the current row).
    const findings = new Map<string, DestructiveFinding>();
    const deposedFindings = new Map<string, Map<string, DestructiveFinding>>();
    for (const f of analysis.destructive) {
      if (f.deposed) entryOf(deposedFindings, f.address, () => new Map<string, DestructiveFinding>()).set(f.deposed, f);
      else findings.set(f.address, f);
    }
    // Subjects are made when a rule asks for their kinds, one per change shared by every rule, and each list of
    // kinds once: at 580k changes, a subject per change and a pass over all of them per rule cost ~0.5 s.
    const made: (Subject | undefined)[] = [];
    const subjectAt = (i: number): Subject => {
      let sub = made[i];
      if (sub === undefined) {
        const change = plan.changes[i]!;
        const finding = change.deposed ? deposedFindings.get(change.address)?.get(change.deposed) : findings.get(change.address);
        made[i] = sub = finding ? { change, finding } : { change };
      }
      return sub;
    };
    const lists = new Map<string, Subject[]>();
    const subjects = (kinds: readonly ChangeKind[] | undefined): Subject[] => {
      const key = kinds === undefined ? "*" : [...kinds].sort().join(",");
      let list = lists.get(key);
      if (list === undefined) {
        const accepted = kinds === undefined ? undefined : new Set(kinds);
        list = [];
        for (let i = 0; i < plan.changes.length; i++) if (accepted === undefined || accepted.has(plan.changes[i]!.kind)) list.push(subjectAt(i));
        lists.set(key, list);
      }
      return list;
    };
    const decls = [...policies.allowDestroy, ...context.intent].filter((d) => d.patterns.length > 0);
    const intentPatterns = [...new Set(decls.flatMap((d) => d.patterns))];

    const approvalProblems: string[] = [];
    let approval: ApprovalRecord | undefined;
    for (const cand of context.approvals) {
      if (cand.problem !== undefined || cand.record === undefined) {
        approvalProblems.push(`approval ${cand.file} rejected: ${cand.problem ?? "unreadable"}`);
        continue;
      }
      const check = verifyApproval(cand.record, fp, context.approvalKey);
      if (check.ok) approval ??= check.record;
      else approvalProblems.push(`approval ${cand.file} rejected: ${check.problem}`);
    }

    const shared: Shared = { plan, analysis, context, now, subjects, intentPatterns, approvalProblems, fingerprint: fp, ...(approval ? { approval } : {}) };
    const results: RuleResult[] = policies.rules.map((rule) => {
      try {
        return evaluateRule(rule, shared);
      } catch (e) {
        return brokenRule(rule, e);
      }
    });

    const notes: string[] = [...context.notes];
    if (context.aiAssisted) notes.push(`the change is marked AI-assisted (${context.aiEvidence.join("; ")})`);
    let allowedByIntent: string[] = [];
    let outsideIntent: string[] = [];
    if (decls.length > 0) {
      const intent = intentResult(decls, shared);
      results.push(intent.result);
      allowedByIntent = intent.inside;
      outsideIntent = intent.outside;
      notes.push(`declared allow-destroy: ${decls.map((d) => `${d.patterns.join(", ")} (from ${d.source})`).join("; ")}`);
    }
    if (approval) notes.push(`approval found for this plan: ${approval.approved_by}, ${approval.approved_at.slice(0, 10)} ("${approval.reason}")`);
    else if (approvalProblems.length > 0 && !policies.rules.some((r) => r.requireApproval)) notes.push(...approvalProblems);
    return { status: statusOf(results), results, allowedByIntent, outsideIntent, fingerprint: fp, notes };
  } catch (e) {
    return {
      status: "fail",
      results: [brokenRule({ name: "policy-evaluation", description: "Evaluating the policies as a whole." }, e)],
      allowedByIntent: [],
      outsideIntent: [],
      fingerprint: fp,
      notes: [],
    };
  }
}

/** The exit code of a verdict: 1 when it fails (or warns, with failOn "warn"), else 0. */
export function exitCodeFor(verdict: PolicyVerdict, failOn: "fail" | "warn" = "fail"): 0 | 1 {
  if (verdict.status === "fail") return 1;
  if (verdict.status === "warn" && failOn === "warn") return 1;
  return 0;
}

/** One sentence per result that is not a plain pass (`rule "x" failed: ...`), for a report's reasons list. */
export function verdictReasons(verdict: PolicyVerdict): string[] {
  const verb: Record<RuleResult["status"], string> = { fail: "failed", warn: "warns", waived: "is waived", approved: "is approved", pass: "passed" };
  return verdict.results.filter((r) => r.status !== "pass").map((r) => `rule "${r.rule}" ${verb[r.status]}: ${r.message}`);
}
