// Plan-level findings on the real example plans (no graph needed for these).

import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyse } from "../../src/analysis/index.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES } from "../helpers/paths.js";

const load = (name: string) => loadPlan(path.join(EXAMPLES, name, "plan.json"));
const ids = (a: ReturnType<typeof analyse>): string[] => a.findings.map((f) => f.id).sort();

describe("findings on the examples", () => {
  it("the incident is environment-wide and critical", async () => {
    const a = analyse(await load("incident"));
    expect(ids(a)).toContain("environment-wide");
    expect(a.destroyedShare).toBe(1);
    expect(a.managedCount).toBe(30);
    expect(a.severity).toBe("critical");
    expect(a.findings.find((f) => f.id === "environment-wide")!.message).toMatch(/^this plan recreates 100% of the environment \(30 of 30 managed resources\)/);
  });

  it("the safe example has no finding and scores 0", async () => {
    const a = analyse(await load("safe"));
    expect(a.findings).toEqual([]);
    expect(a.destructive).toEqual([]);
    expect(a.score).toBe(0);
    expect(a.severity).toBe("info");
  });

  it("destroy mode is named", async () => {
    expect(ids(analyse(await load("destroy-mode")))).toContain("destroy-mode");
  });

  it("a plan that creates everything from an empty state suggests missing state", async () => {
    expect(ids(analyse(await load("empty-state")))).toEqual(["missing-state"]);
  });

  it("removing a module instance is named, with a moved-block suggestion", async () => {
    const a = analyse(await load("deletes"));
    const f = a.findings.find((x) => x.id === "module-removed")!;
    expect(f.message).toContain('module.site["west"]');
    expect(f.suggestion).toContain("moved");
  });

  it("an errored plan is an incomplete-plan finding", async () => {
    expect(ids(analyse(await load("prevent-destroy")))).toContain("incomplete-plan");
  });

  it("prevent_destroy from sources on a destroyed resource is critical", async () => {
    const plan = await load("replace-reasons");
    const victim = plan.changes.find((c) => c.kind.startsWith("replace"))!;
    const a = analyse(plan, { preventDestroy: (addr) => (addr === victim.configAddress ? true : undefined) });
    expect(a.findings.find((f) => f.id === "prevent-destroy")!.addresses).toEqual([victim.address]);
    expect(a.destructive.find((d) => d.address === victim.address)!.severity).toBe("critical");
  });

  it("a delete and a create of the same values is a rename without a moved block", async () => {
    const raw = JSON.parse(readFileSync(path.join(EXAMPLES, "safe/plan.json"), "utf8")) as { resource_changes: Record<string, unknown>[] };
    const row = raw.resource_changes.find((r) => (r.change as { actions: string[] }).actions[0] === "no-op")!;
    const before = (row.change as { before: Record<string, unknown> }).before;
    const gone = { ...row, address: `${row.type}.old_name`, name: "old_name", change: { actions: ["delete"], before, after: null, before_sensitive: {}, after_sensitive: false, after_unknown: {} }, action_reason: "delete_because_no_resource_config" };
    const born = { ...row, address: `${row.type}.new_name`, name: "new_name", change: { actions: ["create"], before: null, after: { ...before, id: undefined, output: undefined }, after_unknown: { id: true, output: true }, before_sensitive: false, after_sensitive: {} } };
    raw.resource_changes.push(gone, born);
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-rename-"));
    writeFileSync(path.join(dir, "plan.json"), JSON.stringify(raw));
    const a = analyse(await loadPlan(path.join(dir, "plan.json")));
    const f = a.findings.find((x) => x.id === "rename-without-moved")!;
    expect(f.addresses).toEqual([`${row.type}.old_name`, `${row.type}.new_name`]);
    expect(f.suggestion).toBe(`add a moved block instead: moved { from = ${row.type}.old_name to = ${row.type}.new_name }`);
  });
});
