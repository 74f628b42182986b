// The plan's changes in address order: the order the report lists them in and the fingerprint digests them in. Pure.

import { isReaderBuilt } from "./build.js";
import type { Plan, ResourceChange } from "./model.js";

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Address, then deposed key (the current object, with none, first); rows equal in both keep their plan order. */
function byAddressThenDeposed(a: ResourceChange, b: ResourceChange): number {
  return cmp(a.address, b.address) || cmp(a.deposed ?? "", b.deposed ?? "");
}

const sortedOf = new WeakMap<object, readonly ResourceChange[]>();

/**
 * The plan's changes sorted by address and deposed key. Sorted once for the changes of a plan the reader built
 * (deeply frozen): the policy stage's fingerprint and the report share it, which at 580k changes saves a sort of
 * 0.2-0.25 s. Changes assembled by hand are sorted on every call, so a later edit to them is never hidden.
 */
export function changesByAddress(plan: Pick<Plan, "changes">): readonly ResourceChange[] {
  const frozen = isReaderBuilt(plan.changes);
  const known = frozen ? sortedOf.get(plan.changes) : undefined;
  if (known !== undefined) return known;
  const sorted = Object.freeze([...plan.changes].sort(byAddressThenDeposed));
  if (frozen) sortedOf.set(plan.changes, sorted);
  return sorted;
}
