// Secrets: random secrets planted in every sensitive position of real plans (and in plain values too: reports print
// no values at all) must never reach any output format, the CLI's stdout, stderr and --debug output, report files,
// or an error message, including syntax errors made right next to a secret. Fixed seed; BLASTGATE_FUZZ_RUNS for more.

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { FORMAT_IDS } from "../../src/report/formats/index.js";
import { EXAMPLES } from "../helpers/paths.js";
import { COLLECT, LONG_RUN, count, describeCrash, failure, listFailures, runPipeline, runs, SEED, seedPlans, summaryLine, tally } from "./harness.js";
import { defineOwn } from "./mutate.js";

const t = tally();
let planted = 0;
let cliRuns = 0;
afterAll(() => {
  console.log(summaryLine("secrets", t, `${planted} secrets planted, ${cliRuns} CLI runs with --debug over ${FORMAT_IDS.length} formats`));
  if (t.failures.size > 0) console.log(`distinct failures:\n${listFailures(t)}`);
});

// ---- secrets ------------------------------------------------------------------------------------------------

/**
 * Secrets are random base62 from a hash of two drawn numbers: fast-check's own string generators are biased towards
 * words like `property` and `constructor`, which occur in outputs by design and would be false leaks.
 */
const random62 = (a: number, b: number, len: number): string =>
  createHash("sha256").update(`${a}:${b}`).digest("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, len);
/** Characters every escaper changes: the secret must not leak in an escaped form either, so the needles skip them. */
const SPECIAL = ["", '"', "\\", "<", ">", "&", "\n", "\u001b[0m", "'", "$", "{}", " ", "ü", "|", "`", "@", "\u2028"];

export interface Secret {
  value: string;
  /** Substrings whose presence in any output is a leak: every 8-character window of the alphanumeric parts. */
  needles: string[];
}

const windows = (s: string): string[] => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8));
const secretArb: fc.Arbitrary<Secret> = fc.record({ a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 12, max: 20 }), mid: fc.constantFrom(...SPECIAL) }).map(({ a, b, len, mid }) => {
  const head = `Zq${random62(a, b, len)}`;
  const tail = `${random62(b, a, len)}Qz`;
  return { value: head + mid + tail, needles: [...windows(head), ...windows(tail)] };
});
/** A secret of base62 only (for syntax errors made next to it). */
const plainSecretArb: fc.Arbitrary<Secret> = fc.record({ a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 16, max: 30 }) }).map(({ a, b, len }) => {
  const value = `Zq${random62(a, b, len)}Qz`;
  return { value, needles: windows(value) };
});

function leaks(text: string, s: Secret): string | undefined {
  for (const n of s.needles) {
    const i = text.indexOf(n);
    if (i >= 0) return text.slice(Math.max(0, i - 80), i + 80);
  }
  return undefined;
}

// ---- planting -----------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** A value holding the secret in one of several shapes: bare, nested in a map, in a list, as a map key. */
function holder(secret: string, shape: number): unknown {
  switch (shape % 5) {
    case 0:
      return secret;
    case 1:
      return { nested: { deeper: secret } };
    case 2:
      return ["x", secret];
    case 3:
      return { [secret]: "key-is-secret" };
    default:
      return `postgres://admin:${secret}@db.internal:5432/app`;
  }
}

/** Sets attribute `key` of a before/after object and marks it in the mask (turning false/absent masks into objects). */
function plantAttr(change: Obj, side: "before" | "after", key: string, value: unknown, sensitive: boolean): void {
  const v = change[side];
  if (!isObj(v)) return;
  defineOwn(v, key, value);
  if (!sensitive) return;
  const maskKey = `${side}_sensitive`;
  const mask = change[maskKey];
  if (mask === true) return;
  const m: Obj = isObj(mask) ? mask : {};
  defineOwn(m, key, true);
  change[maskKey] = m;
}

/** Prior state and planned values modules: `resources` and `child_modules`, at any depth. */
function eachStateResource(mod: unknown, fn: (r: Obj) => void): void {
  const stack = [mod];
  while (stack.length > 0) {
    const m = stack.pop();
    if (!isObj(m)) continue;
    if (Array.isArray(m.resources)) for (const r of m.resources) if (isObj(r)) fn(r);
    if (Array.isArray(m.child_modules)) stack.push(...m.child_modules);
  }
}

function eachConfigModule(mod: unknown, fn: (m: Obj) => void): void {
  const stack = [mod];
  while (stack.length > 0) {
    const m = stack.pop();
    if (!isObj(m)) continue;
    fn(m);
    if (isObj(m.module_calls)) for (const c of Object.values(m.module_calls)) if (isObj(c)) stack.push(c.module);
  }
}

/**
 * Plants the secret in every place a plan can hold a value: sensitive ones (masked attributes, sensitive variables,
 * outputs and defaults, prior state, planned values, drift) and plain ones (unmasked attributes, constant values,
 * generated config, import ids, check messages), and in a replace path under a sensitive attribute. Returns how many.
 */
function plant(doc: Obj, secret: string, shape: number): number {
  let n = 0;
  const changeRows = (key: string): Obj[] => (Array.isArray(doc[key]) ? (doc[key] as unknown[]).filter(isObj) : []);
  for (const [i, row] of [...changeRows("resource_changes"), ...changeRows("resource_drift")].entries()) {
    const ch = row.change;
    if (!isObj(ch)) continue;
    for (const side of ["before", "after"] as const) {
      plantAttr(ch, side, "bg_password", holder(secret, shape + i), true);
      plantAttr(ch, side, "bg_plain_copy", holder(secret, shape + i + 1), false);
      n += 2;
    }
    // A replace forced by a change inside a sensitive attribute: the path's later steps are values (set elements,
    // map keys of a sensitive map).
    const actions = Array.isArray(ch.actions) ? ch.actions : [];
    if (actions.includes("delete") && actions.includes("create") && isObj(ch.before) && isObj(ch.after)) {
      plantAttr(ch, "before", "bg_secret_set", [secret], true);
      plantAttr(ch, "after", "bg_secret_set", [], true);
      ch.replace_paths = [...(Array.isArray(ch.replace_paths) ? ch.replace_paths : []), ["bg_secret_set", secret]];
      n++;
    }
    if (actions.length === 1 && actions[0] === "create") {
      row.change = { ...ch, generated_config: `resource "x" "y" {\n  password = "${secret}"\n}` };
      n++;
    }
    if (i === 0) {
      ch.importing = { id: secret };
      n++;
    }
  }
  // Variables: every one is made sensitive (configuration) and given the secret; one more is added.
  const variables = isObj(doc.variables) ? doc.variables : (doc.variables = {});
  defineOwn(variables, "bg_db_password", { value: secret });
  for (const v of Object.values(variables)) if (isObj(v)) v.value = holder(secret, shape);
  n += Object.keys(variables).length;
  const configuration = isObj(doc.configuration) ? doc.configuration : (doc.configuration = { root_module: {} });
  const root = isObj(configuration.root_module) ? configuration.root_module : (configuration.root_module = {});
  const cfgVars = isObj(root.variables) ? root.variables : (root.variables = {});
  for (const name of Object.keys(variables)) defineOwn(cfgVars, name, { ...(isObj(cfgVars[name]) ? cfgVars[name] : {}), default: holder(secret, shape + 1), sensitive: true });
  eachConfigModule(root, (m) => {
    if (Array.isArray(m.resources)) {
      for (const r of m.resources) if (isObj(r)) r.expressions = { ...(isObj(r.expressions) ? r.expressions : {}), bg_password: { constant_value: secret } };
    }
    if (isObj(m.module_calls)) for (const c of Object.values(m.module_calls)) if (isObj(c)) c.expressions = { ...(isObj(c.expressions) ? c.expressions : {}), bg_password: { constant_value: secret } };
    if (isObj(m.outputs)) for (const o of Object.values(m.outputs)) if (isObj(o)) o.sensitive = true;
    n++;
  });
  if (isObj(configuration.provider_config)) {
    for (const p of Object.values(configuration.provider_config)) if (isObj(p)) p.expressions = { ...(isObj(p.expressions) ? p.expressions : {}), token: { constant_value: secret } };
  }
  // Outputs: every output change becomes sensitive and carries the secret; one more is added.
  const outputs = isObj(doc.output_changes) ? doc.output_changes : (doc.output_changes = {});
  defineOwn(outputs, "bg_connection_string", { actions: ["create"], before: null, after: holder(secret, shape + 4), after_unknown: false, before_sensitive: false, after_sensitive: true });
  for (const o of Object.values(outputs)) {
    if (!isObj(o)) continue;
    o.before = o.before === null || o.before === undefined ? null : secret;
    o.after = holder(secret, shape + 2);
    o.before_sensitive = o.before === null ? false : true;
    o.after_sensitive = true;
    n++;
  }
  // Prior state and planned values: every resource's values, with sensitive_values; planned outputs.
  const stateRes = (r: Obj): void => {
    const values = isObj(r.values) ? r.values : (r.values = {});
    defineOwn(values, "bg_password", holder(secret, shape));
    defineOwn(values, "bg_plain_copy", secret);
    r.sensitive_values = { ...(isObj(r.sensitive_values) ? r.sensitive_values : {}), bg_password: true };
    n += 2;
  };
  if (isObj(doc.prior_state) && isObj(doc.prior_state.values)) {
    eachStateResource(doc.prior_state.values.root_module, stateRes);
    doc.prior_state.values.outputs = { bg_out: { sensitive: true, value: secret } };
  }
  const planned = isObj(doc.planned_values) ? doc.planned_values : (doc.planned_values = {});
  if (!isObj(planned.root_module)) planned.root_module = { resources: [] };
  eachStateResource(planned.root_module, stateRes);
  planned.outputs = { ...(isObj(planned.outputs) ? planned.outputs : {}), bg_out: { sensitive: true, value: secret } };
  // Check results: a failing check's message can interpolate a value.
  doc.checks = [
    ...(Array.isArray(doc.checks) ? doc.checks : []),
    { address: { kind: "check", name: "bg", to_display: "check.bg" }, status: "fail", instances: [{ address: { to_display: "check.bg" }, status: "fail", problems: [{ message: `password ${secret} is weak` }] }] },
  ];
  return n + 3;
}

// ---- seeds and runs -----------------------------------------------------------------------------------------

/** Real plans to plant into: the examples and the smaller corpus plans (the big ones only slow the property down). */
const SEEDS = seedPlans().filter((s) => s.text.length < 150_000);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blastgate-secrets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process with --debug, every format to a file and terminal to stdout; returns all it wrote. */
async function cli(file: string, extra: string[] = []): Promise<{ code: number; text: string }> {
  const out = mkdtempSync(path.join(dir, "out-"));
  const writes: string[] = [];
  const capture = (chunk: unknown): boolean => {
    writes.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk));
    return true;
  };
  const so = vi.spyOn(process.stdout, "write").mockImplementation(capture as never);
  const se = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
  let code: number;
  try {
    const args = ["check", file, "--debug", "--no-ai-assisted", ...extra];
    for (const f of FORMAT_IDS) args.push("-f", f, ...(f === "terminal" ? [] : ["-o", `${f}=${path.join(out, `report.${f}`)}`]));
    code = await main(args);
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  cliRuns++;
  const files = readdirSync(out).map((f) => readFileSync(path.join(out, f), "utf8"));
  rmSync(out, { recursive: true, force: true });
  return { code, text: [...writes, ...files].join("\n") };
}

function checkOutputs(label: string, outputs: Record<string, string>, secret: Secret, example: string): void {
  for (const [where, text] of Object.entries(outputs)) {
    const hit = leaks(text, secret);
    if (hit !== undefined) {
      t.leaks++;
      failure(t, `${label}: the secret leaks into ${where}: …${JSON.stringify(hit)}…`, example);
    }
  }
}

describe("secrets never reach an output", () => {
  it("has seed plans, and the incident's real sensitive variable is among them", () => {
    expect(SEEDS.length).toBeGreaterThan(10);
    expect(SEEDS.some((s) => s.text.includes("hunter2-incident-secret"))).toBe(true);
  });

  it("the incident example: hunter2-incident-secret (sensitive variable, and Terraform's unmarked copy) is in no format and no CLI output", async () => {
    const file = path.join(path.dirname(path.dirname(new URL(import.meta.url).pathname)), "..", "examples", "incident", "plan.json");
    const secret: Secret = { value: "hunter2-incident-secret", needles: ["hunter2"] };
    const o = await runPipeline(readFileSync(file));
    count(t, o);
    if (o.kind !== "report") throw new Error(o.kind === "crash" ? describeCrash(o) : o.text);
    checkOutputs("incident", o.outputs, secret, "examples/incident/plan.json");
    const { text } = await cli(file);
    checkOutputs("incident", { "the CLI (all formats, --debug)": text }, secret, "examples/incident/plan.json");
    expect(t.leaks).toBe(0);
  });

  it("random secrets planted in every value position of real plans: every format, the CLI with --debug, report files (property)", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), secretArb, fc.nat({ max: 4 }), fc.nat({ max: 9 }), async (pick, secret, shape, viaCli) => {
        const seed = SEEDS[pick % SEEDS.length]!;
        const doc = JSON.parse(seed.text) as Obj;
        planted += plant(doc, secret.value, shape);
        const text = JSON.stringify(doc, null, shape % 2 === 0 ? 0 : 2);
        const example = `${seed.name} secret=${JSON.stringify(secret.value)} shape=${shape}`;
        const o = await runPipeline(Buffer.from(text), { file: "planted.json" });
        count(t, o);
        if (o.kind === "crash") return failure(t, describeCrash(o), example);
        checkOutputs("pipeline", o.kind === "report" ? o.outputs : { "the error message": o.text }, secret, example);
        if (o.kind === "report") checkOutputs("pipeline", { "the report document": JSON.stringify(o.report), "the plan model": JSON.stringify(o.plan) }, secret, example);
        // One case in ten also goes through the CLI: every format at once, --debug, files and stdout/stderr.
        if (viaCli === 0) {
          const file = path.join(dir, `planted-${pick}.json`);
          writeFileSync(file, text);
          const r = await cli(file);
          checkOutputs("CLI", { "the CLI (all formats, --debug)": r.text }, secret, example);
        }
      }),
      { seed: SEED + 3, numRuns: runs(120) },
    );
  });

  it("syntax errors made right next to a secret quote structure, never the secret (property)", { timeout: 600_000 }, async () => {
    const corruptions: [string, (text: string, at: number, len: number) => string][] = [
      ["closing quote removed", (s, at, len) => s.slice(0, at + len) + s.slice(at + len + 1)],
      ["opening quote removed (a bare word)", (s, at) => s.slice(0, at - 1) + s.slice(at)],
      ["control character inside", (s, at, len) => s.slice(0, at + (len >> 1)) + "\u0001" + s.slice(at + (len >> 1))],
      ["invalid escape inside", (s, at, len) => s.slice(0, at + (len >> 1)) + "\\x" + s.slice(at + (len >> 1))],
      ["truncated inside", (s, at, len) => s.slice(0, at + (len >> 1))],
      ["truncated right after", (s, at, len) => s.slice(0, at + len + 1)],
      ["comma after (a missing value)", (s, at, len) => s.slice(0, at + len + 1) + ",," + s.slice(at + len + 1)],
      ["colon after (a value as a key)", (s, at, len) => s.slice(0, at + len + 1) + ":" + s.slice(at + len + 1)],
      ["bad \\u escape inside", (s, at, len) => s.slice(0, at + (len >> 1)) + "\\u12" + s.slice(at + (len >> 1))],
      ["secret unquoted", (s, at, len) => s.slice(0, at - 1) + s.slice(at, at + len) + s.slice(at + len + 1)],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), plainSecretArb, fc.nat(), fc.nat({ max: corruptions.length - 1 }), fc.nat({ max: 9 }), async (pick, secret, which, kind, viaCli) => {
        const seed = SEEDS[pick % SEEDS.length]!;
        const doc = JSON.parse(seed.text) as Obj;
        planted += plant(doc, secret.value, 0);
        const text = JSON.stringify(doc);
        // Every place the secret appears as a whole JSON string; corrupt one of them.
        const quoted = JSON.stringify(secret.value);
        const spots: number[] = [];
        for (let i = text.indexOf(quoted); i >= 0; i = text.indexOf(quoted, i + 1)) spots.push(i + 1);
        if (spots.length === 0) return;
        const at = spots[which % spots.length]!;
        const [label, corrupt] = corruptions[kind]!;
        const bad = corrupt(text, at, secret.value.length);
        const example = `${seed.name} ${label} at ${at}`;
        const o = await runPipeline(Buffer.from(bad), { file: "corrupt.json" });
        count(t, o);
        if (o.kind === "crash") return failure(t, describeCrash(o), example);
        checkOutputs(label, o.kind === "error" ? { "the error message": o.text } : o.outputs, secret, example);
        if (viaCli === 0) {
          const file = path.join(dir, `corrupt-${pick}.json`);
          writeFileSync(file, bad);
          const r = await cli(file);
          if (o.kind === "error" && r.code !== 2) failure(t, `${label}: the CLI exits ${r.code} on a document the reader rejects`, example);
          checkOutputs(label, { "the CLI (stderr with --debug)": r.text }, secret, example);
        }
      }),
      { seed: SEED + 4, numRuns: runs(160) },
    );
  });

  it("a replace path into a sensitive set or map shows the attribute and hides the element", async () => {
    const v = `Zq${random62(42, 43, 18)}Qz`;
    const row = (address: string, sensitive: unknown): string =>
      JSON.stringify({
        address,
        mode: "managed",
        type: "aws_security_group",
        name: address.split(".")[1],
        change: { actions: ["delete", "create"], before: { ids: [v], tags: { [v]: "x", Name: "n" } }, after: { ids: [], tags: {} }, before_sensitive: sensitive, after_sensitive: sensitive, replace_paths: [["ids", v], ["tags", v], ["tags", "Name"]] },
      });
    const text = `{"format_version":"1.2","resource_changes":[${row("aws_security_group.a", { ids: true, tags: { [v]: true } })},${row("aws_security_group.b", { ids: [true], tags: true })},${row("aws_security_group.c", true)}]}`;
    const o = await runPipeline(Buffer.from(text));
    expect(o.kind).toBe("report");
    if (o.kind !== "report") return;
    for (const d of o.report.destructive) expect(d.replace_paths.slice(0, 2)).toEqual(["ids[(sensitive)]", "tags[(sensitive)]"]);
    // A key of a map whose other keys are sensitive is structure, and stays readable.
    expect(o.report.destructive.find((d) => d.address === "aws_security_group.a")!.replace_paths[2]).toBe('tags["Name"]');
    checkOutputs("replace paths", o.outputs, { value: v, needles: windows(v) }, text);
  });

  it("a secret in a field the reader rejects (format_version, an action, a key type) is not quoted by the error", async () => {
    const v = `Zq${random62(7, 8, 18)}Qz`;
    const secret = { value: v, needles: windows(v) };
    const rc = (change: string): string => `"resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","change":${change}}]`;
    for (const text of [
      `{"format_version":"${v}","resource_changes":[]}`,
      `{"format_version":"1.${v}","resource_changes":[]}`,
      `{"format_version":${JSON.stringify({ v })},"resource_changes":[]}`,
      `{"format_version":"1.2",${rc(`{"actions":"${v}"}`)}}`,
      `{"format_version":"1.2",${rc(`{"actions":[{"a":"${v}"}]}`)}}`,
      `{"format_version":"1.2",${rc(`"${v}"`)}}`,
      `{"format_version":"1.2","errored":"${v}",${rc(`{"actions":["delete"]}`)}}`,
      `{"format_version":"1.2","output_changes":{"o":{"actions":"${v}"}}}`,
      `{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"${v}"}]}}}}`,
    ]) {
      const o = await runPipeline(Buffer.from(text));
      count(t, o);
      checkOutputs("rejected field", o.kind === "error" ? { "the error message": o.text } : o.kind === "report" ? o.outputs : {}, secret, text);
    }
  });

  it("the leak detector is not vacuous: a secret put where reports do print (an address) is found", async () => {
    const secret = { value: "ZqCanaryCanary12345Qz", needles: windows("ZqCanaryCanary12345Qz") };
    const o = await runPipeline(Buffer.from(`{"format_version":"1.2","resource_changes":[{"address":"aws_s3_bucket.${secret.value}","mode":"managed","type":"aws_s3_bucket","name":"${secret.value}","change":{"actions":["delete"],"before":{},"after":null}}]}`));
    expect(o.kind).toBe("report");
    // Every format that names destructive changes by address shows it (gitlab-terraform has counts only).
    if (o.kind === "report") {
      const found = Object.entries(o.outputs).filter(([, text]) => leaks(text, secret) !== undefined).map(([format]) => format);
      expect(found).toEqual(expect.arrayContaining(["terminal", "json", "markdown", "sarif", "html", "agent"]));
    }
  });

  it("--tf-dir sources: secrets in variable defaults and locals, next to syntax errors in .tf.json and .tf files, are never quoted", { timeout: 120_000 }, async () => {
    const plan = path.join(EXAMPLES, "incident", "plan.json");
    const cases: [string, string, string][] = [];
    for (let k = 0; k < (LONG_RUN ? 8 : 1); k++) {
      const v = `Zq${random62(k, 7, 20)}Qz`;
      const json = JSON.stringify({ variable: { bg_db_password: { default: v, sensitive: true } }, locals: { bg_conn: `postgres://u:${v}@h/db` } });
      const at = json.indexOf(v);
      cases.push(
        [v, "main.tf.json", json.slice(0, at - 1) + json.slice(at)], // bare word
        [v, "main.tf.json", json.slice(0, at + 5) + "\\u001" + json.slice(at + 5)], // bad escape inside
        [v, "main.tf.json", json.slice(0, at + v.length + 1) + "," + json.slice(at + v.length + 1)], // missing value
        [v, "main.tf.json", json.slice(0, at + 8)], // truncated inside
        [v, "main.tf", `variable "bg_db_password" {\n  default = "${v}\n  sensitive = true\n}\n`],
        [v, "main.tf", `variable "bg_db_password" {\n  default = ${v}"\n}\n`],
        [v, "main.tf", `locals {\n  bg = "${v.slice(0, 6)}\\q${v.slice(6)}"\n}\n`],
        [v, "main.tf", `locals {\n  bg = "${v}" "${v}"\n}\n`],
        [v, "main.tf", `variable "bg_db_password" {\n  default = "${v}"\n  sensitive = true\n}\nlocals {\n  bg = "\${var.bg_db_password}-${v}"\n}\n`], // valid
      );
    }
    for (const [v, name, text] of cases) {
      const tfDir = mkdtempSync(path.join(dir, "tf-"));
      writeFileSync(path.join(tfDir, name), text);
      const secret: Secret = { value: v, needles: windows(v) };
      const r = await cli(plan, ["--tf-dir", tfDir]);
      t.cases++;
      if (r.code === 2) t.errors++;
      else t.reports++;
      checkOutputs(`--tf-dir ${name}`, { "the CLI (all formats, --debug)": r.text }, secret, `${name}: ${text}`);
      rmSync(tfDir, { recursive: true, force: true });
    }
  });

  it.runIf(COLLECT)("collected no failures", () => {
    expect(listFailures(t)).toBe("");
  });
});
