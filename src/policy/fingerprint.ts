// A stable digest of what a plan does (its resource changes), so an approval binds to one exact plan. Pure.

import { createHash } from "node:crypto";
import { isDestructive } from "../plan/actions.js";
import { isReaderBuilt } from "../plan/build.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import { changesByAddress } from "../plan/order.js";

/** Bumped when the digested fields change (an old approval then no longer matches, which is the safe direction). */
export const FINGERPRINT_VERSION = 1;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `sha256:<hex>` over the plan's resource changes, sorted by address and deposed key: address, deposed key, mode,
 * actions (in order: it tells the replace order), action_reason, replace_paths, import and move markers, the names of
 * changed and unknown-after attributes, and for destructive changes a digest of the planned object (sensitive leaves
 * masked, see SensitiveValues.digest), plus whether the plan is complete and errored. Left out as run noise:
 * `timestamp`, the Terraform version, no-op rows, data source reads, prior (refreshed) values, and row order.
 */
export function fingerprint(plan: Plan): string {
  // A plan the reader built is deeply frozen, so its fingerprint cannot change: approvals and the evaluation share
  // one. A plan assembled by hand is hashed every time, even when it is (perhaps only shallowly) frozen.
  const frozen = Object.isFrozen(plan) && isReaderBuilt(plan.changes);
  const known = frozen ? computed.get(plan) : undefined;
  if (known !== undefined) return known;
  const fp = compute(plan);
  if (frozen) computed.set(plan, fp);
  return fp;
}

const computed = new WeakMap<Plan, string>();

function compute(plan: Plan): string {
  const changes = changesByAddress(plan).filter((c) => c.kind !== "no-op" && c.kind !== "read");
  // The digest of the JSON text of {v, complete, errored, changes: rows}, hashed in pieces of ROWS_PER_PIECE rows:
  // the same bytes as stringifying the whole document (the row objects live only while their piece is written, and
  // no string of the whole document is made: at 580k changes it was ~45 MB, hashed at ~15 ns a character).
  const hash = createHash("sha256");
  hash.update(`{"v":${FINGERPRINT_VERSION},"complete":${JSON.stringify(plan.complete ?? null)},"errored":${JSON.stringify(plan.errored ?? null)},"changes":[`);
  for (let i = 0; i < changes.length; i += ROWS_PER_PIECE) {
    const piece = JSON.stringify(changes.slice(i, i + ROWS_PER_PIECE).map(rowOf));
    if (i > 0) hash.update(",");
    hash.update(piece.slice(1, -1));
  }
  hash.update("]}");
  return "sha256:" + hash.digest("hex");
}

const ROWS_PER_PIECE = 1024;

function rowOf(c: ResourceChange): object {
  return {
    address: c.address,
    deposed: c.deposed ?? null,
    mode: c.mode,
    actions: c.actions,
    reason: c.actionReason ?? null,
    replace_paths: c.replacePaths,
    importing: c.importing,
    previous_address: c.previousAddress ?? null,
    changed: sorted(c.changedAttributes),
    unknown: sorted(c.unknownAfter),
    planned: c.values !== undefined && (isDestructive(c.kind) || c.kind === "unknown") ? c.values.digest() : null,
  };
}

/** The list itself when it is already in order (most are, and most are empty), else a sorted copy. */
function sorted(list: readonly string[]): readonly string[] {
  for (let i = 1; i < list.length; i++) if (cmp(list[i - 1]!, list[i]!) > 0) return [...list].sort(cmp);
  return list;
}

/** The hex part of a fingerprint (approval files are named by it). */
export function fingerprintHex(fp: string): string {
  return fp.replace(/^sha256:/, "");
}

/** A short form for messages: `sha256:1a2b3c4d5e6f`. */
export function shortFingerprint(fp: string): string {
  return fp.slice(0, "sha256:".length + 12);
}
