// A large plan's prior_state is read by a second thread (src/plan/prior-helper.ts). The thread runs compiled code, so
// these tests load the built library (dist/, made by `npm test`'s pretest build) and lower the size threshold to 0.
// Whatever the document, reading with the helper must give what reading alone gives: the same model or the same error.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { LoadOptions } from "../../src/plan/read.js";
import type { Plan } from "../../src/plan/model.js";
import { CORPUS, EXAMPLES, HAS_CORPUS, ROOT, listJson } from "../helpers/paths.js";

const DIST = path.join(ROOT, "dist", "index.js");
const HAS_DIST = existsSync(DIST) && existsSync(path.join(ROOT, "dist", "plan", "prior-worker.js"));
if (!HAS_DIST) console.warn("prior_state helper tests skipped: dist/ is not built (run `npm run build`; `npm test` does)");

type Load = (input: string, opts?: LoadOptions) => Promise<Plan>;
const lib = HAS_DIST ? ((await import(pathToFileURL(DIST).href)) as { loadPlan: Load }) : undefined;

/** The model, or the error, as text. */
async function outcome(file: string, helper: "found" | "done" | false): Promise<string> {
  try {
    const plan = await lib!.loadPlan(file, helper ? { priorHelperMinBytes: 0, priorHelperWait: helper } : { priorHelper: false });
    return JSON.stringify(plan);
  } catch (e) {
    return `error: ${JSON.stringify(e)} ${String(e)}`;
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), "blastgate-prior-helper-"));
function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
}

const plan = (prior: string, before = "", after = ""): string =>
  `{"format_version":"1.2",${before}"resource_changes":[{"address":"t.a","mode":"managed","type":"t","name":"a","change":{"actions":["delete"],"before":{"id":"x"},"after":null}},` +
  `{"address":"module.m.t.b[0]","module_address":"module.m","mode":"managed","type":"t","name":"b","index":0,"change":{"actions":["no-op"],"before":{},"after":{}}}],` +
  `"prior_state":${prior}${after}}`;
const state = (resources: string): string => `{"format_version":"1.0","values":{"root_module":{"resources":[${resources}],"child_modules":[{"address":"module.m","resources":[{"address":"module.m.t.b[0]","mode":"managed","type":"t","name":"b","index":0,"values":{"id":"y"},"depends_on":["t.a"]}]}]}}}`;
const res = '{"address":"t.a","mode":"managed","type":"t","name":"a","values":{"id":"x"},"depends_on":["module.m.t.b"]}';

describe.skipIf(!HAS_DIST)("prior_state read by a second thread", () => {
  const files = [...listJson(EXAMPLES), ...(HAS_CORPUS ? listJson(CORPUS) : [])];

  it.each(files.map((f) => [path.relative(ROOT, f), f]))("%s: the same model or error as reading alone", async (_name, f) => {
    const alone = await outcome(f, false);
    expect(await outcome(f, "done")).toBe(alone);
    expect(await outcome(f, "found")).toBe(alone);
  });

  const cases: [string, string][] = [
    ["an ordinary plan", plan(state(res))],
    ["pretty-printed", JSON.stringify(JSON.parse(plan(state(res))), null, 2)],
    ["a variable named prior_state before the real one", plan(state(res), '"variables":{"prior_state":{"value":1}},')],
    ["a nested key named prior_state in a value before it", plan(state(res)).replace('"before":{"id":"x"}', '"before":{"prior_state":{"values":{"root_module":{"resources":[]}}}}')],
    ["prior_state twice", plan(state(res), "", `,"prior_state":${state("")}`)],
    // The helper must stop at the end of the first value: what lies between the two is the main reader's to read.
    ["prior_state twice with configuration between", plan(state(res), "", `,"configuration":{"root_module":{"resources":[]}},"prior_state":${state("")}`)],
    ["prior_state twice with a state's values key between", plan(state(res), "", `,"values":{},"prior_state":${state("")}`)],
    ["prior_state null", plan("null")],
    ["prior_state a string", plan('"x"')],
    ["no resources", plan('{"format_version":"1.0","values":{"root_module":{}}}')],
    ["a state resource without an address", plan(state('{"mode":"managed","type":"t","name":"a"}'))],
    ["a state resource with a bad address", plan(state('{"address":"t..a","mode":"managed","type":"t","name":"a"}'))],
    ["a syntax error inside prior_state", plan(state(res)).replace('"depends_on":["t.a"]', '"depends_on":["t.a" "x"]')],
    ["a syntax error after prior_state", plan(state(res), "", ',"configuration":{"root_module":{]}')],
    ["cut short inside prior_state", plan(state(res)).slice(0, plan(state(res)).indexOf('"child_modules"') + 20)],
    ["cut short just after prior_state", plan(state(res)).slice(0, -1)],
    ["a syntax error before prior_state", plan(state(res)).replace('"name":"a"', '"name" "a"')],
    // Named from a change's row, or not: state-only resources, a row whose module_address names another module, a
    // tainted and a deposed object, one with a mode and type of its own, and no depends_on.
    [
      "state resources with and without a change",
      plan(
        state(
          res +
            ',{"address":"data.t.d","mode":"data","type":"t","name":"d","values":{}},' +
            '{"address":"t.a","mode":"managed","type":"t","name":"a","deposed_key":"00ab","values":{},"depends_on":["data.t.d"]},' +
            '{"address":"t.c","mode":"managed","type":"t","name":"c","tainted":true,"values":{}},' +
            '{"address":"t.e","mode":"other","type":"u","name":"e","values":{},"depends_on":["t.a","data.t.d"]},' +
            '{"address":"module.n.t.f","mode":"managed","type":"t","name":"f","values":{}}',
        ),
      ).replace('"resource_changes":[', '"resource_changes":[{"address":"module.n.t.f","module_address":"module.x","mode":"managed","type":"t","name":"f","change":{"actions":["delete"],"before":{},"after":null}},'),
    ],
  ];
  it.each(cases)("%s: the same model or error as reading alone", async (name, text) => {
    const f = write(`${name.replace(/\W+/g, "-")}.json`, text);
    const alone = await outcome(f, false);
    expect(await outcome(f, "done")).toBe(alone);
    expect(await outcome(f, "found")).toBe(alone);
  });

  it("the helper's resources are what reading alone gives, in order, frozen", async () => {
    const f = write("order.json", plan(state(res)));
    const helped = await lib!.loadPlan(f, { priorHelperMinBytes: 0, priorHelperWait: "done" });
    expect(helped.priorState?.map((p) => [p.address, p.configAddress, p.dependsOn])).toEqual([
      ["t.a", "t.a", ["module.m.t.b"]],
      ["module.m.t.b[0]", "module.m.t.b", ["t.a"]],
    ]);
    expect(Object.isFrozen(helped.priorState) && helped.priorState!.every((p) => Object.isFrozen(p) && Object.isFrozen(p.dependsOn))).toBe(true);
    expect(readFileSync(f, "utf8")).toContain('"prior_state"');
  });
});
