// References: parses a traversal (`module.m["k"].out`, `data.x.y[0].id`) into what it names, the way Terraform's
// addrs.ParseRef does, and undoes the extra prefixes the plan JSON lists for every reference (PLAN_FORMAT §3).

import type { InstanceKey } from "../plan/address.js";

type Step = { t: "attr"; name: string } | { t: "index"; key: InstanceKey } | { t: "splat" };

export type RefSubject =
  | {
      kind: "resource";
      mode: "managed" | "data" | "ephemeral";
      type: string;
      name: string;
      /** Set when the reference names one instance (`x.y[0]`); a splat or an expression index leaves it unset. */
      key?: InstanceKey;
      /** Set when more traversal follows the subject (`.id`). */
      rest: boolean;
      text: string;
    }
  | {
      kind: "module";
      name: string;
      key?: InstanceKey;
      /** The output named (`module.m.out`); unset for a whole-module reference. */
      output?: string;
      rest: boolean;
      text: string;
    }
  | { kind: "var" | "local"; name: string; text: string }
  /** `count.`, `each.`, `path.`, `terraform.`, `self`, for-expression and template variables: no dependency. */
  | { kind: "ignored"; text: string };

const IGNORED_ROOTS = new Set(["count", "each", "path", "terraform", "self", "action"]);

/** Reads a quoted HCL string at s[i] === '"'; returns the value and the index after the closing quote. */
function readQuoted(s: string, i: number): [string, number] | undefined {
  let out = "";
  i++;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') return [out, i + 1];
    if (ch === "\\") {
      const e = s[i + 1];
      if (e === "u" || e === "U") {
        const len = e === "u" ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return undefined;
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
        continue;
      }
      const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
      if (e === undefined || !(e in map)) return undefined;
      out += map[e];
      i += 2;
      continue;
    }
    if ((ch === "$" || ch === "%") && s[i + 1] === ch && s[i + 2] === "{") {
      out += ch + "{";
      i += 3;
      continue;
    }
    out += ch;
    i++;
  }
  return undefined;
}

const IDENT_AT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const DIGITS_AT = /\d+/y;

/** Matches a sticky regex at i; returns the match or undefined. */
function at(re: RegExp, s: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(s)?.[0];
}

/** Splits a traversal into a root and steps; stops (cutting the tail) at anything that is not a static step. */
export function parseTraversal(text: string): { root: string; steps: Step[] } | undefined {
  const s = text.trim();
  const root = at(IDENT_AT, s, 0);
  if (root === undefined) return undefined;
  const steps: Step[] = [];
  let i = root.length;
  // parseReference reads at most the first four steps and whether more follow; stopping at five keeps a hostile
  // multi-megabyte traversal (`a.a.a...`) from costing a regex and a slice per step (24 MB took a minute).
  while (i < s.length && steps.length < 5) {
    const ch = s[i];
    if (ch === ".") {
      const id = at(IDENT_AT, s, i + 1);
      if (id !== undefined) {
        steps.push({ t: "attr", name: id });
        i += 1 + id.length;
        continue;
      }
      const num = at(DIGITS_AT, s, i + 1);
      if (num !== undefined) {
        steps.push({ t: "index", key: Number(num) }); // legacy `x.0`
        i += 1 + num.length;
        continue;
      }
      if (s[i + 1] === "*") {
        steps.push({ t: "splat" });
        i += 2;
        continue;
      }
      break;
    }
    if (ch === "[") {
      const after = s[i + 1];
      if (after === "*" && s[i + 2] === "]") {
        steps.push({ t: "splat" });
        i += 3;
        continue;
      }
      if (after === '"') {
        const q = readQuoted(s, i + 1);
        if (!q || s[q[1]] !== "]") break;
        steps.push({ t: "index", key: q[0] });
        i = q[1] + 1;
        continue;
      }
      const num = at(DIGITS_AT, s, i + 1);
      if (num !== undefined && s[i + 1 + num.length] === "]") {
        steps.push({ t: "index", key: Number(num) });
        i += num.length + 2;
        continue;
      }
      break; // an index computed by an expression: the reference ends here
    }
    break;
  }
  return { root, steps };
}

function attrAt(steps: Step[], i: number): string | undefined {
  const s = steps[i];
  return s?.t === "attr" ? s.name : undefined;
}

/** What a reference names, after Terraform's addrs.ParseRef. Returns undefined for text that is no reference. */
export function parseReference(text: string): RefSubject | undefined {
  const tr = parseTraversal(text);
  if (!tr) return undefined;
  const { root, steps } = tr;
  if (IGNORED_ROOTS.has(root)) return { kind: "ignored", text };
  if (root === "var" || root === "local") {
    const name = attrAt(steps, 0);
    return name ? { kind: root, name, text } : undefined;
  }
  if (root === "module") {
    const name = attrAt(steps, 0);
    if (!name) return undefined;
    let i = 1;
    let key: InstanceKey | undefined;
    const st = steps[i];
    if (st?.t === "index") {
      key = st.key;
      i++;
    } else if (st?.t === "splat") {
      return { kind: "module", name, rest: true, text };
    }
    const output = attrAt(steps, i);
    if (output !== undefined) i++;
    const out: RefSubject = { kind: "module", name, rest: i < steps.length, text };
    if (key !== undefined) out.key = key;
    if (output !== undefined) out.output = output;
    return out;
  }
  let mode: "managed" | "data" | "ephemeral" = "managed";
  let type = root;
  let i = 0;
  if (root === "data" || root === "ephemeral" || root === "resource") {
    const t = attrAt(steps, 0);
    if (!t) return undefined;
    if (root !== "resource") mode = root;
    type = t;
    i = 1;
  }
  const name = attrAt(steps, i);
  if (!name) return { kind: "ignored", text }; // a single name: a for-expression or template variable
  i++;
  const out: RefSubject = { kind: "resource", mode, type, name, rest: false, text };
  const st = steps[i];
  if (st?.t === "index") {
    out.key = st.key;
    i++;
  } else if (st?.t === "splat") i++;
  out.rest = i < steps.length;
  return out;
}

function sameResource(a: RefSubject, b: RefSubject): boolean {
  return a.kind === "resource" && b.kind === "resource" && a.mode === b.mode && a.type === b.type && a.name === b.name;
}

/**
 * The subjects of one expression's `references` list, without the prefixes Terraform adds: for each reference the
 * list holds the full traversal, each shorter prefix, the subject, then the subject without its key
 * (`x.y[0]` -> `x.y`) or, for a module output, the module call (`module.m.out` -> `module.m`,
 * `module.m["k"].out` -> `module.m["k"]`). Those last extras would widen `x.y[0]` to every instance and a module
 * output to the whole module, so an extra that directly follows its subject is dropped
 * (hashicorp/terraform internal/command/jsonconfig/expression.go, marshalExpression).
 */
export function planReferences(list: readonly string[]): readonly RefSubject[] {
  const out: RefSubject[] = [];
  const seen = new Set<string>();
  let prev: RefSubject | undefined;
  // Each reference adds at most one extra, right after its subject; an extra never has one of its own.
  let prevWasExtra = false;
  for (const text of list) {
    const cur = parseReference(text);
    if (!cur) {
      prev = undefined;
      continue;
    }
    let extra = false;
    if (prev && !prevWasExtra && "rest" in prev && !prev.rest && "rest" in cur && !cur.rest) {
      // `x.y[0]` -> `x.y`
      if (cur.kind === "resource" && cur.key === undefined && prev.kind === "resource" && prev.key !== undefined && sameResource(cur, prev)) extra = true;
      if (cur.kind === "module" && cur.output === undefined && prev.kind === "module" && prev.name === cur.name) {
        // `module.m.out` -> `module.m`; `module.m["k"]` -> `module.m`
        if (cur.key === undefined && (prev.output !== undefined) !== (prev.key !== undefined)) extra = true;
        // `module.m["k"].out` -> `module.m["k"]`
        if (cur.key !== undefined && prev.output !== undefined && prev.key !== undefined && String(prev.key) === String(cur.key)) extra = true;
      }
    }
    prevWasExtra = extra;
    // A shorter prefix of the previous reference names the same subject: keep the subject once.
    prev = cur;
    if (extra) continue;
    const key = subjectKey(cur);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(cur);
  }
  return out;
}

/** A key that is equal for two references naming the same thing (`x.y.id` and `x.y`). */
export function subjectKey(s: RefSubject): string {
  switch (s.kind) {
    case "resource":
      return `r|${s.mode}|${s.type}|${s.name}|${s.key === undefined ? "" : typeof s.key + ":" + String(s.key)}`;
    case "module":
      return `m|${s.name}|${s.key === undefined ? "" : typeof s.key + ":" + String(s.key)}|${s.output ?? ""}`;
    case "var":
    case "local":
      return `${s.kind}|${s.name}`;
    case "ignored":
      return "ignored";
  }
}

/** sourceReferences' answers by list: a list read from sources is walked once per resource or instance reaching it. */
const parsedLists = new WeakMap<readonly string[], readonly RefSubject[]>();

/**
 * Subjects of references written in sources (one full traversal each, no JSON prefixes), parsed once per list (the
 * lists are the parsed sources' own, which nothing changes).
 */
export function sourceReferences(list: readonly string[]): readonly RefSubject[] {
  const known = parsedLists.get(list);
  if (known !== undefined) return known;
  const out: RefSubject[] = [];
  const seen = new Set<string>();
  for (const text of list) {
    const s = parseReference(text);
    if (!s) continue;
    const k = subjectKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  parsedLists.set(list, out);
  return out;
}
