// Every real plan in ../shared/corpus builds both graph levels without error, and the node and edge counts per
// file are recorded in corpus-counts.json (rewrite with `vitest -u`, review the diff) so regressions show.

import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDependencyGraph } from "../../src/graph/index.js";
import { loadPlan } from "../../src/plan/read.js";
import { CORPUS, HAS_CORPUS, listJson } from "../helpers/paths.js";
import { expectInstancesConsistent } from "./helpers/check.js";

if (!HAS_CORPUS) console.warn(`graph corpus test skipped: ${CORPUS} does not exist (it is shared beside the project root)`);

const plans = listJson(CORPUS).filter((f) => !f.includes(`${path.sep}invalid${path.sep}`));

describe.skipIf(!HAS_CORPUS)("graph: every corpus plan", () => {
  it(`builds a graph for each of the ${plans.length} plans, with counts recorded`, async () => {
    expect(plans.length).toBeGreaterThan(100);
    const counts: Record<string, { resource: [number, number]; instance: [number, number]; unresolved: number; cycles: number }> = {};
    for (const file of plans) {
      const plan = await loadPlan(file);
      const g = buildDependencyGraph(plan);
      // Every row of resource_changes is a node.
      for (const c of plan.changes) expect(g.instance.indexOf(c.deposed === undefined ? c.address : `${c.address} (deposed object ${c.deposed})`), c.address).toBeDefined();
      expectInstancesConsistent(g);
      counts[path.relative(CORPUS, file).split(path.sep).join("/")] = {
        resource: [g.resource.size, g.resource.edgeCount],
        instance: [g.instance.size, g.instance.edgeCount],
        unresolved: g.unresolved.length,
        cycles: g.cycles.length,
      };
    }
    const lines = Object.entries(counts).map(([f, c]) => `  ${JSON.stringify(f)}: ${JSON.stringify(c)}`);
    await expect(`{\n${lines.join(",\n")}\n}\n`).toMatchFileSnapshot("corpus-counts.json");
  });
});
