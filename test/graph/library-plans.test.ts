// Plans a library caller builds by hand may hold what the reader never produces, such as a prior_state row whose
// address does not parse (its module keys are unknown). The graph treats such an instance as any instance of its
// module, as before the per-resource walk templates, and never throws.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDependencyGraph } from "../../src/graph/index.js";
import type { Plan } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";

const tmp = mkdtempSync(path.join(tmpdir(), "blastgate-library-plans-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// module.a's input v comes from module.b["k"].out: a literal module key shallower than module.a's own resources.
const configuration = {
  root_module: {
    resources: [],
    module_calls: {
      a: {
        source: "./a",
        expressions: { v: { references: ['module.b["k"].out', 'module.b["k"]', "module.b"] } },
        for_each_expression: { references: [] },
        module: { resources: [{ address: "terraform_data.x", mode: "managed", type: "terraform_data", name: "x", provider_config_key: "terraform", expressions: { input: { references: ["var.v"] } } }], variables: { v: {} } },
      },
      b: {
        source: "./b",
        for_each_expression: { references: [] },
        module: { resources: [{ address: "terraform_data.y", mode: "managed", type: "terraform_data", name: "y", provider_config_key: "terraform", expressions: {} }], outputs: { out: { expression: { references: ["terraform_data.y"] } } } },
      },
    },
  },
};
const row = (address: string, actions: string[]): unknown => ({ address, mode: "managed", type: "terraform_data", name: address.split(".").pop(), change: { actions, before: {}, after: {}, after_unknown: {}, before_sensitive: {}, after_sensitive: {} } });

function edges(plan: Plan): string[] {
  const g = buildDependencyGraph(plan).instance;
  const out: string[] = [];
  for (let i = 0; i < g.size; i++) g.forEachDependency(i, (j) => out.push(`${g.addressOf(i)} -> ${g.addressOf(j)}`));
  return out.sort();
}

describe("graphs of plans made by library callers", () => {
  it("an instance whose module keys cannot be read depends on what any instance of its module would", async () => {
    const file = path.join(tmp, "plan.json");
    writeFileSync(
      file,
      JSON.stringify({
        format_version: "1.2",
        configuration,
        resource_changes: [row('module.a["p"].terraform_data.x', ["update"]), row('module.b["k"].terraform_data.y', ["delete"])],
        prior_state: { values: { root_module: { resources: [{ address: 'module.a["p"].terraform_data.x', mode: "managed", type: "terraform_data", name: "x" }] } } },
      }),
    );
    const plan = await loadPlan(file);
    expect(edges(plan)).toEqual(['module.a["p"].terraform_data.x -> module.b["k"].terraform_data.y']);
    const odd = plan.priorState![0]!;
    const byHand = { ...plan, priorState: [...plan.priorState!, { ...odd, address: "module.a[bad", configAddress: "module.a.terraform_data.x" }] } as Plan;
    expect(edges(byHand)).toEqual(['module.a["p"].terraform_data.x -> module.b["k"].terraform_data.y', 'module.a[bad -> module.b["k"].terraform_data.y']);
  });
});
