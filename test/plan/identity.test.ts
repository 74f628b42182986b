// The reader names each row (module, config address, type, name, key, moduleAddress) from templates shared by the
// instances of a resource, parsing only what differs. Whatever the order, nesting and spelling of the rows, the
// model must say what parsing each address whole says.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import path from "node:path";
import { configAddress, formatAddress, formatModulePath, parseAddress, parseModulePath, quoteKey, type ModuleStep, type ResourceAddress } from "../../src/plan/address.js";
import { buildPlan } from "../../src/plan/build.js";
import type { Plan } from "../../src/plan/model.js";
import { loadPlan } from "../../src/plan/read.js";
import { SensitiveValues } from "../../src/plan/values.js";
import { EXAMPLES } from "../helpers/paths.js";

interface Row {
  address: string;
  deposed?: string;
  module_address?: string;
  index?: string | number;
  type?: string;
  provider_name?: string;
  depends_on?: unknown[];
}

async function build(changes: Row[], prior: Row[]): Promise<Plan> {
  const doc = {
    format_version: "1.2",
    terraform_version: "1.11.0",
    resource_changes: changes.map((r) => ({ mode: "managed", type: "t", name: "n", provider_name: "p", ...r, change: { actions: ["no-op"], before: null, after: null } })),
    prior_state: { format_version: "1.0", values: { root_module: { resources: prior.map((r) => ({ mode: "managed", name: "n", ...r })) } } },
  };
  return buildPlan([Buffer.from(JSON.stringify(doc))], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json" });
}

/** What parsing the whole address says (the module_address, when given, names the module). */
function expected(r: Row): Record<string, unknown> {
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
    provider: r.provider_name ?? "p",
  };
}

/** Paths of the objects reachable from `v` that are not frozen (SensitiveValues keeps its own, hidden, values). */
function unfrozen(v: unknown, path = "plan", out: string[] = [], seen = new Set<object>()): string[] {
  if (v === null || typeof v !== "object" || seen.has(v) || v instanceof SensitiveValues) return out;
  seen.add(v);
  if (!Object.isFrozen(v)) out.push(path);
  for (const [k, x] of Object.entries(v)) unfrozen(x, `${path}.${k}`, out, seen);
  return out;
}

const ident = fc.constantFrom("a", "b", "app", "db-1", "x_y");
const key = fc.oneof(fc.nat(3), fc.constantFrom("k", "a.b", 'q"uo]te', "${x}", "é", "module.z.t"));
const step = fc.record({ name: ident, key: fc.option(key, { nil: undefined }) }, { requiredKeys: ["name"] });
/** Drops the undefined keys fast-check leaves in optional fields. */
const clean = <T>(a: T): T => JSON.parse(JSON.stringify(a)) as T;

/** A module path as Terraform writes it, or spelled another way the parser also reads (`[01]`, `\u0061`, `${`). */
function spell(steps: readonly ModuleStep[], odd: boolean): string {
  if (!odd) return formatModulePath(steps);
  return steps
    .map((m) => {
      if (m.key === undefined) return `module.${m.name}`;
      if (typeof m.key === "number") return `module.${m.name}[0${m.key}]`;
      const quoted = quoteKey(m.key);
      // Escape the key's first character, or write `${` as it is instead of `$${`.
      const alt = quoted.includes("$${") ? quoted.replace("$${", "${") : `"\\u${m.key.charCodeAt(0).toString(16).padStart(4, "0")}${quoted.slice(2)}`;
      return `module.${m.name}[${m.key === "" ? quoted : alt}]`;
    })
    .join(".");
}

/** A few module instances, so that rows of one module often follow each other, as in a plan. */
const modules = fc.array(fc.array(step, { maxLength: 3 }), { minLength: 1, maxLength: 3 });
const resource = fc.record({
  mode: fc.constantFrom("managed", "data", "ephemeral") as fc.Arbitrary<ResourceAddress["mode"]>,
  type: fc.constantFrom("aws_s3_bucket", "terraform_data", "t"),
  name: ident,
  key: fc.option(key, { nil: undefined }),
});
/** The address of a resource in module `m`, its module part spelled as terraform does or not. */
function addressIn(m: readonly ModuleStep[], r: Omit<ResourceAddress, "module">, odd: boolean): string {
  const mod = spell(m, odd);
  const res = formatAddress({ ...r, module: [] });
  return mod === "" ? res : `${mod}.${res}`;
}
/**
 * A row: in one of the module instances; its module_address that text, the canonical one, absent, or another
 * module's; an index field equal to the key or another; one of two providers.
 */
const rowSpec = fc.record({
  m: fc.nat(2),
  r: resource,
  odd: fc.boolean(),
  how: fc.constantFrom("same", "canonical", "absent", "other"),
  index: fc.constantFrom("none", "key", "another"),
  otherKey: key,
  provider: fc.constantFrom("p", "registry.terraform.io/hashicorp/aws"),
});
function rowOf(mods: readonly ModuleStep[][], spec: typeof rowSpec extends fc.Arbitrary<infer T> ? T : never): Row {
  const m = clean(mods[spec.m % mods.length]!);
  const res = clean(spec.r);
  const r: Row = { address: addressIn(m, res, spec.odd), provider_name: spec.provider };
  if (spec.how === "same") r.module_address = spell(m, spec.odd);
  if (spec.how === "canonical") r.module_address = formatModulePath(m);
  if (spec.how === "other") r.module_address = formatModulePath(clean(mods[(spec.m + 1) % mods.length]!));
  if (spec.index === "key" && res.key !== undefined) r.index = res.key;
  if (spec.index === "another") r.index = spec.otherKey;
  return r;
}
const deps = fc.array(fc.constantFrom("a.b", "module.m.t.x", "data.d.e", 7), { maxLength: 3 });

describe("row identity", () => {
  it("is what parsing each address whole says, in any order and spelling (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        modules,
        fc.array(rowSpec, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(2), resource, deps, fc.boolean(), fc.boolean()), { maxLength: 30 }),
        async (mods, specs, priors) => {
          const rows = specs.map((spec) => rowOf(mods, spec));
          const prior: Row[] = priors.map(([m, r, d, odd, otherType]) => ({
            address: addressIn(clean(mods[m % mods.length]!), clean(r), odd),
            type: otherType ? "other_type" : r.type,
            depends_on: d,
          }));
          const plan = await build(rows, prior);
          rows.forEach((r, i) => {
            const c = plan.changes[i]!;
            expect({ module: c.module, moduleAddress: c.moduleAddress, configAddress: c.configAddress, type: c.type, name: c.name, mode: c.mode, index: c.index, provider: c.provider }).toEqual(expected(r));
            expect(c.address).toBe(r.address);
          });
          // A row repeats an address whatever each one's module_address says: every repeat, and only those, noted.
          const repeats = rows.filter((r, i) => rows.findIndex((o) => o.address === r.address) < i).length;
          expect(plan.notes.filter((n) => n.code === "BG1103")).toHaveLength(repeats);
          prior.forEach((r, i) => {
            const p = plan.priorState![i]!;
            expect(p.configAddress).toBe(configAddress(parseAddress(r.address)));
            expect(p.dependsOn).toEqual(r.depends_on!.filter((d) => typeof d === "string"));
            expect(p.type).toBe(r.type);
          });
          expect(unfrozen(plan)).toEqual([]);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it("shares one module path among the instances of one module instance", async () => {
    const plan = await build(
      [{ address: 'module.a["k"].t.x[0]' }, { address: 'module.a["k"].t.y' }, { address: 'module.a["k"].t.x[1]', module_address: 'module.a["k"]' }, { address: "module.b.t.x" }],
      [{ address: 'module.a["k"].t.x[0]', type: "t", depends_on: ["t.z"] }, { address: 'module.a["k"].t.x[1]', type: "t", depends_on: ["t.z"] }],
    );
    const [x0, y, x1, other] = plan.changes;
    expect(x0!.module).toBe(y!.module);
    expect(x0!.module).toBe(x1!.module);
    expect(other!.module).not.toBe(x0!.module);
    expect(plan.priorState![0]!.dependsOn).toBe(plan.priorState![1]!.dependsOn);
  });

  it("leaves nothing unfrozen in a plan terraform wrote", async () => {
    const plan = await loadPlan(path.join(EXAMPLES, "incident/plan.json"));
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(unfrozen(plan)).toEqual([]);
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
    ["two dots after the module", "module.m[0]..t.x", "module.m[0]."],
  ])("rejects %s after rows of the same module were read", async (_, bad, moduleAddress = "module.m[0]") => {
    const err = await build([{ address: "module.m[0].t.x[1]", module_address: "module.m[0]" }, { address: bad, module_address: moduleAddress }], []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlastgateError);
    expect((err as BlastgateError).diagnostic.code).toBe("BG1011");
    expect((err as BlastgateError).diagnostic.location?.pointer).toBe("/resource_changes/1/address");
  });
});

describe("a malformed module_address", () => {
  it.each([
    ["a trailing dot", "module.a."],
    ["no module", "aws_x.y"],
    ["an unclosed key", 'module.a["k'],
  ])("with %s is refused where it is (BG1011), however the address reads", async (_, moduleAddress) => {
    const err = await build([{ address: "module.a.t.x", module_address: moduleAddress }], []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BlastgateError);
    const d = (err as BlastgateError).diagnostic;
    expect([d.code, d.location?.pointer]).toEqual(["BG1011", "/resource_changes/0/module_address"]);
    expect(d.message).toMatch(/^malformed module address at character \d+: /);
  });
});

describe("rows that appear twice", () => {
  it("are kept and noted (BG1103), a deposed object apart from the current one", async () => {
    const plan = await build(
      [
        { address: "t.a" },
        { address: "t.a", deposed: "d1" },
        { address: "t.b" },
        { address: "t.a" },
        { address: "t.a", deposed: "d1" },
        { address: "t.a", deposed: "d2" },
        { address: "t.a", deposed: "" },
      ],
      [],
    );
    expect(plan.changes).toHaveLength(7);
    expect(plan.notes.filter((n) => n.code === "BG1103").map((n) => [n.message, n.location?.pointer])).toEqual([
      ["resource change t.a appears more than once; every row is kept", "/resource_changes/3"],
      ["resource change t.a (deposed d1) appears more than once; every row is kept", "/resource_changes/4"],
      // An empty deposed key is the current object (policy findings are keyed the same way).
      ["resource change t.a appears more than once; every row is kept", "/resource_changes/6"],
    ]);
  });
});

