// The reader names each row (module, config address, type, name, key, moduleAddress) from templates shared by the
// instances of a resource, parsing only what differs. Whatever the order, nesting and spelling of the rows, the
// model must say what parsing each address whole says.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { configAddress, formatAddress, formatModulePath, parseAddress, parseModulePath, type ResourceAddress } from "../../src/plan/address.js";
import { buildPlan } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/model.js";

interface Row {
  address: string;
  deposed?: string;
  module_address?: string;
  index?: string | number;
  type?: string;
  depends_on?: unknown[];
}

async function build(changes: Row[], prior: Row[]): Promise<Plan> {
  const doc = {
    format_version: "1.2",
    terraform_version: "1.11.0",
    resource_changes: changes.map((r) => ({ ...r, mode: "managed", type: "t", name: "n", provider_name: "p", change: { actions: ["no-op"], before: null, after: null } })),
    prior_state: { format_version: "1.0", values: { root_module: { resources: prior.map((r) => ({ mode: "managed", name: "n", ...r })) } } },
  };
  return buildPlan([Buffer.from(JSON.stringify(doc))], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json" });
}

/** What parsing the whole address says (the module_address, when given, names the module). */
function expected(r: Row): { module: unknown; moduleAddress: string; configAddress: string; type: string; name: string; mode: string; index: unknown } {
  const a = parseAddress(r.address);
  const module = r.module_address !== undefined ? parseModulePath(r.module_address) : a.module;
  const index = typeof r.index === "number" || typeof r.index === "string" ? r.index : a.key;
  return {
    module,
    moduleAddress: r.module_address ?? formatModulePath(a.module),
    configAddress: configAddress({ ...a, module }),
    type: a.type,
    name: a.name,
    mode: a.mode,
    index,
  };
}

const ident = fc.constantFrom("a", "b", "app", "db-1", "x_y");
const key = fc.oneof(fc.nat(3), fc.constantFrom("k", "a.b", 'q"uo]te', "${x}", "é"));
const step = fc.record({ name: ident, key: fc.option(key, { nil: undefined }) }, { requiredKeys: ["name"] });
const address = fc.record({
  module: fc.array(step, { maxLength: 3 }),
  mode: fc.constantFrom("managed", "data", "ephemeral") as fc.Arbitrary<ResourceAddress["mode"]>,
  type: fc.constantFrom("aws_s3_bucket", "terraform_data", "t"),
  name: ident,
  key: fc.option(key, { nil: undefined }),
});
/** Drops the undefined keys fast-check leaves in optional fields. */
const clean = <T>(a: T): T => JSON.parse(JSON.stringify(a)) as T;
/** A row: its module_address as terraform writes it, absent, or naming another module. */
const row = fc.record({ a: address, how: fc.constantFrom("module_address", "absent", "other", "index"), other: fc.array(step, { maxLength: 2 }) }).map(({ a, how, other }): Row => {
  const addr = clean(a);
  const r: Row = { address: formatAddress(addr) };
  if (how === "module_address" || how === "index") r.module_address = formatModulePath(addr.module);
  if (how === "other") r.module_address = formatModulePath(clean(other));
  if (how === "index" && addr.key !== undefined) r.index = addr.key;
  return r;
});
const deps = fc.array(fc.constantFrom("a.b", "module.m.t.x", "data.d.e", 7), { maxLength: 3 });

describe("row identity", () => {
  it("is what parsing each address whole says, in any order (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(address, deps), { maxLength: 30 }), async (rows, priors) => {
        const prior: Row[] = priors.map(([a, d]) => ({ address: formatAddress(clean(a)), type: clean(a).type, depends_on: d }));
        const plan = await build(rows, prior);
        rows.forEach((r, i) => {
          const c = plan.changes[i]!;
          const e = expected(r);
          expect({ module: c.module, moduleAddress: c.moduleAddress, configAddress: c.configAddress, type: c.type, name: c.name, mode: c.mode, index: c.index }).toEqual(e);
          expect(c.address).toBe(r.address);
          expect(Object.isFrozen(c) && Object.isFrozen(c.module) && c.module.every((s) => Object.isFrozen(s))).toBe(true);
        });
        prior.forEach((r, i) => {
          const p = plan.priorState![i]!;
          expect(p.configAddress).toBe(configAddress(parseAddress(r.address)));
          expect(p.dependsOn).toEqual(r.depends_on!.filter((d) => typeof d === "string"));
          expect(p.type).toBe(r.type);
          expect(Object.isFrozen(p) && Object.isFrozen(p.dependsOn)).toBe(true);
        });
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it("reads keys spelled another way than terraform's (escapes) like any other", async () => {
    const rows: Row[] = [
      { address: 'module.m["\\u0041"].t.x["\\u0042"]' },
      { address: 'module.m["A"].t.x["B"]' },
      { address: 'module.m["\\u0041"].t.x[1]', module_address: 'module.m["\\u0041"]' },
    ];
    const plan = await build(rows, [{ address: 'module.m["\\u0041"].t.y', type: "t", depends_on: [] }, { address: 'module.m["A"].t.y', type: "t", depends_on: ["z.z"] }]);
    expect(plan.changes.map((c) => [c.configAddress, c.moduleAddress, c.index])).toEqual([
      ["module.m.t.x", 'module.m["A"]', "B"],
      ["module.m.t.x", 'module.m["A"]', "B"],
      ["module.m.t.x", 'module.m["\\u0041"]', 1],
    ]);
    expect(plan.priorState!.map((p) => [p.configAddress, p.dependsOn])).toEqual([
      ["module.m.t.y", []],
      ["module.m.t.y", ["z.z"]],
    ]);
  });

  it.each([
    ["a key that is not closed", 'module.m[0].t.x["k'],
    ["text after the key", "module.m[0].t.x[0]y"],
    ["a module without a resource", "module.m[0]"],
    ["a bad resource name", "module.m[0].t.1x"],
  ])("rejects %s after rows of the same module were read", async (_, bad) => {
    const err = await build([{ address: "module.m[0].t.x[1]", module_address: "module.m[0]" }, { address: bad, module_address: "module.m[0]" }], []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlastgateError);
    expect((err as BlastgateError).diagnostic.code).toBe("BG1011");
    expect((err as BlastgateError).diagnostic.location?.pointer).toBe("/resource_changes/1/address");
  });
});

describe("rows that appear twice", () => {
  it("are kept and noted once each (BG1103), a deposed object apart from the current one", async () => {
    const plan = await build(
      [
        { address: "t.a" },
        { address: "t.a", deposed: "d1" },
        { address: "t.b" },
        { address: "t.a" },
        { address: "t.a", deposed: "d1" },
        { address: "t.a", deposed: "d2" },
      ],
      [],
    );
    expect(plan.changes).toHaveLength(6);
    expect(plan.notes.filter((n) => n.code === "BG1103").map((n) => [n.message, n.location?.pointer])).toEqual([
      ["resource change t.a appears more than once; every row is kept", "/resource_changes/3"],
      ["resource change t.a (deposed d1) appears more than once; every row is kept", "/resource_changes/4"],
    ]);
  });
});

