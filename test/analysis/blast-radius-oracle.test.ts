// Blast radius against Terraform's own graph: for every resource, the union of its instances' blast radii,
// projected to config addresses, is exactly the set of resources that depend on it in `terraform graph`
// (its reverse transitive closure): everything that depends on it, and nothing else.

import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeBlastRadii } from "../../src/analysis/blast-radius.js";
import { analysePlan } from "../../src/pipeline.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES, HAS_TERRAFORM } from "../helpers/paths.js";
import { generateConfig } from "../graph/helpers/gen-config.js";
import { closure, parseDot } from "../graph/helpers/oracle.js";
import { runTerraform, writeConfig } from "../graph/helpers/terraform.js";
import type { Plan } from "../../src/plan/model.js";

interface Row {
  resource: string;
  /** The resource still has a block in the configuration (else it is a state-only orphan being deleted). */
  inConfig: boolean;
  terraform: string[];
  ours: string[];
}

/**
 * Terraform graphs the new configuration, where a deleted resource's block is gone and nothing depends on it;
 * blastgate also keeps the prior state's dependencies so that a resource that used it until now is in its blast
 * radius (over-approximation, on purpose). So: equality for resources in the configuration; for orphans, a superset.
 */
function expectAgrees(rows: Row[]): void {
  for (const r of rows) {
    if (r.inConfig) expect(r.ours, `dependents of ${r.resource}`).toEqual(r.terraform);
    else expect(r.ours, `dependents of orphan ${r.resource}`).toEqual(expect.arrayContaining(r.terraform));
  }
}

/** For each config address with instances: terraform's dependents vs. ours. */
async function compare(plan: Plan, dot: string): Promise<Row[]> {
  const { graphs } = analysePlan(plan);
  const g = graphs.instance;
  const tf = parseDot(dot);
  // Reverse closure: dependents of X are the nodes whose closure contains X.
  const fwd = closure(tf.nodes, tf.edges);
  const dependents = new Map<string, Set<string>>();
  for (const [from, deps] of fwd) for (const d of deps) (dependents.get(d) ?? dependents.set(d, new Set()).get(d)!).add(from);
  const byConfig = new Map<string, number[]>();
  for (let i = 0; i < g.size; i++) {
    const n = g.node(i);
    if (n.deposed === undefined && n.mode === "managed") (byConfig.get(n.configAddress) ?? byConfig.set(n.configAddress, []).get(n.configAddress)!).push(i);
  }
  const rows: Row[] = [];
  for (const [cfg, nodes] of byConfig) {
    if (!tf.nodes.has(cfg)) continue;
    const radii = computeBlastRadii(g, nodes, new Uint8Array(g.size), () => undefined, { maxEntries: Number.MAX_SAFE_INTEGER });
    const ours = new Set<string>();
    for (const r of radii) for (const e of r.entries) ours.add(g.node(g.indexOf(e.address)!).configAddress);
    ours.delete(cfg);
    const theirs = [...(dependents.get(cfg) ?? [])].filter((a) => a !== cfg && byConfig.has(a)).sort();
    rows.push({ resource: cfg, inConfig: nodes.some((i) => g.node(i).inConfig), terraform: theirs, ours: [...ours].filter((a) => byConfig.has(a)).sort() });
  }
  return rows;
}

const examples = readdirSync(EXAMPLES).filter((e) => existsSync(path.join(EXAMPLES, e, "graph.dot")) && existsSync(path.join(EXAMPLES, e, "plan.json")));

describe("blast radius equals terraform graph's dependents", () => {
  it.each(examples)("examples/%s", async (name) => {
    const plan = await loadPlan(path.join(EXAMPLES, name, "plan.json"));
    const rows = await compare(plan, readFileSync(path.join(EXAMPLES, name, "graph.dot"), "utf8"));
    expect(rows.length).toBeGreaterThan(0);
    expectAgrees(rows);
  });

  it("the incident: everything depends on the network", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "incident/plan.json"));
    const rows = await compare(plan, readFileSync(path.join(EXAMPLES, "incident/graph.dot"), "utf8"));
    const vpc = rows.find((r) => r.resource === "module.network.terraform_data.vpc")!;
    expect(vpc.ours.length).toBeGreaterThanOrEqual(20);
  });
});

const RUNS = Number(process.env.BLASTGATE_RADIUS_RUNS ?? 8);
if (!HAS_TERRAFORM) console.warn("blast radius property test skipped: no `terraform` on PATH (it compares with `terraform graph` on random real plans)");

describe.skipIf(!HAS_TERRAFORM)("blast radius on random real plans", () => {
  it(`equals terraform graph's dependents on ${RUNS} random configurations`, { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (gen) => {
        const cfg = generateConfig({ int: (min, max) => gen(fc.integer, { min, max }) });
        const dir = writeConfig(cfg.files, "blastgate-radius-");
        try {
          const { graphDot } = runTerraform(dir);
          const plan = await loadPlan(`${dir}/plan.json`);
          expectAgrees(await compare(plan, graphDot));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: 977, endOnFailure: true },
    );
  });
});
