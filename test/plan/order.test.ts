// The plan's changes in address order (plan/order.ts): the order the report lists them in and the fingerprint digests
// them in, sorted once for a plan the reader built and every time for changes assembled by hand.

import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../../src/plan/model.js";
import { changesByAddress } from "../../src/plan/order.js";
import { loadPlan } from "../../src/plan/read.js";
import { buildReport } from "../../src/report/document.js";
import { analyse } from "../../src/analysis/index.js";
import { EXAMPLES } from "../helpers/paths.js";

/** A row with only what the order reads, plus its place in the plan to tell ties apart. */
function row(address: string, deposed: string | undefined, place: number): ResourceChange {
  return { address, deposed, place } as unknown as ResourceChange;
}

describe("changes in address order", () => {
  it("sorts by address, then deposed key (the current object first), and keeps plan order for rows equal in both", () => {
    const rowArb = fc.tuple(fc.constantFrom("a", "a[0]", "a[10]", "a[9]", "b", "module.m.a", 'a["x"]'), fc.option(fc.constantFrom("00000001", "9cf27a1a", ""), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), (rows) => {
        const changes = rows.map(([a, d], i) => row(a, d, i));
        const got = changesByAddress({ changes }).map((c) => (c as unknown as { place: number }).place);
        // The reference: a plain comparison of [address, deposed or "", place], written without the module's comparator.
        const want = changes
          .map((c, i) => [c.address, c.deposed ?? "", i] as const)
          .sort((x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : x[2] - y[2]))
          .map((x) => x[2]);
        expect(got).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it("a deposed object is listed after the current object of its address, in the report as in the order", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "graph-deposed", "plan.json"));
    const report = buildReport(plan, analyse(plan), "test");
    expect(report.changes.map((c) => [c.address, c.deposed ?? null, c.actions.join(",")])).toEqual([
      ["terraform_data.base", null, "no-op"],
      ["terraform_data.client[0]", null, "update"],
      ["terraform_data.client[1]", null, "update"],
      ["terraform_data.server", null, "create,delete"],
      ["terraform_data.server", "9cf27a1a", "delete"],
    ]);
  });

  it("sorts a loaded plan once and shares it; changes assembled by hand are sorted afresh on every call", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "incident", "plan.json"));
    const first = changesByAddress(plan);
    expect(changesByAddress(plan)).toBe(first);
    expect(first.map((c) => c.address)).toEqual(plan.changes.map((c) => c.address).sort());

    const byHand = plan.changes.map((c) => ({ ...c }));
    const before = changesByAddress({ changes: byHand }).map((c) => c.address);
    expect(before).toEqual(first.map((c) => c.address));
    byHand[0]!.address = "zzz.last";
    expect(changesByAddress({ changes: byHand }).at(-1)!.address).toBe("zzz.last");
  });
});
