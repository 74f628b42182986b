// The instance graph of a plan the reader built with no repeated row uses the reader's map of row addresses instead
// of making its own (src/plan/build.ts rowPlaces). The graph must be the one it makes without that map.

import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDependencyGraph } from "../../src/graph/index.js";
import { buildPlan, rowPlaces } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES } from "../helpers/paths.js";

/** Every address's id, and the graph's JSON. */
function shape(plan: Plan): { json: unknown; ids: (number | undefined)[] } {
  const g = buildDependencyGraph(plan).instance;
  const ids: (number | undefined)[] = [];
  for (let i = 0; i < g.size; i++) ids.push(g.indexOf(g.addressOf(i)));
  for (const c of plan.changes) ids.push(g.indexOf(c.address));
  return { json: g.toJSON(), ids };
}

describe("the reader's row places in the instance graph", () => {
  const plans = readdirSync(EXAMPLES).filter((d) => !d.startsWith("."));

  it.each(plans)("examples/%s: the same graph and ids with and without them", async (name) => {
    const plan = await loadPlan(path.join(EXAMPLES, name, "plan.json"));
    expect(rowPlaces(plan.changes)).toBeDefined();
    // A copy of the rows is not the reader's: the graph makes its own map.
    const copy: Plan = { ...plan, changes: [...plan.changes] };
    expect(rowPlaces(copy.changes)).toBeUndefined();
    const ids = shape(plan).ids;
    expect(ids.every((i) => i !== undefined)).toBe(true);
    expect(shape(plan)).toEqual(shape(copy));
  });

  it("are not kept when a row has an empty deposed key (a current object to the reader, a deposed node in the graph)", async () => {
    const row = (address: string, deposed?: string) => ({ address, mode: "managed", type: "t", name: address.split(".")[1], provider_name: "p", ...(deposed !== undefined ? { deposed } : {}), change: { actions: ["delete"], before: {}, after: null } });
    const doc = { format_version: "1.2", resource_changes: [row("t.a", ""), row("t.b")] };
    const plan = await buildPlan([Buffer.from(JSON.stringify(doc))], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json" });
    expect(rowPlaces(plan.changes)).toBeUndefined();
    expect(shape(plan)).toEqual(shape({ ...plan, changes: [...plan.changes] }));
    expect(buildDependencyGraph(plan).instance.indexOf("t.a")).toBeUndefined();
  });

  it("are not kept when a row repeats (BG1103), and the first row is still the node", async () => {
    const row = (address: string, deposed?: string) => ({ address, mode: "managed", type: "t", name: address.split(".")[1], provider_name: "p", ...(deposed ? { deposed } : {}), change: { actions: ["delete"], before: {}, after: null } });
    const doc = { format_version: "1.2", resource_changes: [row("t.a"), row("t.b"), row("t.a", "d1"), row("t.b"), row("t.c")] };
    const plan = await buildPlan([Buffer.from(JSON.stringify(doc))], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json" });
    expect(plan.notes.filter((n) => n.code === "BG1103")).toHaveLength(1);
    expect(rowPlaces(plan.changes)).toBeUndefined();
    const g = buildDependencyGraph(plan).instance;
    expect(g.indexOf("t.b")).toBe(1);
    expect(g.indexOf("t.c")).toBe(4 - 1);
    expect(g.size).toBe(4);
  });
});
