// Corpus plans with deletes produce sensible results, asserted by hand on a few real plans.

import path from "node:path";
import { describe, expect, it } from "vitest";
import { analysePlan } from "../../src/pipeline.js";
import { loadPlan } from "../../src/plan/read.js";
import { CORPUS, HAS_CORPUS } from "../helpers/paths.js";

if (!HAS_CORPUS) console.warn(`corpus delete checks skipped: ${CORPUS} does not exist`);
const analyse = async (rel: string) => analysePlan(await loadPlan(path.join(CORPUS, rel))).analysis;

describe.skipIf(!HAS_CORPUS)("analysis of real plans with deletes", () => {
  it("a terraform destroy of a Google folder and its IAM is destroy mode, and a folder is not called safe", async () => {
    const a = await analyse("GoogleCloudPlatform__terraform-validator/policy__testdata__tf12plan_delete_resources.json");
    expect(a.destructive).toHaveLength(6);
    expect(a.findings.map((f) => f.id)).toContain("destroy-mode");
    const folder = a.destructive.find((d) => d.type === "google_folder")!;
    expect(folder.risk.dataLoss).toBe("unknown"); // not in the table: never "safe"
    expect(a.destructive.filter((d) => d.type.includes("_iam_")).every((d) => d.risk.dataLoss === "none")).toBe(true);
    expect(a.severity).toBe("critical");
  });

  it("deleting an S3 bucket whose block was removed is a likely data loss, explained", async () => {
    const a = await analyse("snyk__policy-engine/pkg__input__golden_test__tfplan__resource-changes__plan.json");
    const bucket = a.destructive.find((d) => d.type === "aws_s3_bucket")!;
    expect(bucket.actionReason).toBe("delete_because_no_resource_config");
    expect(["likely", "certain", "avoidable"]).toContain(bucket.risk.dataLoss);
    expect(bucket.explanation).toBe("its resource block is no longer in the configuration");
  });

  it("a tainted replacement names the taint as its root cause", async () => {
    const a = await analyse("hashicorp__terraform-json/testdata__action_reason__plan.json");
    expect(a.destructive[0]!.actionReason).toBe("replace_because_tainted");
    expect(a.rootCauses[0]!.summary).toMatch(/is tainted$/);
  });

  it("a provider-forced replacement keeps its replace paths and is not environment-wide in a larger plan", async () => {
    const a = await analyse("terraform-compliance__cli/tests__functional__test_issue_522__plan.out.json");
    expect(a.destructive.map((d) => d.type).sort()).toEqual(["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"]);
    expect(a.findings.map((f) => f.id)).not.toContain("environment-wide");
  });
});
