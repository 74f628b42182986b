// Parses one policy file (HCL, YAML or JSON) into the normalised document, with a locator that maps a JSON pointer
// back to the line of the key in the source. Pure apart from hcl2json's WASM, which is loaded only for .hcl files.

import type { Document, DocumentOptions, LineCounter, Node, ParseOptions, SchemaOptions } from "yaml";
import { hcl2json, type Hcl2Json } from "../hcl2json.js";
import { locateJsonError } from "../plan/json-error.js";
import { joinPointer, pointerSegments, type PolicyProblem } from "./validate.js";

export type PolicyFormat = "hcl" | "yaml" | "json";

/** Line and column (1-based) of a pointer's key in the source. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface ParsedPolicy {
  file: string;
  format: PolicyFormat;
  /** The normalised document (HCL blocks turned into `rules` and `waivers`), not yet validated. */
  doc: unknown;
  locate(pointer: string): SourcePosition | undefined;
}

export interface ParseOutcome {
  parsed?: ParsedPolicy;
  /** Problems found while parsing and normalising; a syntax error has `position` set. */
  problems: (PolicyProblem & { position?: SourcePosition })[];
}

/** Largest policy file read; anything bigger is not a hand-written policy. */
export const MAX_POLICY_BYTES = 1024 * 1024;
/**
 * Most aliases one YAML file may expand. Anchors are handy for sharing a selector between rules; thousands of
 * expansions are an alias bomb ("billion laughs"), refused before the document is built.
 */
export const MAX_YAML_ALIASES = 64;

export function formatOf(file: string): PolicyFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith(".hcl")) return "hcl";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".json")) return "json";
  return undefined;
}

function lineColumn(text: string, offset: number): SourcePosition {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * The YAML parser, loaded on first use: a run with only the built-in set (read pre-parsed, see builtin-cache.ts) or
 * only HCL policies never needs it, and loading it is a tenth of the CLI's start-up.
 */
type YamlModule = typeof import("yaml");
let yamlModule: Promise<YamlModule> | undefined;
function loadYaml(): Promise<YamlModule> {
  return (yamlModule ??= import("yaml"));
}

/** Finds the node of a pointer in a YAML (or JSON-as-YAML) document; the position is that of the last key. */
function yamlLocator({ isMap, isPair, isScalar, isSeq }: YamlModule, doc: Document, lc: LineCounter): (pointer: string) => SourcePosition | undefined {
  return (pointer) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (doc.contents as Node | null)?.range?.[0];
    for (const seg of pointerSegments(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)];
        if (item === undefined) break;
        offset = (item as Node).range?.[0] ?? offset;
        node = item;
      } else break;
    }
    if (offset === undefined) return undefined;
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
}

const yamlOptions = (lineCounter: LineCounter): ParseOptions & DocumentOptions & SchemaOptions => ({
  lineCounter,
  version: "1.2",
  // The core schema only: no !!binary, !!set, !!omap, timestamps or language-specific tags.
  schema: "core",
  customTags: [],
  resolveKnownTags: false,
  merge: false,
  uniqueKeys: true,
  strict: true,
  // Fills in linePos on errors (the message is cut to its first line: no source is quoted).
  prettyErrors: true,
});

async function parseYaml(file: string, text: string): Promise<ParseOutcome> {
  const yaml = await loadYaml();
  const lc = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, yamlOptions(lc));
  const problems: ParseOutcome["problems"] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0];
    const first = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    problems.push({
      code: e.code === "TAG_RESOLVE_FAILED" ? "BG2107" : "BG2101",
      message: e.code === "TAG_RESOLVE_FAILED" ? `unsupported YAML tag: ${first.replace(/^Unresolved tag: /, "")}` : `YAML syntax error: ${first}`,
      pointer: "",
      why: e.code === "TAG_RESOLVE_FAILED" ? "policy files are read with the YAML core schema only; custom and language tags are refused" : "the file is not valid YAML",
      fix: e.code === "TAG_RESOLVE_FAILED" ? "remove the tag and write a plain string, number, boolean, list or map" : "fix the YAML at this line (a YAML linter shows the same error)",
      ...(pos ? { position: { line: pos.line, column: pos.col } } : {}),
    });
  }
  if (problems.length > 0) return { problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const bomb = /alias/i.test(message);
    return {
      problems: [
        {
          code: bomb ? "BG2107" : "BG2101",
          message: bomb ? `YAML aliases expand to too many nodes (more than ${MAX_YAML_ALIASES}): refused as a possible alias bomb` : `YAML could not be read: ${message}`,
          pointer: "",
          why: bomb ? "a few anchors can expand exponentially (\"billion laughs\") and exhaust memory" : "the file is not valid YAML",
          fix: bomb ? "write the repeated parts out, or use fewer aliases" : "fix the YAML",
        },
      ],
    };
  }
  return { parsed: { file, format: "yaml", doc: value, locate: yamlLocator(yaml, doc, lc) }, problems: [] };
}

async function parseJson(file: string, text: string): Promise<ParseOutcome> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const where = locateJsonError(body);
    const pos = lineColumn(body, where?.offset ?? 0);
    return { problems: [{ code: "BG2101", message: `JSON syntax error: ${where?.message ?? "invalid JSON"}`, pointer: "", why: "the file is not valid JSON", fix: "fix the JSON at this line (trailing commas and comments are not JSON)", position: pos }] };
  }
  // JSON is YAML 1.2, so the YAML parser gives key positions (and catches duplicate keys, which JSON.parse hides).
  const yaml = await loadYaml();
  const lc = new yaml.LineCounter();
  const doc = yaml.parseDocument(body, yamlOptions(lc));
  const problems: ParseOutcome["problems"] = [];
  for (const e of doc.errors) {
    if (e.code !== "DUPLICATE_KEY") continue;
    const pos = e.linePos?.[0];
    problems.push({ code: "BG2101", message: "JSON object has a duplicate key", pointer: "", why: "JSON.parse keeps only the last of duplicate keys, so one of them would be silently ignored", fix: "remove or merge the duplicate key", ...(pos ? { position: { line: pos.line, column: pos.col } } : {}) });
  }
  if (problems.length > 0) return { problems };
  const locate = doc.errors.length === 0 ? yamlLocator(yaml, doc, lc) : () => undefined;
  return { parsed: { file, format: "json", doc: value, locate }, problems: [] };
}

// ---- HCL ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keys of a rule that are single blocks in HCL (`when { ... }`), given by hcl2json as one-element arrays. */
const SINGLE_BLOCKS = ["when", "limits"];

/**
 * Normalises hcl2json output to the document shape: `rule "name" { ... }` → `rules: [{ name, ... }]`, `when {}` and
 * `limits {}` blocks → objects, `waiver {}` blocks → `waivers`, a block-form condition (`before { ... }`) → object.
 * Collects problems HCL adds: duplicate rule labels, repeated single blocks, unevaluated expressions.
 */
export function normaliseHcl(raw: Obj, order?: (label: string) => number): { doc: Obj; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const doc: Obj = {};
  for (const [k, v] of Object.entries(raw)) if (k !== "rule") doc[k] = v;
  if ("rule" in raw) {
    const rules: Obj[] = [];
    const byLabel = raw.rule;
    if (!isObj(byLabel)) {
      problems.push({ code: "BG2102", message: "`rule` must be a block with a name label: rule \"name\" { ... }", pointer: "/rules", fix: 'write rule "no-db-deletes" { severity = "fail" ... }' });
    } else {
      const entries = Object.entries(byLabel);
      if (order) entries.sort(([a], [b]) => order(a) - order(b));
      for (const [name, bodies] of entries) {
        const list = Array.isArray(bodies) ? bodies : [bodies];
        if (list.length > 1) problems.push({ code: "BG2108", message: `rule "${name}" is defined ${list.length} times`, pointer: joinPointer("", "rules", rules.length), fix: "give each rule a unique name" });
        const body = list[0];
        const rule: Obj = { name };
        if (isObj(body)) {
          for (const [k, v] of Object.entries(body)) {
            if (k === "waiver") rule.waivers = Array.isArray(v) ? v : [v];
            else if (SINGLE_BLOCKS.includes(k) && Array.isArray(v)) {
              if (v.length !== 1) problems.push({ code: "BG2106", message: `rule "${name}" has ${v.length} \`${k}\` blocks; write one`, pointer: joinPointer("", "rules", rules.length, k), fix: `merge the \`${k}\` blocks into one` });
              rule[k] = v[0];
            } else rule[k] = v;
          }
          const when = rule.when;
          if (isObj(when)) {
            for (const [k, v] of Object.entries(when)) {
              // `before { "tags.env" = "prod" }` as a block arrives as [{...}]; as an attribute it is already a map.
              if (Array.isArray(v) && v.length === 1 && isObj(v[0])) when[k] = v[0];
            }
          }
        }
        rules.push(rule);
      }
    }
    doc.rules = rules;
  }
  // hcl2json renders any expression it cannot reduce to a literal as "${...}": a policy is data, never evaluated.
  const walk = (v: unknown, pointer: string): void => {
    if (typeof v === "string" && /^\$\{[\s\S]*\}$/.test(v)) {
      problems.push({
        code: "BG2106",
        message: "expressions are not evaluated in policy files (variables, functions, arithmetic, interpolation)",
        pointer,
        why: "a policy is data: blastgate never evaluates HCL expressions",
        fix: "write a literal value (to write a literal `${`, escape it as `$${`)",
      });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, joinPointer(pointer, i)));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, joinPointer(pointer, k));
  };
  walk(doc, "");
  return { doc, problems };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Maps a pointer of the normalised document to a line of the HCL source by scanning for the rule's block and then for
 * each key in order (hcl2json gives no positions). Approximate but always within the right rule block.
 */
function hclLocator(text: string, doc: Obj): (pointer: string) => SourcePosition | undefined {
  const lines = text.split("\n");
  return (pointer) => {
    const segs = pointerSegments(pointer);
    let start = 0;
    let end = lines.length;
    let found: SourcePosition | undefined;
    let rest = segs;
    const find = (re: RegExp, from: number, to: number, nth = 0): number => {
      let seen = 0;
      for (let i = from; i < to; i++) {
        if (re.test(lines[i]!)) {
          if (seen === nth) return i;
          seen++;
        }
      }
      return -1;
    };
    if (segs[0] === "rules" && segs[1] !== undefined) {
      const rules = doc.rules as Obj[] | undefined;
      const name = rules?.[Number(segs[1])]?.name;
      if (typeof name !== "string") return undefined;
      const at = find(new RegExp(`^\\s*rule\\s+"${escapeRe(name)}"`), 0, lines.length);
      if (at < 0) return undefined;
      start = at;
      const next = find(/^\s*rule\s+"/, at + 1, lines.length);
      end = next < 0 ? lines.length : next;
      found = { line: at + 1, column: lines[at]!.search(/\S/) + 1 };
      rest = segs.slice(2);
    }
    for (let i = 0; i < rest.length; i++) {
      let seg = rest[i]!;
      let nth = 0;
      if (/^\d+$/.test(seg)) continue;
      if (seg === "waivers" && rest[i + 1] !== undefined && /^\d+$/.test(rest[i + 1]!)) {
        seg = "waiver";
        nth = Number(rest[i + 1]);
      }
      const at = find(new RegExp(`^\\s*"?${escapeRe(seg)}"?\\s*(=|\\{|:)`), start, end, nth);
      if (at < 0) break;
      start = at;
      found = { line: at + 1, column: lines[at]!.search(/\S/) + 1 };
    }
    return found;
  };
}

let hclParse: Hcl2Json["parse"] | undefined;

async function parseHcl(file: string, text: string): Promise<ParseOutcome> {
  // hcl2json is a WASM module (~350 ms to start): load it only when an .hcl policy is present.
  hclParse ??= (await hcl2json(file)).parse;
  let raw: Record<string, unknown>;
  try {
    raw = await hclParse(file, text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // "parse config: [file:2,14-3,1: Summary; Detail]"
    const m = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+)(?:;\s*([^\]]*))?/.exec(message);
    return {
      problems: [
        {
          code: "BG2101",
          message: `HCL syntax error: ${m ? m[3]!.trim() : message}`,
          pointer: "",
          why: m?.[4]?.trim() || "the file is not valid HCL",
          fix: "fix the HCL at this line",
          ...(m ? { position: { line: Number(m[1]), column: Number(m[2]) } } : {}),
        },
      ],
    };
  }
  // hcl2json returns blocks keyed by label (sorted); put the rules back in source order so results follow the file.
  const lines = text.split("\n");
  const lineOf = (name: string): number => {
    const i = lines.findIndex((l) => new RegExp(`^\\s*rule\\s+"${escapeRe(name)}"`).test(l));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const { doc, problems } = normaliseHcl(raw, lineOf);
  return { parsed: { file, format: "hcl", doc, locate: hclLocator(text, doc) }, problems };
}

/** Parses a policy file's text by its extension. */
export async function parsePolicyText(file: string, text: string, format: PolicyFormat | undefined = formatOf(file)): Promise<ParseOutcome> {
  if (format === "yaml") return parseYaml(file, text);
  if (format === "json") return parseJson(file, text);
  if (format === "hcl") return parseHcl(file, text);
  return { problems: [{ code: "BG2001", message: "not a policy file (expected .hcl, .yaml, .yml or .json)", pointer: "" }] };
}
