import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../../src/policy/evaluate.js";
import { analysisOf, change, context, NOW, planOf, policies } from "../helpers.js";
import { runLimitTable } from "./_table.js";

const deletes = (n: number) => Array.from({ length: n }, (_, i) => change(`aws_s3_bucket.b${i}`));

describe("limit max-changes", () => {
  runLimitTable("max_changes", [
    { name: "none allowed, none found", changes: [change("aws_s3_bucket.a", ["update"])], allowed: 0, measured: 0, status: "pass" },
    { name: "none allowed, one found", changes: deletes(1), allowed: 0, measured: 1, status: "fail" },
    { name: "at the limit", changes: deletes(3), allowed: 3, measured: 3, status: "pass" },
    { name: "over the limit", changes: deletes(4), allowed: 3, measured: 4, status: "fail" },
    { name: "only selected changes count", changes: [...deletes(2), change("aws_db_instance.x")], when: "{ resource_type: aws_db_* }", allowed: 0, measured: 1, status: "fail" },
  ]);

  it("is the default when a rule names no limit", async () => {
    const set = await policies({ "p.yaml": "rules:\n  - { name: r, severity: warn, description: d }\n" });
    const plan = planOf(deletes(2));
    const v = evaluatePolicies({ plan, analysis: analysisOf(plan), policies: set, context: context(), now: NOW });
    expect(v.results[0]).toMatchObject({ status: "warn", limit: "max_changes", allowed: 0, measured: 2 });
    expect(v.status).toBe("warn");
  });
});
