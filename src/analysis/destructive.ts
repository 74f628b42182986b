// Destructive changes: every delete, replace (either order), forget and deposed-object delete, with its reason.

import { isDestructive, type ChangeKind } from "../plan/actions.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { explainReason, renderPath } from "./reasons.js";

export interface DestructiveChange {
  address: string;
  kind: ChangeKind;
  actions: readonly string[];
  deposed?: string;
  actionReason?: string;
  /** Plain-English explanation of the reason (or of the action when Terraform gives no reason). */
  explanation: string;
  /** Attribute paths forcing replacement, rendered (`tags["Name"]`). */
  replacePaths: readonly string[];
  change: ResourceChange;
}

const KIND_TEXT: Partial<Record<ChangeKind, string>> = {
  delete: "the object will be destroyed",
  "replace-delete-first": "the object is destroyed first and then created again: there is downtime in between",
  "replace-create-first": "a new object is created first and the old one destroyed after (create_before_destroy)",
  forget: "the object leaves Terraform's management but is not destroyed",
  "forget-replace": "the old object leaves management (not destroyed) and a new one is created",
  unknown: "Terraform planned actions blastgate does not recognise; treated as destructive",
};

export function describeDestructive(rc: ResourceChange): DestructiveChange {
  let explanation =
    explainReason(rc.actionReason) ??
    (rc.deposed !== undefined ? "a deposed object (left over from a failed create_before_destroy replacement) is destroyed" : (KIND_TEXT[rc.kind] ?? rc.kind));
  // Terraform reuses delete reasons for forget; say plainly that nothing is destroyed.
  if ((rc.kind === "forget" || rc.kind === "forget-replace") && rc.actionReason !== undefined && !rc.actionReason.startsWith("forgot_")) {
    explanation += "; the object is not destroyed, it only leaves Terraform's management (a `removed` block with `destroy = false`)";
  }
  const d: DestructiveChange = {
    address: rc.address,
    kind: rc.kind,
    actions: rc.actions,
    explanation,
    replacePaths: rc.replacePaths.map(renderPath),
    change: rc,
  };
  if (rc.deposed !== undefined) d.deposed = rc.deposed;
  if (rc.actionReason !== undefined) d.actionReason = rc.actionReason;
  return d;
}

/** The plan's destructive changes, sorted by address (deposed rows after their current object). */
export function destructiveChanges(plan: Plan): DestructiveChange[] {
  return plan.changes
    .filter((c) => isDestructive(c.kind) || c.kind === "unknown")
    .map(describeDestructive)
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : (a.deposed ?? "").localeCompare(b.deposed ?? "")));
}
