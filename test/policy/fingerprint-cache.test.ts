// The fingerprint is cached only for plans the reader built (deeply frozen). A plan a library caller assembles, even
// a frozen one, is hashed again each time, so changing one of its rows changes its fingerprint.

import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan, ResourceChange } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { fingerprint } from "../../src/policy/fingerprint.js";
import { EXAMPLES } from "../helpers/paths.js";

describe("fingerprint cache", () => {
  it("a loaded plan gives the same fingerprint every time, and the one a fresh hash of it gives", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "incident", "plan.json"));
    expect(fingerprint(plan)).toBe(fingerprint(plan));
    // An unfrozen copy is never served from the cache: hashed afresh, it must agree with the cached value.
    expect(fingerprint(plan)).toBe(fingerprint({ ...plan }));
    expect(fingerprint(plan)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("a frozen plan built by hand, whose rows are not frozen, is not served a stale fingerprint", async () => {
    const loaded = await loadPlan(path.join(EXAMPLES, "incident", "plan.json"));
    const rows: ResourceChange[] = loaded.changes.map((c) => ({ ...c, actions: [...c.actions] }));
    const byHand = Object.freeze({ ...loaded, changes: Object.freeze(rows) }) as Plan;
    const before = fingerprint(byHand);
    expect(before).toBe(fingerprint(loaded));
    // A two-action replace, so reversing its actions really changes the plan.
    const target = rows.find((c) => c.kind === "replace-delete-first" && c.actions.length === 2)!;
    (target.actions as string[]).reverse(); // delete,create -> create,delete: a different replace order
    expect(fingerprint(byHand)).not.toBe(before);
  });
});
