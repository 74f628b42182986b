// The same policy written in HCL, YAML and JSON loads to the same rules and gives the same verdict.

import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/model.js";
import { evaluatePolicies } from "../../src/policy/evaluate.js";
import type { PolicySet, PolicyVerdict } from "../../src/policy/model.js";
import { loadPolicies } from "../../src/policy/read.js";
import { ROOT } from "../helpers/paths.js";
import { analysisOf, change, context, example, NOW, planOf, realAnalysis } from "./helpers.js";

const FORMATS = ["hcl", "yaml", "json"] as const;

async function load(): Promise<Record<(typeof FORMATS)[number], PolicySet>> {
  const out = {} as Record<(typeof FORMATS)[number], PolicySet>;
  for (const f of FORMATS) out[f] = await loadPolicies([`policies/examples/${f}`], { cwd: ROOT });
  return out;
}

/** A verdict without where each rule came from (the file differs by format, by design). */
function comparable(v: PolicyVerdict): unknown {
  const unfile = (t: string): string => t.replace(/policies\/examples\/\w+\/team\.\w+/g, "<policy file>");
  return { ...v, notes: v.notes.map(unfile), results: v.results.map(({ source: _source, ...r }) => ({ ...r, notes: r.notes.map(unfile) })) };
}

/** A plan that trips every rule of the example policy in some way. */
function awsPlan(): Plan {
  return planOf([
    change("module.prod.aws_db_instance.main", ["delete", "create"], { before: { tags: { env: "prod" } } }),
    change("module.staging.aws_db_instance.main", ["delete"], { before: { tags: { env: "staging" } } }),
    change("aws_s3_bucket.logs", ["delete"], { before: { tags: { env: "prod" } }, actionReason: "delete_because_no_resource_config" }),
    change("aws_s3_bucket.a", ["delete"]),
    change("aws_s3_bucket.b", ["delete"]),
    change("aws_s3_bucket.c", ["delete"]),
    change("module.sandbox.aws_instance.x", ["delete"]),
    change("aws_instance.web", ["update"]),
  ]);
}

describe("one policy, three formats", () => {
  it("loads to the same rules, in the same order", async () => {
    const sets = await load();
    const strip = (s: PolicySet) => ({ ...s, files: [], allowDestroy: s.allowDestroy.map((d) => d.patterns), rules: s.rules.map(({ origin, ...r }) => ({ ...r, line: origin.line !== undefined })) });
    expect(strip(sets.hcl)).toEqual(strip(sets.yaml));
    expect(strip(sets.json)).toEqual(strip(sets.yaml));
    expect(sets.yaml.rules.map((r) => r.name)).toEqual(["no-database-deletes", "protect-prod-tagged", "removed-blocks", "aws-provider-deletes", "contained-blast-radius"]);
  });

  it.each(["incident", "safe", "deletes", "replace-reasons", "destroy-mode", "prevent-destroy"])("gives the same verdict on examples/%s", async (name) => {
    const sets = await load();
    const plan = await example(name);
    const analysis = realAnalysis(plan);
    const verdicts = FORMATS.map((f) => comparable(evaluatePolicies({ plan, analysis, policies: sets[f], context: context(), now: NOW })));
    expect(verdicts[0]).toEqual(verdicts[1]);
    expect(verdicts[2]).toEqual(verdicts[1]);
  });

  it("gives the same verdict on a plan that trips every rule", async () => {
    const sets = await load();
    const plan = awsPlan();
    const analysis = analysisOf(plan, { radius: { "module.prod.aws_db_instance.main": 25 }, score: 90, managedCount: 8 });
    const verdicts = FORMATS.map((f) => evaluatePolicies({ plan, analysis, policies: sets[f], context: context(), now: NOW }));
    expect(comparable(verdicts[0]!)).toEqual(comparable(verdicts[1]!));
    expect(comparable(verdicts[2]!)).toEqual(comparable(verdicts[1]!));
    const byRule = Object.fromEntries(verdicts[1]!.results.map((r) => [r.rule, r]));
    expect(byRule["no-database-deletes"]).toMatchObject({ status: "fail", matched: ["module.prod.aws_db_instance.main"], waived: [{ address: "module.staging.aws_db_instance.main" }] });
    expect(byRule["protect-prod-tagged"]).toMatchObject({ status: "fail", matched: ["aws_s3_bucket.logs", "module.prod.aws_db_instance.main"] });
    expect(byRule["removed-blocks"]).toMatchObject({ status: "warn", matched: ["aws_s3_bucket.logs"] });
    expect(byRule["aws-provider-deletes"]).toMatchObject({ status: "warn", measured: 5, allowed: 3 });
    expect(byRule["contained-blast-radius"]).toMatchObject({ status: "fail", limit: "max_blast_radius", measured: 25 });
    expect(byRule["allow-destroy"]).toMatchObject({ status: "fail", allowedByIntent: ["module.sandbox.aws_instance.x"] });
    expect(verdicts[1]!.allowedByIntent).toEqual(["module.sandbox.aws_instance.x"]);
    expect(verdicts[1]!.status).toBe("fail");
  });
});
