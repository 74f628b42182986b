// Approval records: a sign-off bound to one plan fingerprint, with an integrity field that detects edits. Pure.

import { createHmac, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "../sha256.js";
import { destroysObject, isDestructive } from "../plan/actions.js";
import type { Plan } from "../plan/model.js";
import { fingerprint, fingerprintHex, shortFingerprint } from "./fingerprint.js";

export const APPROVAL_KIND = "blastgate-approval";
export const APPROVAL_VERSION = 1;
/** Most destructive addresses listed in a record (the count is always exact). */
export const MAX_LISTED = 500;

export interface ApprovalRecord {
  kind: typeof APPROVAL_KIND;
  version: typeof APPROVAL_VERSION;
  /** The plan fingerprint approved (`sha256:...`). */
  fingerprint: string;
  approved_by: string;
  reason: string;
  /** ISO 8601, UTC. */
  approved_at: string;
  /** What the approver saw, so the record reads on its own in a review. */
  plan: { changes: number; destructive: number; destroyed: number; addresses: string[]; addresses_omitted: number };
  /** `sha256:<hex>` of the other fields (canonical JSON), or `hmac-sha256:<hex>` when signed with a key. */
  integrity: string;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

function integrityOf(fields: Omit<ApprovalRecord, "integrity">, key: string | undefined): string {
  const text = canonicalJson(fields);
  return key !== undefined && key !== ""
    ? "hmac-sha256:" + createHmac("sha256", key).update(text).digest("hex")
    : "sha256:" + sha256Hex(text);
}

/** The file an approval of this fingerprint is stored in. */
export function approvalFileName(fp: string): string {
  return `${fingerprintHex(fp)}.json`;
}

/** Builds an approval record for a plan. `key` signs it with HMAC-SHA256 (see docs/policy.md#approvals). */
export function createApproval(plan: Plan, opts: { by: string; reason: string; now: Date; key?: string }): ApprovalRecord {
  const destructive = plan.changes.filter((c) => isDestructive(c.kind) || c.kind === "unknown");
  const addresses = [...new Set(destructive.map((c) => c.address))].sort();
  const fields: Omit<ApprovalRecord, "integrity"> = {
    kind: APPROVAL_KIND,
    version: APPROVAL_VERSION,
    fingerprint: fingerprint(plan),
    approved_by: opts.by,
    reason: opts.reason,
    approved_at: opts.now.toISOString(),
    plan: {
      changes: plan.changes.filter((c) => c.kind !== "no-op" && c.kind !== "read").length,
      destructive: destructive.length,
      destroyed: destructive.filter((c) => destroysObject(c.kind)).length,
      addresses: addresses.slice(0, MAX_LISTED),
      addresses_omitted: Math.max(0, addresses.length - MAX_LISTED),
    },
  };
  return { ...fields, integrity: integrityOf(fields, opts.key) };
}

export type ApprovalCheck = { ok: true; record: ApprovalRecord } | { ok: false; problem: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies a parsed approval record against a plan fingerprint: shape, integrity (edits after writing), then that it
 * approves this exact plan. With `key`, only records signed with that key are accepted.
 */
export function verifyApproval(candidate: unknown, fp: string, key?: string): ApprovalCheck {
  if (candidate === null || typeof candidate !== "object" || Array.isArray(candidate)) return { ok: false, problem: "not an approval record (not a JSON object)" };
  const r = candidate as Record<string, unknown>;
  if (r.kind !== APPROVAL_KIND) return { ok: false, problem: `not an approval record (kind is not "${APPROVAL_KIND}")` };
  if (r.version !== APPROVAL_VERSION) return { ok: false, problem: `approval record version ${String(r.version)} is not supported (expected ${APPROVAL_VERSION})` };
  for (const f of ["fingerprint", "approved_by", "reason", "approved_at", "integrity"] as const) {
    if (typeof r[f] !== "string" || r[f] === "") return { ok: false, problem: `approval record is missing \`${f}\`` };
  }
  const p = r.plan as Record<string, unknown> | undefined;
  if (p === null || typeof p !== "object" || !Array.isArray(p.addresses)) return { ok: false, problem: "approval record is missing `plan`" };
  const integrity = r.integrity as string;
  const { integrity: _drop, ...fields } = r;
  const signed = integrity.startsWith("hmac-sha256:");
  const hasKey = key !== undefined && key !== "";
  if (signed && !hasKey) return { ok: false, problem: "approval record is signed with a key, but no approval key is configured to verify it (set BLASTGATE_APPROVAL_KEY)" };
  if (!signed && hasKey) return { ok: false, problem: "approval record is not signed, but an approval key is configured: only signed records are accepted" };
  if (!signed && !integrity.startsWith("sha256:")) return { ok: false, problem: "approval record has an unknown integrity format" };
  if (!safeEqual(integrityOf(fields as Omit<ApprovalRecord, "integrity">, key), integrity)) {
    return { ok: false, problem: "approval record failed its integrity check: it was edited after it was written (tampered)" };
  }
  if (r.fingerprint !== fp) {
    return { ok: false, problem: `approval record is for another plan (${shortFingerprint(r.fingerprint as string)}), not this one (${shortFingerprint(fp)})` };
  }
  return { ok: true, record: r as unknown as ApprovalRecord };
}
