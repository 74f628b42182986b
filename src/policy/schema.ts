// The one JSON Schema of a policy file (after HCL is normalised), built from the condition and limit registries.
// schemas/policy.schema.json is this object, written out; a test keeps them equal.

import { CONDITIONS } from "./conditions/index.js";
import { keyOf, type Condition, type JsonSchema } from "./conditions/types.js";
import { LIMITS, type Limit } from "./limits/index.js";

export const POLICY_SCHEMA_ID = "https://blastgate.dev/schemas/policy.schema.json";

/** `2025-06-30` or an ISO 8601 date-time with a zone (`2025-06-30T18:00:00Z`). */
export const EXPIRES_PATTERN = "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$";

export const RULE_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

const stringList = (description: string): JsonSchema => ({ type: "array", items: { type: "string", minLength: 1 }, description });

function sortedEntries<T extends { id: string; schema: JsonSchema; description: string }>(reg: Record<string, T>): [string, JsonSchema][] {
  return Object.values(reg)
    .map((c): [string, JsonSchema] => [keyOf(c.id), { description: c.description, ...c.schema }])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Builds the policy-file schema (draft-07). Deterministic: keys sorted, so the published file diffs cleanly. */
export function buildPolicySchema(): JsonSchema {
  const conditions = Object.fromEntries(sortedEntries(CONDITIONS as Record<string, Condition>));
  const limits = Object.fromEntries(sortedEntries(LIMITS as Record<string, Limit>));
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: POLICY_SCHEMA_ID,
    title: "blastgate policy file",
    description:
      "Rules that pass, warn or fail a Terraform plan. Written in HCL, YAML or JSON; HCL `rule \"name\" { ... }` blocks and `waiver { ... }` blocks are normalised to `rules` and `waivers` before validation. See docs/policy.md.",
    type: "object",
    additionalProperties: false,
    properties: {
      version: { description: "Policy file format version.", const: 1 },
      include_default: { description: "Also load the built-in default rules; a rule here with the same name replaces the built-in one.", type: "boolean" },
      allow_destroy: stringList("Declared intent: address globs the change means to destroy (destroys inside pass with a note)."),
      ai_assistants: stringList("Extra names that mark a Co-authored-by line as a coding assistant (added to the built-in list)."),
      rules: { type: "array", items: { $ref: "#/definitions/rule" } },
    },
    definitions: {
      rule: {
        type: "object",
        additionalProperties: false,
        required: ["name", "severity", "description"],
        properties: {
          name: { description: "Unique rule name, shown in every result.", type: "string", pattern: RULE_NAME_PATTERN, maxLength: 100 },
          severity: { description: "fail makes the gate fail; warn is reported (fails only with --fail-on warn).", enum: ["fail", "warn"] },
          description: { description: "Shown to the reviewer: why the rule exists and what to do.", type: "string", minLength: 1 },
          when: { $ref: "#/definitions/when" },
          limits: { $ref: "#/definitions/limits" },
          require_approval: { description: "A violation passes when an approval exists for this exact plan (blastgate approve).", type: "boolean" },
          allow_intent: { description: "Whether destroys inside a declared allow-destroy are exempt (default: true, or false with require_approval).", type: "boolean" },
          waivers: { type: "array", items: { $ref: "#/definitions/waiver" } },
        },
      },
      when: {
        description: "The selector: every condition must hold. Without `action`, only destructive changes are selected.",
        type: "object",
        additionalProperties: false,
        properties: conditions,
      },
      limits: {
        description: "Maximums over the selected changes; none given means max_changes = 0.",
        type: "object",
        additionalProperties: false,
        properties: limits,
      },
      waiver: {
        type: "object",
        additionalProperties: false,
        required: ["addresses", "reason", "expires"],
        properties: {
          addresses: { description: "Address globs the rule is waived for.", type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
          reason: { description: "Why; shown in the result.", type: "string", minLength: 1 },
          expires: { description: "Last day the waiver applies (YYYY-MM-DD, UTC) or an ISO date-time; after it the waiver stops working and the result says so.", type: "string", pattern: EXPIRES_PATTERN },
        },
      },
    },
  };
}
