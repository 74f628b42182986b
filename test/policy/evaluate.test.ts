// Evaluation: waivers and expiry, declared intent, sign-off rules, AI-assisted context, failing closed, exit codes,
// and the default set over the shipped examples.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApproval } from "../../src/policy/approval.js";
import { CONDITIONS } from "../../src/policy/conditions/index.js";
import { evaluatePolicies, exitCodeFor, verdictReasons } from "../../src/policy/evaluate.js";
import type { PolicySet, PolicyVerdict, RuleResult } from "../../src/policy/model.js";
import { loadPolicies } from "../../src/policy/read.js";
import { ROOT } from "../helpers/paths.js";
import { analysisOf, change, context, example, NOW, planOf, policies, realAnalysis } from "./helpers.js";

function result(v: PolicyVerdict, rule: string): RuleResult {
  const r = v.results.find((x) => x.rule === rule);
  if (!r) throw new Error(`no result for ${rule}: ${v.results.map((x) => x.rule).join(", ")}`);
  return r;
}

const bucketRule = (extra = ""): string =>
  `rules:\n  - name: no-bucket-deletes\n    severity: fail\n    description: keep buckets\n    when: { resource_type: aws_s3_bucket }\n${extra}`;

const buckets = () => planOf([change("aws_s3_bucket.logs"), change("module.old.aws_s3_bucket.archive"), change("aws_instance.web", ["update"])]);

async function run(policyText: string, plan = buckets(), ctx = context(), now = NOW): Promise<PolicyVerdict> {
  const set = await policies({ "p.yaml": policyText });
  return evaluatePolicies({ plan, analysis: analysisOf(plan), policies: set, context: ctx, now });
}

describe("waivers", () => {
  const waiver = (expires: string, addresses = "[module.old]") => bucketRule(`    waivers:\n      - { addresses: ${addresses}, reason: archive retired, expires: "${expires}" }\n`);

  it("a live waiver takes its addresses out; the rest still counts", async () => {
    const v = await run(waiver("2026-12-31"));
    const r = result(v, "no-bucket-deletes");
    expect(r.status).toBe("fail");
    expect(r.matched).toEqual(["aws_s3_bucket.logs"]);
    expect(r.waived).toEqual([{ address: "module.old.aws_s3_bucket.archive", reason: "archive retired", expires: "2026-12-31" }]);
    expect(r.notes).toContain("waived: module.old.aws_s3_bucket.archive");
  });

  it("when the waiver makes the difference, the status is waived", async () => {
    const v = await run(waiver("2026-12-31", "[module.old, aws_s3_bucket.logs]"));
    expect(result(v, "no-bucket-deletes")).toMatchObject({ status: "waived", matched: [] });
    expect(result(v, "no-bucket-deletes").message).toContain('"archive retired" (until 2026-12-31)');
    expect(v.status).toBe("pass");
  });

  it("a waiver is valid through its expiry day (UTC) and stops working after it, saying so", async () => {
    const text = waiver("2026-06-15", "[module.old, aws_s3_bucket.logs]");
    expect((await run(text, buckets(), context(), new Date("2026-06-15T23:59:59Z"))).status).toBe("pass");
    const after = await run(text, buckets(), context(), new Date("2026-06-16T00:00:00Z"));
    const r = result(after, "no-bucket-deletes");
    expect(r.status).toBe("fail");
    expect(r.waived).toEqual([]);
    expect(r.notes[0]).toBe(
      'waiver for module.old, aws_s3_bucket.logs ("archive retired") expired on 2026-06-15 and no longer applies: aws_s3_bucket.logs, module.old.aws_s3_bucket.archive counted again',
    );
  });

  it("an expiry with a time of day expires at that instant", async () => {
    const text = waiver("2026-06-15T12:00:00Z", "[module.old, aws_s3_bucket.logs]");
    expect((await run(text, buckets(), context(), new Date("2026-06-15T11:59:59Z"))).status).toBe("pass");
    expect((await run(text, buckets(), context(), new Date("2026-06-15T12:00:00Z"))).status).toBe("fail");
  });

  it("an expired waiver is reported even when it matches nothing any more", async () => {
    const v = await run(waiver("2020-01-01", "[module.gone]"));
    expect(result(v, "no-bucket-deletes").notes[0]).toMatch(/^waiver for module\.gone \("archive retired"\) expired on 2020-01-01 and no longer applies$/);
  });
});

describe("declared intent (allow-destroy)", () => {
  it("destroys inside the declaration pass with a note; destroys outside still fail; both are listed", async () => {
    const v = await run(bucketRule(), buckets(), context({ intent: [{ source: "--allow-destroy", patterns: ["module.old"] }] }));
    const r = result(v, "no-bucket-deletes");
    expect(r).toMatchObject({ status: "fail", matched: ["aws_s3_bucket.logs"], allowedByIntent: ["module.old.aws_s3_bucket.archive"] });
    expect(r.notes).toContain("1 change inside the declared allow-destroy passes: module.old.aws_s3_bucket.archive");
    const intent = result(v, "allow-destroy");
    expect(intent).toMatchObject({ status: "fail", severity: "fail", matched: ["aws_s3_bucket.logs"], allowedByIntent: ["module.old.aws_s3_bucket.archive"] });
    expect(intent.message).toBe("1 destroy outside the declared allow-destroy (module.old): aws_s3_bucket.logs");
    expect(v.allowedByIntent).toEqual(["module.old.aws_s3_bucket.archive"]);
    expect(v.outsideIntent).toEqual(["aws_s3_bucket.logs"]);
    expect(v.notes).toContain("declared allow-destroy: module.old (from --allow-destroy)");
  });

  it("when every destroy is declared, the plan passes", async () => {
    const v = await run(bucketRule(), buckets(), context({ intent: [{ source: "commit trailer Allow-Destroy", patterns: ["module.old", "aws_s3_bucket.logs"] }] }));
    expect(v.status).toBe("pass");
    expect(result(v, "no-bucket-deletes").message).toBe("only declared destroys match (aws_s3_bucket.logs, module.old.aws_s3_bucket.archive)");
    expect(result(v, "allow-destroy").message).toBe("all 2 destroys are inside the declared allow-destroy");
    expect(v.outsideIntent).toEqual([]);
  });

  it("allow_destroy in a policy file counts as a declaration", async () => {
    const v = await run(`allow_destroy: ["*"]\n` + bucketRule());
    expect(v.status).toBe("pass");
    expect(v.allowedByIntent).toEqual(["aws_s3_bucket.logs", "module.old.aws_s3_bucket.archive"]);
  });

  it("a rule can refuse intent (allow_intent: false)", async () => {
    const v = await run(bucketRule("    allow_intent: false\n"), buckets(), context({ intent: [{ source: "x", patterns: ["*"] }] }));
    expect(result(v, "no-bucket-deletes")).toMatchObject({ status: "fail", allowedByIntent: [] });
    expect(result(v, "allow-destroy").status).toBe("pass");
  });

  it("a declared pattern that matches nothing is noted", async () => {
    const v = await run(bucketRule(), buckets(), context({ intent: [{ source: "x", patterns: ["module.typo", "*"] }] }));
    expect(result(v, "allow-destroy").notes).toEqual(['allow-destroy pattern "module.typo" matches nothing this plan destroys']);
  });

  it("without a declaration there is no allow-destroy result and both lists are empty", async () => {
    const v = await run(bucketRule());
    expect(v.results.map((r) => r.rule)).toEqual(["no-bucket-deletes"]);
    expect(v.allowedByIntent).toEqual([]);
    expect(v.outsideIntent).toEqual([]);
  });
});

describe("sign-off rules", () => {
  const signOff = bucketRule("    require_approval: true\n");

  it("fail without an approval, saying how to sign off", async () => {
    const v = await run(signOff, buckets(), context({ approvalNotes: ["no approval for this plan (sha256:abc) in .blastgate/approvals"] }));
    const r = result(v, "no-bucket-deletes");
    expect(r.status).toBe("fail");
    expect(r.notes).toContain("no approval for this plan (sha256:abc) in .blastgate/approvals");
    expect(r.message).toMatch(/^needs a sign-off for this exact plan \(sha256:[0-9a-f]{12}\): 2 matching changes \(allowed: 0\)/);
    expect(r.notes.join("\n")).toContain("blastgate approve PLAN --by NAME --reason TEXT");
  });

  it("pass as approved with a valid approval for this plan", async () => {
    const plan = buckets();
    const record = createApproval(plan, { by: "dana", reason: "archive retired", now: NOW });
    const v = await run(signOff, plan, context({ approvals: [{ file: "a.json", record }] }));
    expect(result(v, "no-bucket-deletes")).toMatchObject({ status: "approved" });
    expect(result(v, "no-bucket-deletes").message).toMatch(/^approved by dana on 2026-06-15 \("archive retired"\): 2 matching changes/);
    expect(v.status).toBe("pass");
  });

  it("an approval of another plan (one more destroy) does not count, and says why", async () => {
    const approved = planOf([change("aws_s3_bucket.logs"), change("aws_instance.web", ["update"])]);
    const record = createApproval(approved, { by: "dana", reason: "r", now: NOW });
    const v = await run(signOff, buckets(), context({ approvals: [{ file: ".blastgate/approvals/x.json", record }] }));
    const r = result(v, "no-bucket-deletes");
    expect(r.status).toBe("fail");
    expect(r.notes.some((n) => /^approval \.blastgate\/approvals\/x\.json rejected: approval record is for another plan/.test(n))).toBe(true);
  });

  it("a tampered approval does not count", async () => {
    const plan = buckets();
    const record = { ...createApproval(plan, { by: "dana", reason: "r", now: NOW }), approved_by: "the-ceo" };
    const v = await run(signOff, plan, context({ approvals: [{ file: "a.json", record }] }));
    expect(result(v, "no-bucket-deletes").status).toBe("fail");
    expect(result(v, "no-bucket-deletes").notes).toContain("approval a.json rejected: approval record failed its integrity check: it was edited after it was written (tampered)");
  });

  it("declared intent does not satisfy a rule that requires a sign-off", async () => {
    const v = await run(signOff, buckets(), context({ intent: [{ source: "commit trailer Allow-Destroy", patterns: ["*"] }] }));
    expect(result(v, "no-bucket-deletes").status).toBe("fail");
  });
});

describe("AI-assisted changes", () => {
  const aiRule = "rules:\n  - name: ai-sign-off\n    severity: fail\n    description: d\n    when: { ai_assisted: true, action: destroy }\n    require_approval: true\n";

  it("an AI-assisted change that destroys anything needs a sign-off; the evidence is quoted", async () => {
    const v = await run(aiRule, buckets(), context({ aiAssisted: true, aiEvidence: ["Co-authored-by: Claude <noreply@anthropic.com>"] }));
    expect(result(v, "ai-sign-off").status).toBe("fail");
    expect(v.notes).toContain("the change is marked AI-assisted (Co-authored-by: Claude <noreply@anthropic.com>)");
  });

  it("the same change without the mark passes", async () => {
    expect((await run(aiRule)).status).toBe("pass");
  });

  it("an AI-assisted change that destroys nothing passes", async () => {
    const plan = planOf([change("aws_instance.web", ["update"])]);
    expect((await run(aiRule, plan, context({ aiAssisted: true }))).status).toBe("pass");
  });
});

describe("never fail open", () => {
  it("a rule whose evaluation throws is a failed result, even a warn rule", async () => {
    const set = await policies({ "p.yaml": "rules:\n  - { name: boom, severity: warn, description: d, when: { before: { tags.env: prod } } }\n" });
    const plan = planOf([change("a.b")]);
    const original = CONDITIONS.before.evaluate;
    (CONDITIONS.before as { evaluate: unknown }).evaluate = () => {
      throw new TypeError("kaput");
    };
    try {
      const v = evaluatePolicies({ plan, analysis: analysisOf(plan), policies: set, context: context(), now: NOW });
      expect(v.status).toBe("fail");
      expect(result(v, "boom")).toMatchObject({ status: "fail", severity: "fail" });
      expect(result(v, "boom").message).toBe("the rule could not be evaluated (TypeError: kaput), so the gate fails rather than pass unchecked");
      expect(exitCodeFor(v, "fail")).toBe(1);
    } finally {
      (CONDITIONS.before as { evaluate: unknown }).evaluate = original;
    }
  });

  it("a broken analysis fails the verdict instead of passing it", async () => {
    const set = await policies({ "p.yaml": bucketRule() });
    const plan = buckets();
    const v = evaluatePolicies({ plan, analysis: { ...analysisOf(plan), destructive: null } as never, policies: set, context: context(), now: NOW });
    expect(v.status).toBe("fail");
    expect(v.results[0]!.rule).toBe("policy-evaluation");
  });

  it("a policy set built by hand with an unknown condition fails the rule", async () => {
    const set = await policies({ "p.yaml": bucketRule() });
    const broken: PolicySet = { ...set, rules: [{ ...set.rules[0]!, when: { no_such_condition: true } }] };
    const plan = buckets();
    const v = evaluatePolicies({ plan, analysis: analysisOf(plan), policies: broken, context: context(), now: NOW });
    expect(v.results[0]).toMatchObject({ status: "fail" });
    expect(v.results[0]!.message).toContain('unknown condition "no_such_condition"');
  });
});

describe("verdict and exit code", () => {
  it("fail > warn > pass, and --fail-on warn makes warnings fail", async () => {
    const warnOnly = await run("rules:\n  - { name: w, severity: warn, description: d }\n");
    expect(warnOnly.status).toBe("warn");
    expect(exitCodeFor(warnOnly, "fail")).toBe(0);
    expect(exitCodeFor(warnOnly, "warn")).toBe(1);
    const both = await run("rules:\n  - { name: w, severity: warn, description: d }\n  - { name: f, severity: fail, description: d }\n");
    expect(both.status).toBe("fail");
    expect(exitCodeFor(both)).toBe(1);
    const pass = await run("rules:\n  - { name: p, severity: fail, description: d, when: { resource_type: nothing } }\n");
    expect(pass.status).toBe("pass");
    expect(exitCodeFor(pass, "warn")).toBe(0);
  });

  it("each result carries rule, severity, status, message, addresses, limit and measured value", async () => {
    const v = await run(bucketRule("    limits: { max_changes: 1 }\n"));
    expect(result(v, "no-bucket-deletes")).toMatchObject({
      rule: "no-bucket-deletes",
      severity: "fail",
      status: "fail",
      description: "keep buckets",
      message: "2 matching changes (allowed: 1): aws_s3_bucket.logs, module.old.aws_s3_bucket.archive",
      matched: ["aws_s3_bucket.logs", "module.old.aws_s3_bucket.archive"],
      limit: "max_changes",
      allowed: 1,
      measured: 2,
      allowedText: "1",
      measuredText: "2",
      source: { file: "p.yaml", line: 2, builtin: false },
    });
    expect(verdictReasons(v)).toEqual(['rule "no-bucket-deletes" failed: 2 matching changes (allowed: 1): aws_s3_bucket.logs, module.old.aws_s3_bucket.archive']);
  });

  it("long address lists are capped in the message but complete in the result", async () => {
    const plan = planOf(Array.from({ length: 9 }, (_, i) => change(`aws_s3_bucket.b${i}`)));
    const v = await run(bucketRule(), plan);
    expect(result(v, "no-bucket-deletes").message).toMatch(/and 4 more$/);
    expect(result(v, "no-bucket-deletes").matched).toHaveLength(9);
  });
});

describe("the default set on the examples", () => {
  async function builtin(): Promise<PolicySet> {
    return loadPolicies([], { cwd: mkdtempSync(path.join(tmpdir(), "bg-nopolicies-")) });
  }

  it("the incident fails: environment-wide recreation, and delete-first replaces warn", async () => {
    const plan = await example("incident");
    const v = evaluatePolicies({ plan, analysis: realAnalysis(plan), policies: await builtin(), context: context(), now: NOW });
    expect(v.status).toBe("fail");
    expect(exitCodeFor(v)).toBe(1);
    const wide = result(v, "no-environment-wide-recreation");
    expect(wide.status).toBe("fail");
    expect(wide.measured).toBe(30);
    expect(wide.matched).toContain("module.database.terraform_data.database");
    expect(result(v, "replace-delete-first")).toMatchObject({ status: "warn", measured: 28 });
  });

  it("the safe example passes", async () => {
    const plan = await example("safe");
    const v = evaluatePolicies({ plan, analysis: realAnalysis(plan), policies: await builtin(), context: context(), now: NOW });
    expect(v.status).toBe("pass");
    expect(v.results.every((r) => r.status === "pass")).toBe(true);
    expect(exitCodeFor(v, "warn")).toBe(0);
  });

  it("the repository's policies/ fail the incident and pass the safe example", async () => {
    const set = await loadPolicies(["policies"], { cwd: ROOT });
    for (const [name, status] of [["incident", "fail"], ["safe", "pass"]] as const) {
      const plan = await example(name);
      expect(evaluatePolicies({ plan, analysis: realAnalysis(plan), policies: set, context: context(), now: NOW }).status).toBe(status);
    }
  });

  it("declaring the whole incident as intended turns its fails into notes (the intent is visible)", async () => {
    const plan = await example("incident");
    const v = evaluatePolicies({ plan, analysis: realAnalysis(plan), policies: await builtin(), context: context({ intent: [{ source: "--allow-destroy", patterns: ["*"] }] }), now: NOW });
    expect(result(v, "no-environment-wide-recreation").status).toBe("pass");
    expect(v.allowedByIntent).toHaveLength(30);
    expect(v.status).toBe("pass");
  });

  it("a data-bearing delete fails, an avoidable one passes, an unknown type warns", async () => {
    const plan = planOf([change("aws_db_instance.a"), change("aws_db_instance.b"), change("custom_thing.c")]);
    const analysis = analysisOf(plan, { risk: { "aws_db_instance.a": "certain", "aws_db_instance.b": "avoidable", "custom_thing.c": "unknown" } });
    const v = evaluatePolicies({ plan, analysis, policies: await builtin(), context: context(), now: NOW });
    expect(result(v, "no-data-loss")).toMatchObject({ status: "fail", matched: ["aws_db_instance.a"] });
    expect(result(v, "unknown-data-loss")).toMatchObject({ status: "warn", matched: ["custom_thing.c"] });
  });

  it("a deposed object is judged by its own finding, not by the current object's at the same address", async () => {
    // Rows are matched to findings by address and deposed key: the current object (no data) and a deposed one (data).
    const current = change("aws_db_instance.a", ["create"]);
    const deposed = change("aws_db_instance.a", ["delete"], { deposed: "d1" });
    const plain = change("aws_db_instance.b");
    const plan = planOf([current, deposed, plain]);
    const analysis = analysisOf(plan);
    for (const f of analysis.destructive) if (f.deposed === "d1") f.risk = { dataLoss: "certain", reasons: [] };
    const v = evaluatePolicies({ plan, analysis, policies: await builtin(), context: context(), now: NOW });
    expect(result(v, "no-data-loss")).toMatchObject({ status: "fail", matched: ["aws_db_instance.a"] });
    // And the other way round: the risk on the current row's address does not reach the deposed object.
    const analysis2 = analysisOf(plan, { risk: { "aws_db_instance.b": "certain" } });
    const v2 = evaluatePolicies({ plan, analysis: analysis2, policies: await builtin(), context: context(), now: NOW });
    expect(result(v2, "no-data-loss")).toMatchObject({ status: "fail", matched: ["aws_db_instance.b"] });
  });

  it("deleting a prevent_destroy resource fails", async () => {
    const plan = planOf([change("aws_db_instance.a", ["delete", "create"])]);
    const v = evaluatePolicies({ plan, analysis: analysisOf(plan, { preventDestroy: ["aws_db_instance.a"] }), policies: await builtin(), context: context(), now: NOW });
    expect(result(v, "no-prevent-destroy-deletes").status).toBe("fail");
  });
});
