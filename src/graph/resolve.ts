// Follows one resource's references through everything that is not a resource (locals, module variables and
// outputs, module expansion, whole-module closers, provider configurations) to the resources it depends on,
// the way `terraform graph` contracts its plan graph (PLAN_FORMAT §3, §6). Works on instance patterns: a scope
// is a module path whose steps carry a concrete key or ANY, so one walk serves both graph levels.

import { quoteKey, type InstanceKey } from "../plan/address.js";
import { providerFor, type ConfigIndex, type Hop, type ModNode, type ResNode } from "./config-index.js";
import { parseReference, planReferences, sourceReferences, type RefSubject } from "./refs.js";
import type { EdgeVia } from "./types.js";

const NO_TEXT: readonly string[] = [];

/** Matches any instance key (including none). */
export const ANY: unique symbol = Symbol("any");
export type KeySel = InstanceKey | undefined | typeof ANY;

/**
 * The key of module step `pos` of the dependent's own module instance, left unbound: one walk then serves every
 * module instance of a resource (bind it afterwards). Only valid while no reference names a literal key at a step
 * where a bound key can stand (`Walker.literalDepth`), as only then do equal patterns stay equal once bound.
 */
export class SymKey {
  constructor(readonly pos: number) {}
}

export type ScopeKey = KeySel | SymKey;

export interface Scope {
  mod: ModNode;
  /** One selector per module step of `mod`. */
  keys: readonly ScopeKey[];
}

export interface Target {
  res: ResNode;
  /** Module key selectors of the target's module (same length as its module path). */
  keys: readonly ScopeKey[];
  key: KeySel;
  /** The reason, shared by every edge from one first step (so it can be interned by identity). */
  via: EdgeVia;
  /** The block whose expression names the target, when not the dependent itself. */
  owner: string | undefined;
}

export interface WalkEnv {
  index: ConfigIndex;
  /** Why a module's locals are unknown (no sources given, or the module's sources were not found). */
  localsUnavailable(mod: ModNode): string | undefined;
  onTarget(t: Target): void;
  onUnresolved(reference: string, why: string): void;
}

export function anyScope(mod: ModNode): Scope {
  return { mod, keys: mod.names.map(() => ANY) };
}

function fmtSel(k: ScopeKey): string {
  if (k === ANY) return "[*]";
  if (k === undefined) return "";
  if (k instanceof SymKey) return `[$${k.pos}]`;
  return typeof k === "number" ? `[${k}]` : `[${quoteKey(k)}]`;
}

/** `module.a["x"].module.b[*]`: the scope as an address pattern (also the memo key of a visited node). */
export function scopePattern(s: Scope): string {
  return s.mod.names.map((n, i) => `module.${n}${fmtSel(s.keys[i])}`).join(".");
}

function prefixOf(mod: ModNode): string {
  return mod.path ? `${mod.path}.` : "";
}

function parentScope(s: Scope): Scope {
  return { mod: s.mod.parent!, keys: s.keys.slice(0, -1) };
}

function relAddress(s: Extract<RefSubject, { kind: "resource" }>): string {
  return s.mode === "data" ? `data.${s.type}.${s.name}` : `${s.type}.${s.name}`;
}

/** The edge reason for the first step out of the dependent resource. */
function hopVia(s: RefSubject, attribute: string): EdgeVia {
  switch (s.kind) {
    case "var":
      return { kind: "module_input", attribute, detail: s.text };
    case "module":
      return { kind: "module_output", attribute, detail: s.text };
    default:
      return { kind: "reference", attribute, detail: s.text };
  }
}

/** A resource's references, parsed once: attributes, count, for_each, sources' extras, replace_triggered_by, depends_on. */
function hopsOf(res: ResNode): readonly Hop[] {
  if (res.hops) return res.hops;
  const cfg = res.cfg;
  const hops: Hop[] = [];
  for (const a of cfg.refs) for (const s of planReferences(a.references)) hops.push({ s, via: hopVia(s, a.attribute), lenient: false });
  for (const s of planReferences(cfg.countRefs ?? [])) hops.push({ s, via: hopVia(s, "count"), lenient: false });
  for (const s of planReferences(cfg.forEachRefs ?? [])) hops.push({ s, via: hopVia(s, "for_each"), lenient: false });
  if (res.src) {
    for (const a of res.src.extraRefs) for (const s of sourceReferences(a.references)) hops.push({ s, via: hopVia(s, a.attribute), lenient: true });
    for (const s of sourceReferences(res.src.lifecycle?.replaceTriggeredBy ?? NO_TEXT)) {
      hops.push({ s, via: { kind: "replace_triggered_by", attribute: "lifecycle.replace_triggered_by", detail: s.text }, lenient: false });
    }
  }
  for (const d of cfg.dependsOn) {
    const s = parseReference(d);
    if (s) hops.push({ s, via: { kind: "depends_on", detail: d }, lenient: false });
  }
  res.hops = hops;
  return hops;
}

/** What the module's call passes, by variable (attributes `name`, `name.x`, `name[0]` under `name`), parsed once. */
function inputMap(mod: ModNode): ReadonlyMap<string, readonly RefSubject[]> {
  if (!mod.inputs) {
    const m = new Map<string, RefSubject[]>();
    for (const a of mod.call?.inputs ?? []) {
      const v = /^[^.[]+/.exec(a.attribute)?.[0] ?? a.attribute;
      let list = m.get(v);
      if (!list) m.set(v, (list = []));
      list.push(...planReferences(a.references));
    }
    mod.inputs = m;
  }
  return mod.inputs;
}

function expansionOf(mod: ModNode): NonNullable<ModNode["expansion"]> {
  if (!mod.expansion) {
    const call = mod.call;
    const out: NonNullable<ModNode["expansion"]>[number][] = [];
    if (call) {
      // The reasons used when a resource inside is the dependent: they name the call.
      for (const s of planReferences(call.countRefs ?? [])) out.push({ s, kind: "count", via: { kind: "module_input", attribute: "count", detail: mod.path } });
      for (const s of planReferences(call.forEachRefs ?? [])) out.push({ s, kind: "for_each", via: { kind: "module_input", attribute: "for_each", detail: mod.path } });
      for (const d of call.dependsOn) {
        const s = parseReference(d);
        if (s) out.push({ s, kind: "depends_on", via: { kind: "depends_on", detail: `${mod.path}: ${d}` } });
      }
    }
    mod.expansion = out;
  }
  return mod.expansion;
}

function outputRefsOf(mod: ModNode, name: string): readonly RefSubject[] {
  mod.outputRefs ??= new Map();
  let refs = mod.outputRefs.get(name);
  if (!refs) {
    const out = mod.config.outputs[name]!;
    const list = [...planReferences(out.references)];
    for (const d of out.dependsOn) {
      const s = parseReference(d);
      if (s) list.push(s);
    }
    mod.outputRefs.set(name, (refs = list));
  }
  return refs;
}

/** One walk: all nodes visited are remembered, so a node reached twice is expanded once (cycles terminate). */
export class Walker {
  private readonly visited = new Set<string>();
  /** The dependent's own scope: its expansion is walked last, with reasons that name the module call. */
  private home = "";
  /** The smallest module step at which a reference names a literal module key (`module.m["k"]`). */
  literalDepth = Infinity;

  constructor(private readonly env: WalkEnv) {}

  /** Every dependency of `res` evaluated in `scope` (a scope of res's module). */
  walkResource(res: ResNode, scope: Scope): void {
    this.home = scopePattern(scope);
    for (const h of hopsOf(res)) this.resolve(h.s, scope, h.via, undefined, h.lenient);
    this.provider(res);
    this.expand(scope, undefined);
  }

  private emit(res: ResNode, keys: readonly ScopeKey[], key: KeySel, via: EdgeVia, owner: string | undefined): void {
    this.env.onTarget({ res, keys, key, via, owner });
  }

  /**
   * Resolves one reference made in `scope`. `owner` names the block holding the expression when it is not the
   * dependent itself. `lenient` (references read from sources) skips names that are no resource here: template
   * `for` variables and dynamic-block iterators look like resource references.
   */
  resolve(s: RefSubject, scope: Scope, via: EdgeVia, owner?: string, lenient = false): void {
    switch (s.kind) {
      case "ignored":
        return;
      case "resource": {
        if (s.mode === "ephemeral") return; // ephemeral resources are not in the plan, nor in `terraform graph`
        const r = scope.mod.resources.get(relAddress(s));
        if (!r) {
          if (!lenient) this.env.onUnresolved(prefixOf(scope.mod) + s.text, `no resource ${relAddress(s)} in ${scope.mod.path || "the root module"} of the plan's configuration`);
          return;
        }
        this.emit(r, scope.keys, s.key === undefined ? ANY : s.key, via, owner);
        return;
      }
      case "local":
        this.local(scope, s.name, via);
        return;
      case "var":
        this.variable(scope, s.name, via);
        return;
      case "module": {
        const child = scope.mod.children.get(s.name);
        if (!child) {
          if (!lenient) this.env.onUnresolved(prefixOf(scope.mod) + s.text, `no module call "${s.name}" in ${scope.mod.path || "the root module"} of the plan's configuration`);
          return;
        }
        if (s.key !== undefined && scope.keys.length < this.literalDepth) this.literalDepth = scope.keys.length;
        const cs: Scope = { mod: child, keys: [...scope.keys, s.key === undefined ? ANY : s.key] };
        // `module.m["k"].out` resolves to the output only; a whole module (or an output the plan does not
        // list) to everything in the module.
        if (s.output !== undefined && child.config.outputs[s.output]) this.output(cs, s.output, via);
        else this.close(cs, via);
        return;
      }
    }
  }

  private local(scope: Scope, name: string, via: EdgeVia): void {
    const key = `l|${scopePattern(scope)}|${name}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const ref = `${prefixOf(scope.mod)}local.${name}`;
    const unavailable = this.env.localsUnavailable(scope.mod);
    if (unavailable !== undefined) {
      this.env.onUnresolved(ref, unavailable);
      return;
    }
    const l = scope.mod.src?.locals.get(name);
    if (!l) {
      this.env.onUnresolved(ref, `local.${name} is not defined in the sources read from ${scope.mod.src?.dir ?? "the tf dir"}`);
      return;
    }
    for (const s of sourceReferences(l.references)) this.resolve(s, scope, via, ref, true);
    this.expandOther(scope, via);
  }

  private variable(scope: Scope, name: string, via: EdgeVia): void {
    const call = scope.mod.call;
    if (!call) return; // root variables come from outside the graph
    const key = `v|${scopePattern(scope)}|${name}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const ps = parentScope(scope);
    const owner = `${scope.mod.path} (input ${name})`;
    for (const s of inputMap(scope.mod).get(name) ?? []) this.resolve(s, ps, via, owner);
    this.expandOther(scope, via);
  }

  private output(scope: Scope, name: string, via: EdgeVia): void {
    const key = `o|${scopePattern(scope)}|${name}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const owner = `${scope.mod.path}.output.${name}`;
    for (const s of outputRefsOf(scope.mod, name)) this.resolve(s, scope, via, owner);
    // Preconditions (sources only) are references of the output too (terraform nodeExpandOutput.References).
    const conditions = scope.mod.src?.outputConditions.get(name);
    if (conditions) for (const s of sourceReferences(conditions)) this.resolve(s, scope, via, owner, true);
    // An output waits for its module's expansion, so it carries the call's count/for_each/depends_on.
    this.expand(scope, via);
  }

  /** A whole-module reference or `depends_on`: Terraform's module closer waits for everything in the module. */
  private close(scope: Scope, via: EdgeVia): void {
    const key = `c|${scopePattern(scope)}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const owner = scope.mod.path;
    for (const r of scope.mod.resources.values()) this.emit(r, scope.keys, ANY, via, owner);
    for (const name of inputMap(scope.mod).keys()) this.variable(scope, name, via);
    this.expand(scope, via);
    for (const c of scope.mod.children.values()) this.close({ mod: c, keys: [...scope.keys, ANY] }, via);
  }

  private expandOther(scope: Scope, via: EdgeVia): void {
    if (scopePattern(scope) !== this.home) this.expand(scope, via);
  }

  /**
   * Module expansion: everything in a module instance waits for its call's count/for_each and depends_on,
   * evaluated in the caller, and for the caller's own expansion. `via` unset: the first step out of the
   * dependent, so the reason names the call.
   */
  private expand(scope: Scope, via: EdgeVia | undefined): void {
    const call = scope.mod.call;
    if (!call) return;
    const key = `e|${scopePattern(scope)}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const ps = parentScope(scope);
    const path = scope.mod.path;
    for (const e of expansionOf(scope.mod)) this.resolve(e.s, ps, via ?? e.via, `${path} (${e.kind})`);
    this.expand(ps, via);
  }

  /** A provider configuration's references apply to every resource that uses it. */
  private provider(res: ResNode): void {
    const p = providerFor(this.env.index, res.cfg.providerConfigKey);
    if (!p || p.config.refs.length === 0) return;
    const key = `p|${p.key}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const colon = p.key.lastIndexOf(":");
    const modPath = p.config.moduleAddress ?? (colon < 0 ? "" : p.key.slice(0, colon));
    const mod = this.env.index.modules.get(modPath);
    if (!mod) return;
    const scope = anyScope(mod);
    for (const a of p.config.refs) {
      for (const s of planReferences(a.references)) this.resolve(s, scope, { kind: "reference", attribute: `provider.${a.attribute}`, detail: s.text }, `provider[${p.key}]`);
    }
    this.expand(scope, undefined);
  }
}
