// Checks a normalised policy document against the schema (ajv, compiled once) and the conditions' own checks, and
// turns every problem into a sentence with a JSON pointer. Pure.

import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { CONDITIONS_BY_KEY } from "./conditions/index.js";
import { LIMITS_BY_KEY } from "./limits/index.js";
import { buildPolicySchema, RULE_NAME_PATTERN } from "./schema.js";
import { nearest } from "./suggest.js";

/** One problem in a policy document, located by JSON pointer into the normalised document. */
export interface PolicyProblem {
  code: string;
  message: string;
  pointer: string;
  why?: string;
  fix?: string;
}

export const DOCS = "docs/policy.md";
export const CONDITION_DOCS = "docs/policy/conditions.md";

let compiled: ValidateFunction | undefined;

/** The ajv validator, compiled on first use and kept. */
export function policyValidator(): ValidateFunction {
  if (compiled === undefined) {
    // Loaded on first use: importing ajv costs more than most runs spend on policies.
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    // Annotation only: the phrase used when a value matches none of a union's branches.
    ajv.addKeyword({ keyword: "x-expect", schemaType: "string" });
    compiled = ajv.compile(buildPolicySchema());
  }
  return compiled;
}

function decode(seg: string): string {
  return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}
function encode(seg: string): string {
  return seg.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerSegments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map(decode);
}
export function joinPointer(base: string, ...segs: (string | number)[]): string {
  return base + segs.map((s) => "/" + encode(String(s))).join("");
}

function ruleNameAt(doc: unknown, index: string): string | undefined {
  const rules = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return undefined;
  const r = rules[Number(index)] as { name?: unknown } | undefined;
  return typeof r?.name === "string" ? r.name : undefined;
}

/** `rule "protect-db": when.action` for `/rules/0/when/action`; `allow_destroy[2]` for top-level keys. */
export function describePointer(doc: unknown, pointer: string): string {
  const segs = pointerSegments(pointer);
  let prefix = "";
  let rest = segs;
  if (segs[0] === "rules" && segs[1] !== undefined) {
    const name = ruleNameAt(doc, segs[1]);
    prefix = name !== undefined ? `rule "${name}"` : `rule #${Number(segs[1]) + 1}`;
    rest = segs.slice(2);
  }
  let path = "";
  for (const s of rest) path += /^\d+$/.test(s) ? `[${s}]` : path === "" ? s : `.${s}`;
  if (prefix === "") return path === "" ? "the file" : `\`${path}\``;
  return path === "" ? prefix : `${prefix}: \`${path}\``;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
}

const TYPE_WORDS: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  null: "null",
};

function allowedKeys(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function unknownKeyProblem(doc: unknown, e: ErrorObject): PolicyProblem {
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const pointer = joinPointer(e.instancePath, key);
  const segs = pointerSegments(e.instancePath);
  const inWhen = segs.length === 3 && segs[0] === "rules" && segs[2] === "when";
  const inLimits = segs.length === 3 && segs[0] === "rules" && segs[2] === "limits";
  const allowed = allowedKeys(e);
  const where = describePointer(doc, e.instancePath);
  if (inWhen) {
    const rule = ruleNameAt(doc, segs[1]!);
    const conditionKeys = [...CONDITIONS_BY_KEY.keys()].sort();
    const guess = nearest(key, [...conditionKeys, ...LIMITS_BY_KEY.keys()]);
    const isLimit = guess !== undefined && LIMITS_BY_KEY.has(guess);
    return {
      code: "BG2104",
      message: `policy rule "${rule ?? "?"}" uses unknown condition "${key}"`,
      pointer,
      why: "every key under `when` must name a registered condition; an unknown one would match nothing",
      fix: isLimit
        ? `${guess === key ? "" : `did you mean \`${guess}\`? `}\`${guess}\` is a limit: move it under \`limits\``
        : `${guess !== undefined ? `did you mean \`${guess}\`? ` : ""}known: ${conditionKeys.join(", ")}`,
    };
  }
  if (inLimits) {
    const rule = ruleNameAt(doc, segs[1]!);
    const limitKeys = [...LIMITS_BY_KEY.keys()].sort();
    const guess = nearest(key, [...limitKeys, ...CONDITIONS_BY_KEY.keys()]);
    const isCondition = guess !== undefined && CONDITIONS_BY_KEY.has(guess);
    return {
      code: "BG2105",
      message: `policy rule "${rule ?? "?"}" uses unknown limit "${key}"`,
      pointer,
      why: "every key under `limits` must name a known limit; an unknown one would never be checked",
      fix: isCondition
        ? `${guess === key ? "" : `did you mean \`${guess}\`? `}\`${guess}\` is a selector condition: move it under \`when\``
        : `${guess !== undefined ? `did you mean \`${guess}\`? ` : ""}known: ${limitKeys.join(", ")}`,
    };
  }
  const guess = nearest(key, allowed);
  return {
    code: "BG2103",
    message: `unknown key "${key}" in ${where}`,
    pointer,
    why: "policy files are checked strictly so a misspelt key cannot silently turn a rule off",
    fix: `${guess !== undefined ? `did you mean \`${guess}\`? ` : ""}allowed here: ${allowed.join(", ")}`,
  };
}

function schemaProblem(doc: unknown, e: ErrorObject): PolicyProblem {
  const where = describePointer(doc, e.instancePath);
  const base = { code: "BG2102", pointer: e.instancePath, why: "the policy file does not match the policy schema (schemas/policy.schema.json)" };
  switch (e.keyword) {
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { ...base, pointer: e.instancePath, message: `${where} is missing \`${missing}\``, fix: `add \`${missing}\` (see ${DOCS})` };
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = typeof e.data === "string" ? nearest(e.data, allowed) : undefined;
      return { ...base, message: `${where} is ${show(e.data)}, which is not one of ${allowed.join(", ")}`, fix: guess !== undefined ? `did you mean \`${guess}\`?` : `use one of: ${allowed.join(", ")}` };
    }
    case "anyOf": {
      const expect = (e.parentSchema as Record<string, unknown> | undefined)?.["x-expect"];
      return { ...base, message: `${where} must be ${typeof expect === "string" ? expect : "one of the allowed forms"} (found ${show(e.data)})`, fix: `see ${CONDITION_DOCS}` };
    }
    case "type": {
      const t = (e.params as { type: string | string[] }).type;
      const expected = (Array.isArray(t) ? t : t.split(",")).map((x) => TYPE_WORDS[x] ?? x).join(" or ");
      return { ...base, message: `${where} must be ${expected} (found ${show(e.data)})`, fix: `write it as ${expected}` };
    }
    case "const":
      return { ...base, message: `${where} must be ${show((e.params as { allowedValue: unknown }).allowedValue)} (found ${show(e.data)})`, fix: "this blastgate reads policy format version 1" };
    case "pattern": {
      const p = (e.params as { pattern: string }).pattern;
      const fix = p === RULE_NAME_PATTERN ? "use letters, digits, `-`, `_` and `.`, starting with a letter or digit" : "write the expiry as YYYY-MM-DD (valid through that day, UTC) or an ISO date-time such as 2025-06-30T18:00:00Z";
      return { ...base, message: `${where} has an invalid format (found ${show(e.data)})`, fix };
    }
    default:
      return { ...base, message: `${where} ${e.message ?? "is invalid"}`, fix: `see ${DOCS}` };
  }
}

/** Schema problems, one per ajv error, with a union's branch errors folded into one sentence. */
export function schemaProblems(doc: unknown): PolicyProblem[] {
  const validate = policyValidator();
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  const unions = errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath);
  const out: PolicyProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "anyOf" && unions.some((u) => e.instancePath === u || e.instancePath.startsWith(u + "/"))) continue;
    const p = e.keyword === "additionalProperties" ? unknownKeyProblem(doc, e) : schemaProblem(doc, e);
    const k = `${p.pointer}\u0000${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

/** Parses a waiver's `expires` into the first instant it no longer applies; undefined when not a real date. */
export function expiryInstant(expires: string): Date | undefined {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const t = Date.UTC(y, m - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
    // Valid through the whole named day, UTC.
    return new Date(t + 24 * 3600 * 1000);
  }
  const t = Date.parse(expires);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Checks the schema cannot express: condition arguments, real calendar dates. Run on a schema-valid document. */
export function semanticProblems(doc: unknown): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const rules = (doc as { rules?: unknown[] }).rules ?? [];
  rules.forEach((r, i) => {
    const rule = r as { name: string; when?: Record<string, unknown>; waivers?: { expires: string }[] };
    for (const [key, arg] of Object.entries(rule.when ?? {})) {
      const c = CONDITIONS_BY_KEY.get(key);
      for (const message of c?.check?.(arg) ?? []) {
        out.push({ code: "BG2109", message: `rule "${rule.name}": ${message}`, pointer: joinPointer("", "rules", i, "when", key), fix: `see ${CONDITION_DOCS}` });
      }
    }
    (rule.waivers ?? []).forEach((w, j) => {
      if (expiryInstant(w.expires) === undefined) {
        out.push({
          code: "BG2109",
          message: `rule "${rule.name}": waiver expiry "${w.expires}" is not a real date`,
          pointer: joinPointer("", "rules", i, "waivers", j, "expires"),
          fix: "write the expiry as YYYY-MM-DD (valid through that day, UTC) or an ISO date-time",
        });
      }
    });
  });
  return out;
}
