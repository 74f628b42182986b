// Turns policy file texts into one PolicySet: parse, normalise, validate, merge; every problem in one pass. Pure
// (the built-in default files are handed in by the caller).

import { BlastgateError, type Diagnostic } from "../diagnostics/index.js";
import type { IntentDeclaration, PolicySet, Rule, Waiver } from "./model.js";
import { parsePolicyText, type ParsedPolicy, type SourcePosition } from "./parse.js";
import { DOCS, expiryInstant, joinPointer, schemaProblems, semanticProblems, type PolicyProblem } from "./validate.js";

/** A policy file's text and where it came from. */
export interface PolicySource {
  /** The path as given (relative paths stay relative, so messages and reports are stable). */
  file: string;
  text: string;
  builtin?: boolean;
  /** The text already parsed (the built-in set, from the cache made when blastgate was built: builtin-cache.ts). */
  parsed?: ParsedPolicy;
}

/**
 * Bad policy files: every problem found, each a Diagnostic with file, line and pointer. `diagnostic` (what a plain
 * BlastgateError handler renders) is the first, its message saying how many there are; render `diagnostics` for all.
 */
export class PolicyLoadError extends BlastgateError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0]!;
    const more = diagnostics.length - 1;
    super(more > 0 ? { ...first, message: `${first.message} (1 of ${diagnostics.length} problems in policy files)` } : first);
    this.name = "PolicyLoadError";
    this.diagnostics = diagnostics;
  }
}

function toDiagnostic(file: string, p: PolicyProblem & { position?: SourcePosition }, locate?: (pointer: string) => SourcePosition | undefined): Diagnostic {
  const pos = p.position ?? (locate ? locate(p.pointer) : undefined);
  const location: Diagnostic["location"] = { file };
  if (pos) {
    location.line = pos.line;
    location.column = pos.column;
  }
  if (p.pointer !== "") location.pointer = p.pointer;
  const d: Diagnostic = { code: p.code, severity: "error", message: p.message, location };
  if (p.why !== undefined) d.why = p.why;
  d.fix = p.fix ?? `see ${DOCS}`;
  return d;
}

interface RawRule {
  name: string;
  severity: "fail" | "warn";
  description: string;
  when?: Record<string, unknown>;
  limits?: Record<string, number>;
  require_approval?: boolean;
  allow_intent?: boolean;
  waivers?: { addresses: string[]; reason: string; expires: string }[];
}

interface RawDoc {
  version?: 1;
  include_default?: boolean;
  allow_destroy?: string[];
  ai_assistants?: string[];
  rules?: RawRule[];
}

interface Checked {
  parsed: ParsedPolicy;
  doc: RawDoc;
  builtin: boolean;
}

async function check(sources: readonly PolicySource[], diags: Diagnostic[]): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const src of sources) {
    const { parsed, problems } = src.parsed !== undefined ? { parsed: src.parsed, problems: [] } : await parsePolicyText(src.file, src.text);
    for (const p of problems) diags.push(toDiagnostic(src.file, p, parsed?.locate));
    if (!parsed || problems.length > 0) continue;
    // A built-in document from the build's cache was checked against the schema when the build made it
    // (scripts/builtin-policies.mjs): skipping ajv then saves compiling the schema on every run without policies of
    // one's own. Any other document, a built-in file edited after the build included, is checked here.
    const schema = src.builtin === true && src.parsed !== undefined ? [] : schemaProblems(parsed.doc);
    const semantic = schema.length === 0 ? semanticProblems(parsed.doc) : [];
    for (const p of [...schema, ...semantic]) diags.push(toDiagnostic(src.file, p, parsed.locate));
    if (schema.length === 0 && semantic.length === 0) out.push({ parsed, doc: parsed.doc as RawDoc, builtin: src.builtin === true });
  }
  return out;
}

function toRule(r: RawRule, c: Checked, index: number): Rule {
  const pointer = joinPointer("", "rules", index);
  const line = c.parsed.locate(pointer)?.line;
  const waivers: Waiver[] = (r.waivers ?? []).map((w) => ({ addresses: w.addresses, reason: w.reason, expires: w.expires, expiresAt: expiryInstant(w.expires)! }));
  const requireApproval = r.require_approval === true;
  return {
    name: r.name,
    severity: r.severity,
    description: r.description,
    when: r.when ?? {},
    limits: r.limits ?? {},
    requireApproval,
    // A sign-off cannot be self-declared: by default intent does not satisfy a rule that requires approval.
    allowIntent: r.allow_intent ?? !requireApproval,
    waivers,
    origin: { file: c.parsed.file, pointer, ...(line !== undefined ? { line } : {}), builtin: c.builtin },
  };
}

/**
 * Parses, validates and merges policy files. `loadDefaults` supplies the built-in default set; it is called when a
 * file sets `include_default: true` (and its rules are replaced by same-named user rules).
 * @throws PolicyLoadError listing every problem (exit 2).
 */
export async function compilePolicies(sources: readonly PolicySource[], loadDefaults?: () => Promise<PolicySource[]>): Promise<PolicySet> {
  const diags: Diagnostic[] = [];
  const user = await check(sources, diags);
  const wantsDefaults = user.some((c) => c.doc.include_default === true);
  const defaults = wantsDefaults && loadDefaults ? await check(await loadDefaults(), diags) : [];

  const rules: Rule[] = [];
  const byName = new Map<string, Rule>();
  for (const c of user) {
    (c.doc.rules ?? []).forEach((r, i) => {
      const rule = toRule(r, c, i);
      const prior = byName.get(r.name);
      if (prior) {
        const pos = c.parsed.locate(joinPointer("", "rules", i, "name")) ?? c.parsed.locate(rule.origin.pointer);
        diags.push({
          code: "BG2108",
          severity: "error",
          message: `rule "${r.name}" is defined twice`,
          location: { file: c.parsed.file, pointer: rule.origin.pointer, ...(pos ? { line: pos.line, column: pos.column } : {}) },
          why: `it is also defined in ${prior.origin.file}${prior.origin.line !== undefined ? `:${prior.origin.line}` : ""}; results are reported by rule name`,
          fix: "rename one of them, or delete the copy",
        });
        return;
      }
      byName.set(r.name, rule);
      rules.push(rule);
    });
  }
  for (const c of defaults) {
    (c.doc.rules ?? []).forEach((r, i) => {
      // A user rule with the same name replaces the built-in one.
      if (!byName.has(r.name)) {
        const rule = toRule(r, c, i);
        byName.set(r.name, rule);
        rules.push(rule);
      }
    });
  }
  if (diags.length === 0 && rules.length === 0 && sources.length > 0) {
    diags.push({
      code: "BG2002",
      severity: "error",
      message: "the policy files define no rules",
      location: { file: sources[0]!.file },
      why: "a gate with no rules would pass every plan",
      fix: "add rules, or set `include_default: true` to use the built-in default set",
    });
  }
  if (diags.length > 0) throw new PolicyLoadError(diags);

  const all = [...user, ...defaults];
  const allowDestroy: IntentDeclaration[] = all.filter((c) => (c.doc.allow_destroy ?? []).length > 0).map((c) => ({ source: c.parsed.file, patterns: c.doc.allow_destroy! }));
  const aiAssistants = [...new Set(all.flatMap((c) => c.doc.ai_assistants ?? []))];
  return { rules, allowDestroy, aiAssistants, files: all.map((c) => c.parsed.file) };
}
