// The fingerprint is hashed in pieces of rows; its value must stay exactly the digest of the whole document as the
// first version wrote it (JSON.stringify of {v, complete, errored, changes} in one string): approvals bind to it.

import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDestructive } from "../../src/plan/actions.js";
import type { Plan, ResourceChange } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { fingerprint, FINGERPRINT_VERSION } from "../../src/policy/fingerprint.js";
import { EXAMPLES } from "../helpers/paths.js";

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The fingerprint as version 1 first computed it: one document, one string, one digest. */
function reference(plan: Plan): string {
  const rows = plan.changes
    .filter((c) => c.kind !== "no-op" && c.kind !== "read")
    .map((c) => ({
      address: c.address,
      deposed: c.deposed ?? null,
      mode: c.mode,
      actions: c.actions,
      reason: c.actionReason ?? null,
      replace_paths: c.replacePaths,
      importing: c.importing,
      previous_address: c.previousAddress ?? null,
      changed: [...c.changedAttributes].sort(cmp),
      unknown: [...c.unknownAfter].sort(cmp),
      planned: c.values !== undefined && (isDestructive(c.kind) || c.kind === "unknown") ? c.values.digest() : null,
    }))
    .sort((a, b) => cmp(a.address, b.address) || cmp(a.deposed ?? "", b.deposed ?? ""));
  const doc = JSON.stringify({ v: FINGERPRINT_VERSION, complete: plan.complete ?? null, errored: plan.errored ?? null, changes: rows });
  return "sha256:" + createHash("sha256").update(doc, "utf8").digest("hex");
}

const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => path.join(EXAMPLES, d.name, "plan.json"));

describe("fingerprint in pieces", () => {
  it.each(examples.map((f) => [path.relative(EXAMPLES, f), f]))("%s: equals the one-document digest", async (_n, file) => {
    const plan = await loadPlan(file);
    expect(fingerprint(plan)).toBe(reference(plan));
  });

  it("equals the one-document digest across pieces, in any row order, with unsorted lists (property)", async () => {
    const plans = await Promise.all(examples.map((f) => loadPlan(f)));
    const pool = plans.flatMap((p) => p.changes);
    const rowArb = fc.record({
      from: fc.nat({ max: pool.length - 1 }),
      copy: fc.nat({ max: 400 }),
      reverseLists: fc.boolean(),
      suffix: fc.constantFrom("", "é", "\u2028", '"q"'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 0, maxLength: 2600, size: "max" }), fc.constantFrom(true, false, undefined), (picks, complete) => {
        const changes: ResourceChange[] = picks.map((p) => {
          const c = pool[p.from]!;
          const rev = <T>(xs: readonly T[]): readonly T[] => (p.reverseLists ? [...xs].reverse() : xs);
          return { ...c, address: `${c.address}${p.suffix}#${p.copy}`, changedAttributes: rev(c.changedAttributes), unknownAfter: rev(c.unknownAfter) } as ResourceChange;
        });
        const plan = { ...plans[0]!, changes, complete } as Plan;
        expect(fingerprint(plan)).toBe(reference(plan));
      }),
      // No shrinking: a counterexample of thousands of rows would take minutes to shrink.
      { numRuns: 40, endOnFailure: true },
    );
  });
});
