// Resolution cases terraform_data cannot produce, on hand-edited plans: provider configuration references
// (current and 0.12-era provider_config_key forms), ephemeral and `resource.` references, a missing output.

import { describe, expect, it } from "vitest";
import { buildDependencyGraph, type Graph } from "../../src/graph/index.js";
import { editedPlan } from "./helpers/plans.js";

function deps(g: Graph, from: string): string[] {
  const out: string[] = [];
  g.forEachDependency(g.indexOf(from)!, (j) => out.push(g.addressOf(j)));
  return out.sort();
}

describe("resolution on hand-edited plans", () => {
  it("a provider configuration's references apply to every resource using it, inherited into modules", async () => {
    const plan = await editedPlan("graph-modules", (raw) => {
      raw.configuration.provider_config.terraform.expressions = { region: { references: ["terraform_data.root_base.output", "terraform_data.root_base"] } };
      // Terraform 0.12-0.13 wrote `NAME:provider` keys for module resources.
      raw.configuration.root_module.module_calls.late.module.resources[0].provider_config_key = "late:terraform";
      raw.configuration.root_module.module_calls.chain.module.resources[0].provider_config_key = "module.chain:terraform";
    });
    const g = buildDependencyGraph({ ...plan, priorState: undefined });
    const r = g.resource;
    for (const a of ["terraform_data.partial", "module.late.terraform_data.first", "module.chain.terraform_data.l1", "module.each.terraform_data.hidden"]) {
      expect(deps(r, a), a).toContain("terraform_data.root_base");
    }
    let via;
    r.forEachDependency(r.indexOf("terraform_data.partial")!, (j, e) => {
      if (r.addressOf(j) === "terraform_data.root_base") via = r.edgeVia(e);
    });
    expect(via).toEqual({ kind: "reference", attribute: "provider.region", detail: "terraform_data.root_base.output", owner: "provider[terraform]" });
    expect(deps(r, "terraform_data.root_base")).toEqual([]); // no self-edge
  });

  it("ephemeral references are not graph nodes; `resource.T.N` is a managed resource; an unlisted output falls back to the whole module", async () => {
    const plan = await editedPlan("graph-modules", (raw) => {
      const rs = raw.configuration.root_module.resources;
      rs.find((x: { address: string }) => x.address === "terraform_data.whole").expressions.input = { references: ["ephemeral.random_password.p.result", "ephemeral.random_password.p", "resource.terraform_data.root_base.id", "resource.terraform_data.root_base"] };
      rs.find((x: { address: string }) => x.address === "terraform_data.partial").expressions.input = { references: ["module.late.nope", "module.late"] };
    });
    const g = buildDependencyGraph({ ...plan, priorState: undefined });
    expect(deps(g.resource, "terraform_data.whole")).toEqual(["terraform_data.root_base"]);
    expect(deps(g.resource, "terraform_data.partial")).toContain("module.late.terraform_data.hidden");
    expect(g.unresolved).toEqual([]);
  });
});
