// Plan-level findings: the incident pattern (environment-wide destruction) and the failure patterns of automated
// and AI-assisted changes, each a named finding with a plain message and, where there is one, what to do instead.

import { entryOf } from "../lists.js";
import { destroysObject, isReplace } from "../plan/actions.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import type { Finding, RootCause } from "./types.js";

/** A plan that deletes or replaces at least this share of the managed resources is environment-wide. */
export const ENVIRONMENT_WIDE_SHARE = 0.5;
/** ...provided the environment has at least this many managed resources (a 2-resource toy is not an estate). */
export const ENVIRONMENT_WIDE_MIN = 10;
/** A plan that creates at least this many resources while the prior state is empty suggests missing state. */
export const MISSING_STATE_MIN_CREATES = 10;

export interface FindingInput {
  plan: Plan;
  destroyed: readonly ResourceChange[];
  managedCount: number;
  destroyedShare: number;
  rootCauses: readonly RootCause[];
  /** config address -> prevent_destroy, from --tf-dir sources. */
  preventDestroy: (configAddress: string) => boolean | undefined;
  /** Largest blast radius (address, total) of a destroyed resource. */
  largestRadius?: { address: string; total: number };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

export function detectFindings(input: FindingInput): Finding[] {
  const { plan, destroyed, managedCount, destroyedShare, rootCauses } = input;
  const out: Finding[] = [];
  const managedDestroyed = destroyed.filter((c) => c.mode === "managed" && c.deposed === undefined && (destroysObject(c.kind) || c.kind === "unknown"));
  const replaced = managedDestroyed.filter((c) => isReplace(c.kind));
  const verb = replaced.length === managedDestroyed.length ? "recreates" : replaced.length === 0 ? "destroys" : "destroys or recreates";
  const topCause = rootCauses[0];

  // The incident: a large share of the estate, every resource of a module, or one root whose radius covers most.
  const radiusShare = input.largestRadius && managedCount > 0 ? (input.largestRadius.total + 1) / managedCount : 0;
  if (managedCount >= ENVIRONMENT_WIDE_MIN && (destroyedShare >= ENVIRONMENT_WIDE_SHARE || radiusShare >= ENVIRONMENT_WIDE_SHARE)) {
    const because = !topCause ? "" : rootCauses.length === 1 ? `: ${topCause.summary}` : `: ${rootCauses.length} root causes, the largest: ${topCause.summary}`;
    out.push({
      id: "environment-wide",
      severity: "critical",
      message:
        destroyedShare >= ENVIRONMENT_WIDE_SHARE
          ? `this plan ${verb} ${pct(destroyedShare)} of the environment (${managedDestroyed.length} of ${managedCount} managed resources)${because}`
          : `destroying ${input.largestRadius!.address} takes down ${pct(radiusShare)} of the environment (${input.largestRadius!.total} resources depend on it)${because}`,
      addresses: sortedUnique(managedDestroyed.map((c) => c.address)),
      suggestion: "do not apply: find the one input that triggers the cascade (see root causes) and change it in a way the provider can update in place, or split the change",
    });
  }
  // Whole-module destruction is named on its own only when the environment-wide finding does not already cover it.
  for (const m of out.some((f) => f.id === "environment-wide") ? [] : modulesFullyDestroyed(plan, managedDestroyed)) {
    out.push({
      id: "module-destroyed",
      severity: "high",
      message: `every resource of ${m.module} (${m.count}) is deleted or replaced`,
      addresses: m.addresses,
    });
  }

  // Checked first: the list of rows is made only when the plan is in destroy mode.
  let acting = false;
  let destroyMode = true;
  for (const c of plan.changes) {
    if (c.kind === "no-op" || c.kind === "read") continue;
    acting = true;
    if (c.kind !== "delete" || c.actionReason !== undefined) {
      destroyMode = false;
      break;
    }
  }
  if (acting && destroyMode) {
    const allDeletes = plan.changes.filter((c) => c.kind !== "no-op" && c.kind !== "read");
    out.push({
      id: "destroy-mode",
      severity: "critical",
      message: `this plan was made in destroy mode: it deletes all ${allDeletes.length} resources and creates nothing`,
      addresses: sortedUnique(allDeletes.map((c) => c.address)),
      suggestion: "destroy mode tears the environment down; if that is not the intent, plan without -destroy",
    });
  }

  let creates = 0;
  let managedActing = 0;
  for (const c of plan.changes) {
    if (c.mode !== "managed" || c.kind === "no-op") continue;
    managedActing++;
    if (c.kind === "create") creates++;
  }
  if (creates >= MISSING_STATE_MIN_CREATES && creates === managedActing && !(plan.priorState ?? []).some((r) => r.mode === "managed")) {
    out.push({
      id: "missing-state",
      severity: "high",
      message: `the prior state is empty while the plan creates ${creates} resources: the state may be missing (wrong backend, workspace or credentials), and applying would create a duplicate environment`,
      addresses: [],
      suggestion: "check the backend, workspace and credentials before applying; a first deployment is fine to approve",
    });
  }

  // Grouped in one pass: filtering the rows once per module was quadratic (8,000 rows in 4,000 modules: seconds).
  const noModule = new Map<string, string[]>();
  for (const c of destroyed) if (c.actionReason === "delete_because_no_module") entryOf(noModule, c.moduleAddress, () => []).push(c.address);
  for (const mod of [...noModule.keys()].sort()) {
    const addrs = noModule.get(mod)!;
    out.push({
      id: "module-removed",
      severity: "high",
      message: `module instance ${mod} was removed from the configuration: its ${addrs.length} resource${addrs.length === 1 ? " is" : "s are"} deleted`,
      addresses: sortedUnique(addrs),
      suggestion: "if the module was renamed or moved, add a `moved { from = ..., to = ... }` block instead of deleting it",
    });
  }

  out.push(...renames(plan, destroyed));

  if (plan.errored === true || plan.complete === false) {
    out.push({
      id: "incomplete-plan",
      severity: "high",
      message: plan.errored === true ? "Terraform reported errors while planning: this plan is partial" : "the plan is incomplete (complete: false): more changes may follow",
      addresses: [],
      suggestion: "fix the planning errors (or drop -target) and plan again; never apply a partial plan as if it were the whole change",
    });
  }

  const destroyedSet = new Set(destroyed.map((c) => c.address));
  const drifted = plan.drift.filter((d) => destroyedSet.has(d.address));
  if (drifted.length > 0) {
    out.push({
      id: "drift-on-destroyed",
      severity: "medium",
      message: `${drifted.length} resource${drifted.length === 1 ? " that this plan destroys has" : "s that this plan destroys have"} drifted outside Terraform since the last apply: someone may depend on the live state`,
      addresses: sortedUnique(drifted.map((d) => d.address)),
    });
  }

  const protectedDestroyed = destroyed.filter((c) => destroysObject(c.kind) && input.preventDestroy(c.configAddress) === true);
  if (protectedDestroyed.length > 0) {
    out.push({
      id: "prevent-destroy",
      severity: "critical",
      message: `${protectedDestroyed.length} resource${protectedDestroyed.length === 1 ? " marked" : "s marked"} lifecycle { prevent_destroy = true } would be destroyed`,
      addresses: sortedUnique(protectedDestroyed.map((c) => c.address)),
      suggestion: "do not apply: prevent_destroy marks resources the team decided must never be destroyed",
    });
  }
  return out;
}

function modulesFullyDestroyed(plan: Plan, destroyed: readonly ResourceChange[]): { module: string; count: number; addresses: string[] }[] {
  const hit = new Map<string, { addrs: string[]; total: number; stillConfigured: boolean }>();
  for (const c of destroyed) {
    if (c.moduleAddress === "") continue;
    let h = hit.get(c.moduleAddress);
    if (!h) hit.set(c.moduleAddress, (h = { addrs: [], total: 0, stillConfigured: false }));
    h.addrs.push(c.address);
  }
  // One pass over the rows, for the modules with a destroyed row only: their managed rows, and whether one of their
  // rows is not deleted for a removed module.
  if (hit.size > 0) {
    for (const c of plan.changes) {
      const h = hit.get(c.moduleAddress);
      if (!h) continue;
      if (c.mode === "managed" && c.deposed === undefined) h.total++;
      if (c.actionReason !== "delete_because_no_module") h.stillConfigured = true;
    }
  }
  const out: { module: string; count: number; addresses: string[] }[] = [];
  for (const [m, h] of hit) {
    const n = h.total;
    if (n >= 2 && h.addrs.length >= n && h.stillConfigured) out.push({ module: m, count: n, addresses: sortedUnique(h.addrs) });
  }
  return out.sort((a, b) => a.module.localeCompare(b.module));
}

/** Most (delete, key list) lookups rename detection makes: a hostile plan could give every create its own key list. */
const MAX_RENAME_LOOKUPS = 1_000_000;

/** Creates of one type and provider that know the same attributes, by the JSON of those attributes' values. */
interface CreateGroup {
  keys: string[];
  /** Signature -> indexes into `creates` in plan order, and how many at the front are known to be used. */
  bySignature: Map<string, { list: number[]; next: number }>;
}

/** Creates and deletes are compared within one resource type of one provider. */
const typeKey = (c: ResourceChange): string => `${c.type}\u0000${c.provider}`;

/**
 * A delete and a create of the same type whose known values match: a rename without a `moved` block. Creates are
 * indexed by the values they know, so each delete looks its match up instead of comparing with every create
 * (8,000 deletes and 4,000 creates of one type took 38 s pairwise). The match is the one a pairwise scan would find:
 * the first unused create, in plan order, whose known values the delete's prior values equal.
 */
function renames(plan: Plan, destroyed: readonly ResourceChange[]): Finding[] {
  const deletes = destroyed.filter((c) => c.kind === "delete" && c.deposed === undefined && c.values);
  if (deletes.length === 0) return [];
  const creates = plan.changes.filter((c) => c.kind === "create" && c.values);
  const groups = new Map<string, Map<string, CreateGroup>>();
  creates.forEach((c, i) => {
    const known = knownAfter(c);
    if (!known) return;
    const byType = entryOf(groups, typeKey(c), () => new Map<string, CreateGroup>());
    const g = entryOf(byType, JSON.stringify(known.keys), () => ({ keys: known.keys, bySignature: new Map() }));
    entryOf(g.bySignature, known.signature, () => ({ list: [], next: 0 })).list.push(i);
  });
  const out: Finding[] = [];
  const used = new Set<string>();
  let lookups = 0;
  for (const d of deletes) {
    const byType = groups.get(typeKey(d));
    if (!byType) continue;
    let best: number | undefined;
    for (const g of byType.values()) {
      if (lookups++ >= MAX_RENAME_LOOKUPS) break;
      const sig = beforeSignature(d, g.keys);
      const slot = sig === undefined ? undefined : g.bySignature.get(sig);
      if (!slot) continue;
      while (slot.next < slot.list.length && used.has(creates[slot.list[slot.next]!]!.address)) slot.next++;
      const i = slot.list[slot.next];
      if (i !== undefined && (best === undefined || i < best)) best = i;
    }
    if (best === undefined) continue;
    const c = creates[best]!;
    used.add(c.address);
    out.push({
      id: "rename-without-moved",
      severity: "high",
      message: `${d.address} is deleted and ${c.address} created with the same configuration: this looks like a rename, which destroys the object`,
      addresses: [d.address, c.address],
      suggestion: `add a moved block instead: moved { from = ${d.configAddress} to = ${c.configAddress} }`,
    });
  }
  return out;
}

/**
 * The create's known, non-sensitive top-level values: their keys (sorted) and the JSON of the values in that order.
 * Undefined when none of them is a non-empty value (nothing to recognise a rename by).
 */
function knownAfter(create: ResourceChange): { keys: string[]; signature: string } | undefined {
  const keys: string[] = [];
  const values: unknown[] = [];
  let compared = 0;
  for (const k of create.values!.knownKeys()) {
    const a = create.values!.after([k]);
    if (a.state !== "value") continue;
    keys.push(k);
    values.push(a.value);
    if (a.value !== null && a.value !== "" && !(typeof a.value === "object" && Object.keys(a.value as object).length === 0)) compared++;
  }
  return compared > 0 ? { keys, signature: JSON.stringify(values) } : undefined;
}

/** The JSON of the delete's prior values at `keys`, in order; undefined when one of them is sensitive, unknown or absent. */
function beforeSignature(del: ResourceChange, keys: readonly string[]): string | undefined {
  const values: unknown[] = [];
  for (const k of keys) {
    const b = del.values!.before([k]);
    if (b.state !== "value") return undefined;
    values.push(b.value);
  }
  return JSON.stringify(values);
}
