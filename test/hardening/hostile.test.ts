// Hostile and odd plans: deep nesting, very long strings, duplicate addresses, references to nothing, dependency
// cycles, `__proto__`-style names, control characters and escapes, zero resources, and random synthetic plans built
// from all of those. Each ends in a report or a BlastgateError within its bound, pollutes nothing, and never drops
// a destructive change from a passing report.

import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { assertNoPollution, COLLECT, count, describeCrash, failOpen, failure, inheritedMemberIn, listFailures, LONG_RUN, runPipeline, runs, SEED, summaryLine, tally, type Outcome } from "./harness.js";
import { HOSTILE_NAMES, HOSTILE_STRINGS } from "./mutate.js";
import { MAX_NESTING } from "../../src/plan/splitter.js";
import { model, planJson, quote } from "./synthetic.js";

const t = tally();
afterAll(() => {
  console.log(summaryLine("hostile plans", t));
  if (t.failures.size > 0) console.log(`distinct failures:\n${listFailures(t)}`);
});

/** Runs one input and checks the invariants; returns the outcome for further checks. */
async function expectSurvives(text: string | Buffer, boundMs: number, label: string, chunkSize = 64 * 1024): Promise<Outcome> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const o = await runPipeline(buf, { chunkSize });
  count(t, o);
  if (o.ms > 1000) console.log(`[blastgate hardening] slow case: ${label.slice(0, 120)}: ${Math.round(o.ms)} ms`);
  if (o.kind === "crash") failure(t, describeCrash(o), label);
  else if (o.ms > boundMs) {
    t.hangs++;
    failure(t, `${label}: took ${Math.round(o.ms)} ms (bound ${boundMs} ms)`, label);
  }
  try {
    assertNoPollution();
  } catch (e) {
    t.pollution++;
    failure(t, String(e), label);
  }
  if (o.kind === "report") {
    const inherited = inheritedMemberIn(o.outputs);
    if (inherited) failure(t, `an inherited Object.prototype member reached the output: ${inherited}`, label);
  }
  if (buf.length < 8 * 1024 * 1024) {
    const open = failOpen(buf.toString("utf8"), o);
    if (open) {
      t.failOpen++;
      failure(t, `fail-open: ${open}`, label);
    }
  }
  return o;
}

/** A small valid plan with one slot where a hostile value is spliced in (as raw JSON text). */
function base(slot: string, value: string): string {
  const v = (s: string): string => (slot === s ? value : "");
  const before = v("before") || '{"id":"i-1","password":"pw"}';
  const doc = `{
  "format_version": "1.2", "terraform_version": "1.9.8",
  "variables": {"x": {"value": ${v("variable") || '"v"'}}},
  "planned_values": ${v("planned_values") || "{}"},
  "resource_changes": [
    {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["delete"], "before": ${before}, "after": null, "before_sensitive": ${v("before_sensitive") || '{"password":true}'}, "after_sensitive": false,
                "after_unknown": ${v("after_unknown") || "{}"}, "replace_paths": ${v("replace_paths") || "[]"}}},
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["update"], "before": ${v("update") || '{"a":1}'}, "after": ${v("update") || '{"a":2}'}, "after_unknown": ${v("update_unknown") || "{}"}}}
  ],
  "resource_drift": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["update"], "before": {}, "after": {}, "after_unknown": ${v("drift_unknown") || "{}"}}}
  ],
  "output_changes": {"o": {"actions": ["update"], "before": null, "after": ${v("output") || '"x"'}, "after_unknown": false, "after_sensitive": true}},
  "prior_state": {"format_version": "1.0", "values": {"root_module": {
    "resources": [{"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db", "values": ${v("prior_values") || "{}"}, "depends_on": ["aws_s3_bucket.b"]}],
    "child_modules": ${v("child_modules") || "[]"}}}},
  "configuration": {"root_module": {
    "resources": [{"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db",
                   "expressions": ${v("expressions") || '{"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}'}}],
    "module_calls": ${v("module_calls") || "{}"},
    "variables": {"x": {"default": ${v("default") || '"d"'}, "sensitive": true}}}},
  "relevant_attributes": [{"resource": "aws_s3_bucket.b", "attribute": ${v("relevant") || '["a"]'}}],
  "checks": ${v("checks") || "[]"},
  "zzz_unknown_key": ${v("unknown") || "null"}
}`;
  return doc;
}

const SLOTS = ["before", "before_sensitive", "after_unknown", "replace_paths", "update", "update_unknown", "drift_unknown", "variable", "planned_values", "output", "prior_values", "child_modules", "expressions", "module_calls", "default", "relevant", "checks", "unknown"];

const DEPTH = 100_000;
const deepObject = (n: number): string => '{"a":'.repeat(n) + "true" + "}".repeat(n);
const deepArray = (n: number): string => "[".repeat(n) + "true" + "]".repeat(n);
/** Module calls nested n deep: `{"m": {"module": {"module_calls": {"m": ...}}}}`. */
const deepModules = (n: number): string => '{"m":{"source":"./m","module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","expressions":{"x":{"references":["module.m.o"]}}}],"module_calls":'.repeat(n) + "{}" + "}}}".repeat(n);
/** prior_state child modules nested n deep. */
const deepChildModules = (n: number): string => '[{"address":"module.m","resources":[],"child_modules":'.repeat(n) + "[]" + "}]".repeat(n);

describe("hostile plans: deep nesting", () => {
  it("the base plan is a valid plan that reports its destructive change", async () => {
    const o = await expectSurvives(base("", ""), 5_000, "base");
    expect(o.kind).toBe("report");
    if (o.kind === "report") expect(o.report.destructive.map((d) => d.address)).toEqual(["aws_db_instance.db"]);
  });

  it.each(SLOTS)(`100k levels of objects and of arrays in %s`, { timeout: 120_000 }, async (slot) => {
    // 100k levels, and just under the reader's limit (the slot itself sits up to 10 levels deep).
    const under = MAX_NESTING - 12;
    for (const [shape, value] of [
      ["objects", deepObject(DEPTH)],
      ["arrays", deepArray(DEPTH)],
      ["modules", slot === "module_calls" ? deepModules(DEPTH / 4) : slot === "child_modules" ? deepChildModules(DEPTH / 2) : ""],
      ["objects just under the limit", deepObject(under)],
      ["arrays just under the limit", deepArray(under)],
      // The graph walk is cubic in module depth (330 nested module calls: ~12 s), so CI nests 100 and the long run 330.
      ["modules just under the limit", slot === "module_calls" ? deepModules(LONG_RUN ? Math.floor(under / 3) : 100) : slot === "child_modules" ? deepChildModules(Math.floor(under / 2)) : ""],
    ] as const) {
      if (value === "") continue;
      await expectSurvives(base(slot, value), 20_000, `deep ${shape} in ${slot}`);
    }
  });
});

describe("hostile plans: very long strings", () => {
  const MB = 1024 * 1024;
  // Values are never printed, so tens of MB cost only reading; printed strings (addresses, references) cost rendering
  // time in every format, so CI uses 1 MB and the long run 16 MB.
  const VALUE = (LONG_RUN ? 48 : 16) * MB;
  const PRINTED = (LONG_RUN ? 16 : 0.25) * MB;
  const long = (n: number, ch = "x"): string => ch.repeat(n);
  const cases: [string, () => string][] = [
    [`a ${VALUE / MB} MB value in a deleted resource's before`, () => base("before", `{"password":"${long(VALUE)}"}`)],
    [`a ${VALUE / MB} MB value in a sensitive variable`, () => base("variable", `"${long(VALUE)}"`)],
    [`a ${VALUE / MB} MB object key in a value`, () => base("before", `{"${long(VALUE)}": 1}`)],
    [`a ${VALUE / MB} MB string of backslash escapes in a skipped value`, () => base("planned_values", `{"s":"${"\\\\".repeat(VALUE / 2)}"}`)],
    [`a ${VALUE / MB} MB string of unicode escapes in an output`, () => base("output", `"${"\\u0041".repeat(Math.floor(VALUE / 6))}"`)],
    [`a ${PRINTED / MB} MB configuration reference`, () => base("expressions", `{"x":{"references":["${long(PRINTED / 2, "a.")}"]}}`)],
    [`a ${PRINTED / MB} MB instance key in an address`, () => base("", "").replace('"aws_db_instance.db", "mode"', `${JSON.stringify(`aws_db_instance.db${quote(long(PRINTED))}`)}, "mode"`)],
    [`a ${PRINTED / MB} MB resource name in an address`, () => base("", "").replace('"aws_db_instance.db", "mode"', `"aws_db_instance.${long(PRINTED)}", "mode"`)],
  ];
  it.each(cases)("%s", { timeout: 600_000 }, async (label, make) => {
    const rss0 = process.memoryUsage().rss;
    const text = make();
    const o = await expectSurvives(text, LONG_RUN ? 120_000 : 20_000, label, 4 * MB);
    const grown = (process.memoryUsage().rss - rss0) / MB;
    console.log(`[blastgate hardening] long string: ${label}: ${o.kind}${o.kind === "error" ? ` ${o.code}` : ""} in ${Math.round(o.ms)} ms, input ${Math.round(text.length / MB)} MB, rss +${Math.round(grown)} MB`);
    expect(grown).toBeLessThan(2048);
  });
});

describe("hostile plans: names, references, cycles", () => {
  it("random synthetic plans with hostile names, dangling references and cycles (property)", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(model, fc.constantFrom(0, 2), async (m, indent) => {
        const text = JSON.stringify(planJson(m), null, indent);
        const o = await expectSurvives(text, 10_000, `synthetic ${text.slice(0, 3000)}`);
        if (o.kind === "report") {
          // Every rendered output is free of terminal control sequences the plan carried.
          for (const [format, out] of Object.entries(o.outputs)) {
            const stripped = format === "terminal+color" ? out.replace(/\x1b\[[0-9;]*m/g, "") : out;
            if (/[\x1b\x9b]/.test(stripped)) failure(t, `format ${format} prints a raw escape character from the plan`, text.slice(0, 3000));
          }
        }
      }),
      { seed: SEED + 2, numRuns: runs(1500) },
    );
  });

  it.each(HOSTILE_NAMES)("%s as a top-level key, variable, output, module, provider and for_each key", async (n) => {
    const j = JSON.stringify(n);
    const text = `{"format_version":"1.2",${j}:{"polluted":true},
      "variables":{${j}:{"value":"v"}},
      "resource_changes":[
        {"address":${JSON.stringify(`module.${n}[${j}].${n}.${n}[${j}]`)},"module_address":${JSON.stringify(`module.${n}[${j}]`)},"type":"${n}","name":"${n}","index":${j},"mode":"managed","provider_name":${j},"action_reason":${j},
         "change":{"actions":["delete"],"before":{${j}:{"polluted":true}},"after":null,"before_sensitive":{${j}:true},"replace_paths":[[${j},${j}]]}},
        {"address":"${n}.${n}","type":"${n}","name":"${n}","mode":"managed","deposed":${j},"change":{"actions":["delete"],"before":{},"after":null}}],
      "output_changes":{${j}:{"actions":["create"],"after":{${j}:1},"after_sensitive":true}},
      "prior_state":{"values":{"root_module":{"resources":[{"address":"${n}.${n}","mode":"managed","type":"${n}","name":"${n}","depends_on":["${n}.${n}","module.${n}.${n}.${n}"]}]}}},
      "configuration":{"provider_config":{${j}:{"name":${j},"expressions":{${j}:{"references":["var.${n}"]}}}},
        "root_module":{"resources":[{"address":"${n}.${n}","mode":"managed","type":"${n}","name":"${n}","provider_config_key":${j},"expressions":{${j}:{"references":["module.${n}.${n}","${n}.${n}"]}},"depends_on":["module.${n}"]}],
        "module_calls":{${j}:{"source":"./m","expressions":{${j}:{"references":["${n}.${n}"]}},"module":{"resources":[{"address":"${n}.${n}","mode":"managed","type":"${n}","name":"${n}","provider_config_key":"${n}:${n}","expressions":{"a":{"references":["var.${n}"]}}}],"outputs":{${j}:{"expression":{"references":["${n}.${n}"]}}},"variables":{${j}:{"default":1}}}}},
        "outputs":{${j}:{"expression":{"references":["module.${n}.${n}"]},"sensitive":true}},"variables":{${j}:{"default":"d","sensitive":true}}}}}`;
    const o = await expectSurvives(text, 5_000, `names ${n}`);
    expect(o.kind).toBe("report");
    if (o.kind === "report") expect(o.report.destructive.length).toBe(2);
  });

  it("depends_on and reference cycles (configuration, modules, prior_state) end in a report", async () => {
    const res = (name: string, refs: string[], deps: string[]): string =>
      JSON.stringify({ address: `aws_s3_bucket.${name}`, mode: "managed", type: "aws_s3_bucket", name, expressions: { x: { references: refs } }, depends_on: deps });
    const row = (name: string): string => JSON.stringify({ address: `aws_s3_bucket.${name}`, mode: "managed", type: "aws_s3_bucket", name, change: { actions: ["delete", "create"], before: {}, after: {}, replace_paths: [["x"]] } });
    const text = `{"format_version":"1.2","resource_changes":[${["a", "b", "c"].map(row).join(",")}],
      "prior_state":{"values":{"root_module":{"resources":[
        {"address":"aws_s3_bucket.a","mode":"managed","type":"aws_s3_bucket","name":"a","depends_on":["aws_s3_bucket.b","aws_s3_bucket.nope"]},
        {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","depends_on":["aws_s3_bucket.c"]},
        {"address":"aws_s3_bucket.c","mode":"managed","type":"aws_s3_bucket","name":"c","depends_on":["aws_s3_bucket.a"]}]}}},
      "configuration":{"root_module":{"resources":[${res("a", ["aws_s3_bucket.b.id", "module.m.o"], ["aws_s3_bucket.c"])},${res("b", ["aws_s3_bucket.c"], ["aws_s3_bucket.a"])},${res("c", ["aws_s3_bucket.a", "aws_s3_bucket.ghost", "module.ghost.out"], ["module.m"])}],
        "module_calls":{"m":{"source":"./m","expressions":{"v":{"references":["module.n.o"]}},"depends_on":["module.n","aws_s3_bucket.a"],"module":{"resources":[],"outputs":{"o":{"expression":{"references":["var.v"]}}},"variables":{"v":{}}}},
                        "n":{"source":"./n","expressions":{"v":{"references":["module.m.o"]}},"depends_on":["module.m"],"module":{"resources":[],"outputs":{"o":{"expression":{"references":["var.v"]}}},"variables":{"v":{}}}}}}}}`;
    const o = await expectSurvives(text, 5_000, "cycles");
    expect(o.kind).toBe("report");
    if (o.kind === "report") {
      expect(o.report.destructive.map((d) => d.address).sort()).toEqual(["aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket.c"]);
      expect(o.report.root_causes.length).toBeGreaterThan(0);
    }
  });

  it("1000 copies of one address (and of one deposed object) are all reported", async () => {
    const row = JSON.stringify({ address: "aws_db_instance.db", mode: "managed", type: "aws_db_instance", name: "db", change: { actions: ["delete"], before: {}, after: null } });
    const dep = JSON.stringify({ address: "aws_db_instance.db", mode: "managed", type: "aws_db_instance", name: "db", deposed: "00000001", change: { actions: ["delete"], before: {}, after: null } });
    const text = `{"format_version":"1.2","resource_changes":[${Array(1000).fill(row).join(",")},${Array(1000).fill(dep).join(",")}],"prior_state":{"values":{"root_module":{"resources":[]}}}}`;
    const o = await expectSurvives(text, 10_000, "duplicates");
    expect(o.kind).toBe("report");
    if (o.kind === "report") {
      expect(o.report.destructive.length).toBe(2000);
      expect(o.report.verdict.status === "fail" || o.report.analysis.severity !== "info").toBe(true);
    }
  });

  it("control characters, ANSI escapes and odd Unicode in addresses and values never reach a terminal raw", async () => {
    for (const s of HOSTILE_STRINGS) {
      const j = JSON.stringify(s);
      const text = `{"format_version":"1.2","terraform_version":${j},"resource_changes":[{"address":${JSON.stringify(`aws_s3_bucket.b${quote(s)}`)},"mode":"managed","type":"aws_s3_bucket","name":"b","index":${j},"provider_name":${j},"action_reason":${j},"deposed":${j},
        "change":{"actions":["delete"],"before":{"v":${j}},"after":null,"replace_paths":[[${j}]]}},{"address":"aws_s3_bucket.c","mode":"managed","type":"aws_s3_bucket","name":"c","change":{"actions":[${j}],"before":null,"after":null}}]}`;
      const o = await expectSurvives(text, 5_000, `unicode ${j}`);
      if (o.kind === "report") {
        for (const [format, out] of Object.entries(o.outputs)) {
          const stripped = format === "terminal+color" ? out.replace(/\x1b\[[0-9;]*m/g, "") : out;
          if (/[\x1b\x9b\x07]/.test(stripped)) failure(t, `format ${format} prints a raw control character from the plan (${j})`, text);
        }
      }
    }
  });

  it.runIf(COLLECT)("collected no failures", () => {
    expect(listFailures(t)).toBe("");
  });

  it.each([
    ["no resource_changes key", '{"format_version":"1.2","planned_values":{}}'],
    ["an empty resource_changes", '{"format_version":"1.2","resource_changes":[]}'],
    ["null resource_changes", '{"format_version":"1.2","resource_changes":null,"configuration":{}}'],
    ["configuration only", '{"format_version":"1.2","configuration":{"root_module":{}}}'],
    ["empty prior_state", '{"format_version":"1.2","resource_changes":[],"prior_state":{}}'],
  ])("zero resources: %s gives a passing report with nothing destroyed", async (_label, text) => {
    const o = await expectSurvives(text, 5_000, text);
    expect(o.kind).toBe("report");
    if (o.kind === "report") {
      expect(o.report.destructive).toEqual([]);
      expect(o.report.verdict.status).toBe("pass");
    }
  });
});

describe("hostile plans: size that used to be quadratic", () => {
  const N = LONG_RUN ? 20_000 : 2_000;
  const row = (address: string, type: string, name: string, actions: string[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ address, mode: "managed", type, name, change: { actions, before: actions.length === 1 && actions[0] === "create" ? null : { v: 1 }, after: actions.length === 1 && actions[0] === "delete" ? null : { v: 1 }, replace_paths: [["x"]] }, ...extra });
  const bound = LONG_RUN ? 60_000 : 15_000;

  it(`${N} replaced resources whose forcing reference runs through a cycle of module outputs`, { timeout: 300_000 }, async () => {
    const rows = Array.from({ length: N }, (_, i) => row(`aws_s3_bucket.r${i}`, "aws_s3_bucket", `r${i}`, ["delete", "create"]));
    const res = Array.from({ length: N }, (_, i) => JSON.stringify({ address: `aws_s3_bucket.r${i}`, mode: "managed", type: "aws_s3_bucket", name: `r${i}`, expressions: { x: { references: ["module.m.o", "module.m"] } } }));
    const mod = (other: string): string => `{"source":"./m","expressions":{"v":{"references":["module.${other}.o"]}},"module":{"resources":[],"outputs":{"o":{"expression":{"references":["var.v"]}}},"variables":{"v":{}}}}`;
    const text = `{"format_version":"1.2","resource_changes":[${rows.join(",")}],"configuration":{"root_module":{"resources":[${res.join(",")}],"module_calls":{"m":${mod("n")},"n":${mod("m")}}}}}`;
    const o = await expectSurvives(text, bound, "cyclic module outputs");
    expect(o.kind).toBe("report");
  });

  it(`${N} deletes and ${N / 2} creates of one type (rename detection)`, { timeout: 300_000 }, async () => {
    const dels = Array.from({ length: N }, (_, i) => row(`aws_s3_bucket.old${i}`, "aws_s3_bucket", `old${i}`, ["delete"]));
    const adds = Array.from({ length: N / 2 }, (_, i) => JSON.stringify({ address: `aws_s3_bucket.new${i}`, mode: "managed", type: "aws_s3_bucket", name: `new${i}`, change: { actions: ["create"], before: null, after: { v: i % 7 === 0 ? 1 : 2, w: i % 7 === 0 ? undefined : i } } }));
    const o = await expectSurvives(`{"format_version":"1.2","resource_changes":[${[...dels, ...adds].join(",")}]}`, bound, "renames");
    expect(o.kind).toBe("report");
    // Creates whose only known value equals a delete's prior value are paired, once each.
    if (o.kind === "report") expect(o.report.findings.filter((f) => f.id === "rename-without-moved").length).toBe(Math.ceil(N / 2 / 7));
  });

  it(`${N} resources deleted because ${N / 2} module instances were removed`, { timeout: 300_000 }, async () => {
    const rows = Array.from({ length: N }, (_, i) =>
      row(`module.m["k${i >> 1}"].aws_s3_bucket.b${i & 1}`, "aws_s3_bucket", `b${i & 1}`, ["delete"], { action_reason: "delete_because_no_module", module_address: `module.m["k${i >> 1}"]` }),
    );
    const o = await expectSurvives(`{"format_version":"1.2","resource_changes":[${rows.join(",")}]}`, bound, "removed modules");
    expect(o.kind).toBe("report");
    if (o.kind === "report") expect(o.report.findings.filter((f) => f.id === "module-removed").length).toBe(N / 2);
  });
});
