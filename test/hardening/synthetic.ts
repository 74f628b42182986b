// Synthetic plans for the hostile suite: a fast-check model of resources, modules, references and prior state
// whose names come from a pool of hostile ones (`__proto__`, `constructor`, ANSI escapes, ...), turned into plan
// JSON shaped like `terraform show -json` output (PLAN_FORMAT.md §3).

import fc from "fast-check";
import { HOSTILE_NAMES, HOSTILE_STRINGS } from "./mutate.js";
import { formatKey } from "../../src/plan/address.js";

/** Identifiers Terraform accepts, hostile ones included. */
export const NAMES = ["a", "b", "db", "x-y", "_", ...HOSTILE_NAMES.filter((n) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(n))];
export const TYPES = ["aws_db_instance", "aws_s3_bucket", "terraform_data", "aws_security_group", "google_project_iam_member", "constructor", "__proto__", "toString"];
export const ACTIONS: string[][] = [["no-op"], ["create"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"], ["forget"], ["read"], ["create", "forget"], ["frobnicate"], []];
export const REASONS = [undefined, "replace_because_cannot_update", "delete_because_no_module", "delete_because_each_key", "replace_by_request", "constructor", "__proto__", "toString", "\u001b[31mreason"];

export type Key = string | number | undefined;

export interface ModelResource {
  module: { name: string; key: Key }[];
  type: string;
  name: string;
  key: Key;
  actions: string[];
  reason: string | undefined;
  deposed: string | undefined;
  /** Indexes of other resources (possibly out of range: dangling) this one references / depends on. */
  refs: number[];
  dependsOn: number[];
  stateDependsOn: number[];
  inState: boolean;
  replacePaths: (string | number)[][];
}

export interface Model {
  resources: ModelResource[];
  outputs: string[];
  variables: string[];
  providerKeys: string[];
  errored: boolean | undefined;
  complete: boolean | undefined;
}

const key: fc.Arbitrary<Key> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.nat({ max: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES, ...HOSTILE_STRINGS, "k") },
);
const name = fc.constantFrom(...NAMES);

const resource: fc.Arbitrary<ModelResource> = fc.record({
  module: fc.array(fc.record({ name, key }), { maxLength: 3 }),
  type: fc.constantFrom(...TYPES),
  name,
  key,
  actions: fc.constantFrom(...ACTIONS),
  reason: fc.constantFrom(...REASONS),
  deposed: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("385ccc7d", "__proto__") }),
  refs: fc.array(fc.nat({ max: 30 }), { maxLength: 4 }),
  dependsOn: fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
  stateDependsOn: fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
  inState: fc.boolean(),
  replacePaths: fc.array(fc.array(fc.oneof(name, fc.nat({ max: 3 })), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
});

export const model: fc.Arbitrary<Model> = fc.record({
  resources: fc.array(resource, { maxLength: 25 }),
  outputs: fc.array(name, { maxLength: 4 }),
  variables: fc.array(name, { maxLength: 4 }),
  providerKeys: fc.array(name, { maxLength: 3 }),
  errored: fc.constantFrom(undefined, true, false),
  complete: fc.constantFrom(undefined, true, false),
});

/** An instance key as Terraform prints it in an address (`[0]`, `["k"]`, HCL-quoted): the reader's own formatKey. */
export function quote(k: Key): string {
  return formatKey(k);
}

export function moduleAddress(r: ModelResource): string {
  return r.module.map((m) => `module.${m.name}${quote(m.key)}`).join(".");
}

export function address(r: ModelResource): string {
  const mod = moduleAddress(r);
  const res = `${r.type}.${r.name}${quote(r.key)}`;
  return mod ? `${mod}.${res}` : res;
}

export function configAddress(r: ModelResource): string {
  return [...r.module.map((m) => `module.${m.name}`), `${r.type}.${r.name}`].join(".");
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function obj(): Record<string, unknown> {
  return {};
}

/** The plan JSON for a model: rows, configuration (modules, refs, depends_on, outputs, variables), prior_state. */
export function planJson(m: Model, extra: { secretValue?: string } = {}): Record<string, unknown> {
  const rs = m.resources;
  const rel = (i: number): string => (rs[i] ? `${rs[i]!.type}.${rs[i]!.name}` : `aws_missing.r${i}`);
  const rows = rs.map((r) => {
    const row: Record<string, unknown> = {
      address: address(r),
      mode: "managed",
      type: r.type,
      name: r.name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: r.actions,
        before: r.actions.includes("create") && r.actions.length === 1 ? null : { id: "i-1", password: extra.secretValue ?? "pw" },
        after: r.actions.includes("delete") && r.actions.length === 1 ? null : { id: "i-2", password: extra.secretValue ?? "pw" },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
        after_unknown: {},
        replace_paths: r.replacePaths,
      },
    };
    if (r.module.length > 0) row.module_address = moduleAddress(r);
    if (r.key !== undefined) row.index = r.key;
    if (r.reason !== undefined) row.action_reason = r.reason;
    if (r.deposed !== undefined) row.deposed = r.deposed;
    return row;
  });
  // Configuration: one module tree; each resource block lives at its module path (keys stripped).
  const root: Record<string, unknown> = { resources: [], module_calls: obj(), outputs: obj(), variables: obj() };
  const moduleAt = (steps: { name: string }[]): Record<string, unknown> => {
    let cur = root;
    for (const s of steps) {
      const calls = cur.module_calls as Record<string, unknown>;
      if (!Object.hasOwn(calls, s.name)) {
        setOwn(calls, s.name, {
          source: "./m",
          expressions: { [s.name]: { references: [`var.${s.name}`] } },
          for_each_expression: { references: [`var.${s.name}`] },
          depends_on: [`module.${s.name}`, "aws_missing.nope"],
          module: { resources: [], module_calls: obj(), outputs: obj(), variables: obj() },
        });
      }
      cur = (calls[s.name] as { module: Record<string, unknown> }).module;
    }
    return cur;
  };
  const seen = new Set<string>();
  rs.forEach((r, i) => {
    if (seen.has(configAddress(r))) return;
    seen.add(configAddress(r));
    const mod = moduleAt(r.module);
    const references = r.refs.flatMap((j) => [`${rel(j)}.id`, rel(j)]);
    (mod.resources as unknown[]).push({
      address: `${r.type}.${r.name}`,
      mode: "managed",
      type: r.type,
      name: r.name,
      provider_config_key: m.providerKeys[i % Math.max(1, m.providerKeys.length)] ?? "aws",
      expressions: { password: { references }, tags: { constant_value: { secret: extra.secretValue ?? "v" } }, nested: [{ id: { references: references.slice(0, 2) } }] },
      count_expression: { references: r.refs.slice(0, 1).map((j) => `${rel(j)}.id`) },
      depends_on: r.dependsOn.map((j) => (j % 3 === 0 ? `module.${NAMES[j % NAMES.length]}` : rel(j))),
      schema_version: 0,
    });
  });
  for (const o of m.outputs) setOwn(root.outputs as Record<string, unknown>, o, { sensitive: true, expression: { references: rs.slice(0, 2).map((r) => `${r.type}.${r.name}`) } });
  for (const v of m.variables) setOwn(root.variables as Record<string, unknown>, v, { sensitive: true, default: extra.secretValue ?? "d" });
  const providerConfig: Record<string, unknown> = {};
  for (const k of m.providerKeys) setOwn(providerConfig, k, { name: k, expressions: { region: { references: [`var.${k}`, "aws_missing.nope"] } } });
  const variables: Record<string, unknown> = {};
  for (const v of m.variables) setOwn(variables, v, { value: extra.secretValue ?? "v" });
  const outputChanges: Record<string, unknown> = {};
  for (const o of m.outputs) setOwn(outputChanges, o, { actions: ["update"], before: extra.secretValue ?? "o", after: extra.secretValue ?? "o", before_sensitive: true, after_sensitive: true, after_unknown: false });
  const prior = rs
    .filter((r) => r.inState && !r.actions.includes("create"))
    .map((r) => {
      const res: Record<string, unknown> = {
        address: address(r),
        mode: "managed",
        type: r.type,
        name: r.name,
        provider_name: "registry.terraform.io/hashicorp/aws",
        values: { password: extra.secretValue ?? "pw" },
        sensitive_values: { password: true },
        depends_on: r.stateDependsOn.map((j) => (rs[j] ? configAddress(rs[j]!) : `aws_missing.s${j}`)),
      };
      if (r.key !== undefined) res.index = r.key;
      if (r.deposed !== undefined) res.deposed_key = r.deposed;
      return res;
    });
  const doc: Record<string, unknown> = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables,
    planned_values: { root_module: { resources: [] } },
    resource_changes: rows,
    output_changes: outputChanges,
    prior_state: { format_version: "1.0", values: { root_module: { resources: prior } } },
    configuration: { provider_config: providerConfig, root_module: root },
  };
  if (m.errored !== undefined) doc.errored = m.errored;
  if (m.complete !== undefined) doc.complete = m.complete;
  return doc;
}
