// The proof on random real configurations: draw a configuration, let terraform apply, plan and graph it, and
// check that our resource-level closure equals `terraform graph`'s, from sources alone, from prior_state alone
// and from both; with neither, every gap must be reported as unresolved.

import { rmSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDependencyGraph, loadTfSources } from "../../src/graph/index.js";
import { loadPlan } from "../../src/plan/read.js";
import { HAS_TERRAFORM } from "../helpers/paths.js";
import { expectExplainedGaps, expectInstancesConsistent, expectSameClosure } from "./helpers/check.js";
import { generateConfig } from "./helpers/gen-config.js";
import { runTerraform, writeConfig } from "./helpers/terraform.js";

if (!HAS_TERRAFORM) console.warn("graph property test skipped: no `terraform` on PATH (it generates real plans and compares with `terraform graph`)");

const RUNS = Number(process.env.BLASTGATE_GRAPH_RUNS ?? 20);
const SEED = Number(process.env.BLASTGATE_GRAPH_SEED ?? 20261127);

describe.skipIf(!HAS_TERRAFORM)("graph: random real configurations against terraform graph", () => {
  it(`agrees with terraform graph on ${RUNS} random configurations (seed ${SEED})`, { timeout: 300_000 }, async () => {
    let withLocals = 0;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const cfg = generateConfig({ int: (min, max) => g(fc.integer, { min, max }) });
        const dir = writeConfig(cfg.files);
        let ok = false;
        try {
          const { graphDot } = runTerraform(dir);
          const plan = await loadPlan(`${dir}/plan.json`);
          const sources = await loadTfSources(dir);
          const both = buildDependencyGraph(plan, { sources });
          const fromSources = buildDependencyGraph({ ...plan, priorState: undefined }, { sources });
          const fromState = buildDependencyGraph(plan);
          const neither = buildDependencyGraph({ ...plan, priorState: undefined });
          expectSameClosure(fromSources, graphDot, "sources only");
          // prior_state records depends_on for managed resources only: a data source's locals stay unresolved.
          const dataOnly = fromState.unresolved.every((u) => u.from.startsWith("data.") || u.from.includes(".data."));
          expect(dataOnly, "prior_state only: unresolved outside data sources").toBe(true);
          if (fromState.unresolved.length === 0) expectSameClosure(fromState, graphDot, "prior_state only");
          else expectExplainedGaps(fromState, plan, sources, graphDot);
          expectSameClosure(both, graphDot, "sources and prior_state");
          expect(fromSources.unresolved).toEqual([]);
          expectExplainedGaps(neither, plan, sources, graphDot);
          if (neither.unresolved.some((u) => /(^|\.)local\./.test(u.reference))) withLocals++;
          expectInstancesConsistent(both);
          expect(both.cycles).toEqual([]);
          ok = true;
        } finally {
          if (ok) rmSync(dir, { recursive: true, force: true });
          else console.error(`graph property: failing configuration kept in ${dir}\n` + [...cfg.files].map(([f, t]) => `--- ${f}\n${t}`).join("\n"));
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The draw must exercise locals that only sources or prior_state can resolve.
    expect(withLocals).toBeGreaterThan(RUNS / 10);
  });
});
