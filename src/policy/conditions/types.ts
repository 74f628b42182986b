// What a selector condition is: an id (the file name), the JSON Schema of its argument, and a per-change test.

import type { Analysis, DestructiveFinding } from "../../analysis/types.js";
import type { ChangeKind } from "../../plan/actions.js";
import type { Plan, ResourceChange } from "../../plan/model.js";
import { addressSetMatcher } from "../glob.js";
import type { PolicyContext } from "../model.js";

/** One resource change under test, with its analysis finding when the change is destructive. */
export interface Subject {
  change: ResourceChange;
  finding?: DestructiveFinding;
}

/** What a condition may read besides the change. Pure: no I/O, no clock other than `now`. */
export interface EvalContext {
  plan: Plan;
  analysis: Analysis;
  context: PolicyContext;
  now: Date;
  /** Records a note on the rule's result (a value that could not be compared, ...). */
  note(message: string): void;
}

/** A JSON Schema fragment (draft-07), as ajv takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * A selector condition. The key in policy files is the id with `-` replaced by `_` (`resource-type` is written
 * `resource_type`, like Terraform's own attribute names). The argument has been validated against `schema` before
 * `evaluate` sees it.
 */
export interface Condition<A = unknown> {
  /** kebab-case, equal to the file name and to the doc heading in docs/policy/conditions.md. */
  id: string;
  /** One line for docs and `did you mean` lists. */
  description: string;
  schema: JsonSchema;
  /** Checks beyond the schema, run when policies load; returns problems as sentences (none: valid). */
  check?(arg: A): string[];
  evaluate(arg: A, subject: Subject, ctx: EvalContext): boolean;
  /**
   * The change kinds `evaluate` can accept with this argument, when it depends on the kind (optional): a rule's
   * conditions are then evaluated only for changes of the kinds every such condition accepts. Must agree with
   * `evaluate` (test/policy/conditions/action.test.ts holds the action condition to it).
   */
  kinds?(arg: A): readonly ChangeKind[];
}

/** Types a condition's argument while registering it as a plain Condition. */
export function defineCondition<A>(c: Condition<A>): Condition {
  return c as unknown as Condition;
}

/** The policy-file key of a condition or limit id. */
export function keyOf(id: string): string {
  return id.replace(/-/g, "_");
}

/** Schema of "a string or a list of strings" (globs, reasons). */
export function stringOrList(what: string, item: JsonSchema = { type: "string", minLength: 1 }): JsonSchema {
  return {
    anyOf: [item, { type: "array", items: item, minItems: 1 }],
    "x-expect": `${what}, or a list of them`,
  };
}

/** Per analysis and finding id: whether an address is in those findings (built once; a finding can list thousands). */
const findingMatchers = new WeakMap<Analysis, Map<string, (address: string) => boolean>>();

/**
 * Whether `address` is covered by the addresses of the analysis's plan findings with id `id` (matched as address
 * patterns). With `emptyCoversAll`, a finding that lists no addresses covers every address.
 */
export function inFinding(analysis: Analysis, id: string, address: string, emptyCoversAll = false): boolean {
  let byId = findingMatchers.get(analysis);
  if (byId === undefined) findingMatchers.set(analysis, (byId = new Map()));
  const key = emptyCoversAll ? `${id}\u0000all` : id;
  let m = byId.get(key);
  if (m === undefined) {
    const findings = analysis.findings.filter((f) => f.id === id);
    m = emptyCoversAll && findings.some((f) => f.addresses.length === 0) ? () => true : addressSetMatcher(findings.flatMap((f) => f.addresses));
    byId.set(key, m);
  }
  return m(address);
}
