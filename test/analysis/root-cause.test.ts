// Root causes on the real examples: one line per cause, the cascade grouped under the input that explains it.

import path from "node:path";
import { describe, expect, it } from "vitest";
import { mostSpecific } from "../../src/analysis/root-cause.js";
import { analysePlan } from "../../src/pipeline.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES } from "../helpers/paths.js";

async function causes(name: string, withGraph = true) {
  const plan = await loadPlan(path.join(EXAMPLES, name, "plan.json"));
  return withGraph ? analysePlan(plan).analysis.rootCauses : (await import("../../src/analysis/index.js")).analyse(plan).rootCauses;
}

describe("root causes", () => {
  it("the incident: all 30 replacements trace back to var.network_cidr, with the chain through the module input", async () => {
    // Without the graph, a dependency through a local is not visible, so those three stay their own cause.
    const bare = await causes("incident", false);
    expect(bare[0]!.summary).toBe("27 resources are replaced because `var.network_cidr` changed");
    expect(bare[1]!.cause).toBe("local.service_defaults");
    for (const withGraph of [true]) {
      const rc = await causes("incident", withGraph);
      expect(rc).toHaveLength(1);
      expect(rc[0]!.summary).toBe("30 resources are replaced because `var.network_cidr` changed");
      expect(rc[0]!.kind).toBe("variable");
      expect(rc[0]!.chain.slice(0, 2)).toEqual(["var.network_cidr", "module.network.var.cidr"]);
      expect(rc[0]!.addresses).toHaveLength(30);
    }
  });

  it("replace reasons: each trigger is its own cause, named plainly", async () => {
    const summaries = (await causes("replace-reasons")).map((r) => r.summary);
    expect(summaries).toContain("1 resource is replaced because terraform plan -replace=terraform_data.requested");
    expect(summaries).toContain("1 resource is replaced because terraform_data.tainted is tainted");
    expect(summaries.some((s) => /because `var\.\w+` changed/.test(s))).toBe(true);
  });

  it("deletes: a removed module instance, a shrunk count and removed blocks are separate causes", async () => {
    const summaries = (await causes("deletes")).map((r) => r.summary);
    expect(summaries).toContain('2 resources are deleted because module `module.site["west"]` was removed');
    expect(summaries).toContain("2 resources are deleted because the count or for_each of terraform_data.counted changed");
    expect(summaries).toContain("1 resource is deleted because its resource block was removed from the configuration");
  });

  it("keeps only the most specific of Terraform's prefix references", () => {
    expect(mostSpecific(["module.m.out", "module.m", "aws_x.y.id", "aws_x.y", "var.a", "aws_x.yz"])).toEqual(["module.m.out", "aws_x.y.id", "var.a", "aws_x.yz"]);
  });
});
