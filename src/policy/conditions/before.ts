// `before`: attributes and tags of the object as it was (the plan's `before` value), e.g. `tags.env = "prod"` or
// `deletion_protection = true`. This protects a resource even when its block (and its prevent_destroy) is deleted.

import { defineCondition } from "./types.js";

type Scalar = string | number | boolean | null;
type Expected = Scalar | Scalar[];

/**
 * Parses `tags.env`, `tags["kubernetes.io/name"]`, `rules[0].port` into path steps. Returns a problem string when
 * the path is malformed.
 */
export function parseAttributePath(text: string): (string | number)[] | string {
  const steps: (string | number)[] = [];
  let i = 0;
  const ident = /^[A-Za-z_][A-Za-z0-9_-]*/;
  const first = ident.exec(text);
  if (!first) return `attribute path "${text}" must start with an attribute name`;
  steps.push(first[0]);
  i = first[0].length;
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      const m = ident.exec(text.slice(i + 1));
      if (!m) return `attribute path "${text}" has no attribute name after "." at position ${i + 1}`;
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === "[") {
      const rest = text.slice(i);
      const num = /^\[(\d+)\]/.exec(rest);
      const str = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
      if (num) {
        steps.push(Number(num[1]));
        i += num[0].length;
      } else if (str) {
        steps.push(JSON.parse(`"${str[1]}"`) as string);
        i += str[0].length;
      } else return `attribute path "${text}" has a malformed index at position ${i + 1} (write [0] or ["key"])`;
    } else return `attribute path "${text}" has an unexpected character at position ${i + 1}`;
  }
  return steps;
}

function same(actual: unknown, expected: Scalar): boolean {
  if (actual === expected) return true;
  // Terraform converts between strings, numbers and bools freely; `"true"` and `true` mean the same to a policy author.
  const scalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  return scalar(actual) && scalar(expected) && String(actual) === String(expected);
}

const scalarSchema = { type: ["string", "number", "boolean", "null"] };

export default defineCondition<Record<string, Expected>>({
  id: "before",
  description: "attributes of the object before the change, path = value (tags.env = prod, deletion_protection = true); a list means any of",
  schema: {
    type: "object",
    minProperties: 1,
    additionalProperties: { anyOf: [scalarSchema, { type: "array", items: scalarSchema, minItems: 1 }], "x-expect": "a value, or a list of values (any of)" },
  },
  check(arg) {
    return Object.keys(arg).flatMap((k) => {
      const p = parseAttributePath(k);
      return typeof p === "string" ? [p] : [];
    });
  },
  evaluate(arg, { change }, ctx) {
    const values = change.values;
    // Only changes that destroy or replace an object carry values; anything else has no "before" to protect.
    if (values === undefined || !values.hasBefore) return false;
    return Object.entries(arg).every(([pathText, expected]) => {
      const path = parseAttributePath(pathText);
      if (typeof path === "string") throw new Error(path);
      const read = values.before(path);
      if (read.state === "sensitive" || read.state === "unknown") {
        // Cannot compare without reading a secret: select the change (fail closed) and say why.
        ctx.note(`${change.address}: \`${pathText}\` is ${read.state} in the plan, so it was treated as matching`);
        return true;
      }
      if (read.state === "absent") return false;
      const options = Array.isArray(expected) ? expected : [expected];
      return options.some((e) => same(read.value, e));
    });
  },
});
