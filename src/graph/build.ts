// Builds both graph levels from a Plan (and optional sources): pure, no I/O.
// Resource level: one node per resource block as `terraform graph` names it, edges contracted through locals,
// module variables/outputs, module expansion and providers, then prior_state depends_on where the configuration
// does not already reach the same resource. Instance level: the same walk per module instance, with keys bound.

import { parseAddress, type ModuleStep } from "../plan/address.js";
import { rowPlaces } from "../plan/build.js";
import type { Plan, PriorResource } from "../plan/model.js";
import { indexConfiguration, resourceAddress, type ConfigIndex, type ModNode, type ResNode } from "./config-index.js";
import { GraphBuilder, IntList, type NodeShared } from "./csr.js";
import { sameStrings } from "../lists.js";
import { InstanceIndex, instanceInfo, moduleAncestor, modulePathOf, type ConfigGroups, type InstanceGroup, type InstanceInfo } from "./instances.js";
import { ANY, anyScope, SymKey, Walker, type KeySel, type Scope, type Target, type WalkEnv } from "./resolve.js";
import type { DependencyGraphs, EdgeVia, GraphNode, Lifecycle, SourceLocation, TfSources, Unresolved } from "./types.js";

export interface BuildOptions {
  sources?: TfSources;
}

const STATE_VIA: EdgeVia = { kind: "state", detail: "prior_state depends_on" };

/** The instance-level node name of a change row: its address, or `ADDR (deposed object KEY)` for a deposed object. */
export function instanceNodeAddress(address: string, deposed?: string): string {
  return deposed === undefined ? address : `${address} (deposed object ${deposed})`;
}

function stripModuleKeys(names: readonly string[]): string {
  return names.map((n) => `module.${n}`).join(".");
}

/** Mode and module path of an address (instance or config level); a best guess when it does not parse. */
function describe(address: string): { mode: GraphNode["mode"]; module: string } {
  try {
    const a = parseAddress(address);
    return { mode: a.mode, module: stripModuleKeys(a.module.map((m) => m.name)) };
  } catch {
    return { mode: /(^|\.)data\./.test(address) ? "data" : "managed", module: "" };
  }
}

export function buildDependencyGraph(plan: Plan, opts: BuildOptions = {}): DependencyGraphs {
  const sources = opts.sources;
  const index = indexConfiguration(plan.configuration, sources);
  const prior = plan.priorState ?? [];
  const stateConfig = new Set<string>();
  // Terraform records depends_on for managed resources only (data sources in prior_state have none).
  const stateCovers = new Set<string>();
  for (const p of prior) {
    stateConfig.add(p.configAddress);
    if (p.mode === "managed") stateCovers.add(p.configAddress);
  }
  const unresolved: Unresolved[] = [];
  const unresolvedSeen = new Set<string>();

  const localsUnavailable = (mod: ModNode): string | undefined => {
    if (!sources) return "locals are not in the plan JSON: pass --tf-dir to read them from the .tf sources";
    if (!mod.src) return `no sources for ${mod.path || "the root module"}: ${sources.missing.get(mod.path) ?? "its directory was not found under the tf dir"}`;
    return undefined;
  };

  // ---- resource level -------------------------------------------------------------------------------
  const rb = new GraphBuilder("resource");
  for (const r of index.resources.values()) {
    rb.node({ address: r.address, configAddress: r.address, mode: r.mode, module: r.mod.path, inConfig: true, inState: stateConfig.has(r.address) });
  }
  const addOrphan = (configAddress: string): void => {
    if (rb.indexOf(configAddress) !== undefined) return;
    rb.node({ address: configAddress, configAddress, ...describe(configAddress), inConfig: false, inState: stateConfig.has(configAddress) });
  };
  for (const c of plan.changes) addOrphan(c.configAddress);
  for (const p of prior) addOrphan(p.configAddress);

  const configAdj: number[][] = Array.from({ length: rb.size }, () => []);
  for (const r of index.resources.values()) {
    const from = rb.indexOf(r.address)!;
    const env: WalkEnv = {
      index,
      localsUnavailable,
      onTarget: (t) => {
        const to = rb.indexOf(t.res.address)!;
        if (to === from) return;
        rb.edge(from, to, rb.viaId(t.via, t.owner));
        configAdj[from]!.push(to);
      },
      onUnresolved: (reference, why) => {
        // A resource with prior_state has its dependencies recorded there, already resolved.
        if (stateCovers.has(r.address)) return;
        const k = `${r.address}\u0000${reference}`;
        if (unresolvedSeen.has(k)) return;
        unresolvedSeen.add(k);
        unresolved.push({ from: r.address, reference, why });
      },
    };
    new Walker(env).walkResource(r, anyScope(r.mod));
  }

  // prior_state depends_on, unioned per dependent resource. A dependency the configuration already reaches adds
  // nothing at this level and would blur the instance level, so only the others become `state` edges. One
  // breadth-first search per dependent, stopped once all its state dependencies are found.
  // Resolved once per prior_state row, for both levels: the dependency ids of each row, and its resource id.
  const priorDeps: (readonly number[])[] = new Array(prior.length);
  const priorFrom = new Int32Array(prior.length);
  // (dependent, dependency) pairs in row order; a resource's rows usually repeat one list, added once.
  const pairFrom = new IntList();
  const pairTo = new IntList();
  const lastListOf: (readonly string[] | undefined)[] = new Array(rb.size);
  const lastIdsOf: number[][] = new Array(rb.size);
  let lastList: readonly string[] | undefined;
  let lastIds: number[] = [];
  for (let pi = 0; pi < prior.length; pi++) {
    const p = prior[pi]!;
    const from = rb.indexOf(p.configAddress)!;
    priorFrom[pi] = from;
    const own = lastListOf[from];
    if (own !== undefined && sameStrings(own, p.dependsOn)) {
      priorDeps[pi] = lastIdsOf[from]!;
      continue;
    }
    // Rows of one resource's instances usually carry equal lists: resolve a repeated list once.
    if (lastList === undefined || !sameStrings(lastList, p.dependsOn)) {
      lastIds = [];
      for (const d of p.dependsOn) {
        const to = rb.indexOf(d);
        if (to !== undefined) lastIds.push(to);
      }
      lastList = p.dependsOn;
    }
    priorDeps[pi] = lastIds;
    lastListOf[from] = p.dependsOn;
    lastIdsOf[from] = lastIds;
    for (const to of lastIds) {
      if (to === from) continue;
      pairFrom.push(from);
      pairTo.push(to);
    }
  }
  // The union per dependent, in first-seen order: a stable counting sort by dependent, duplicates dropped.
  const nRes = rb.size;
  const sOff = new Int32Array(nRes + 1);
  for (let k = 0; k < pairFrom.n; k++) sOff[pairFrom.a[k]! + 1]!++;
  for (let i = 0; i < nRes; i++) sOff[i + 1]! += sOff[i]!;
  const sPos = sOff.slice(0, nRes);
  const sTo = new Int32Array(pairFrom.n);
  for (let k = 0; k < pairFrom.n; k++) sTo[sPos[pairFrom.a[k]!]!++] = pairTo.a[k]!;
  const stamp = new Int32Array(nRes);
  const mark = new Int32Array(nRes);
  const queue = new Int32Array(nRes);
  /** Per dependent resource: its state dependencies the configuration does not reach (unset: none). */
  const notReached: (Set<number> | undefined)[] = new Array(nRes);
  const stateVia = rb.viaId(STATE_VIA);
  let search = 0;
  for (let from = 0; from < nRes; from++) {
    const b = sOff[from]!;
    const e = sOff[from + 1]!;
    if (b === e) continue;
    search++;
    // Dedupe in place (first occurrence kept), marking the targets of this search.
    let w = b;
    for (let k = b; k < e; k++) {
      const t = sTo[k]!;
      if (mark[t] === search) continue;
      mark[t] = search;
      sTo[w++] = t;
    }
    const targets = w - b;
    let found = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = from;
    stamp[from] = search;
    while (head < tail && found < targets) {
      for (const v of configAdj[queue[head++]!]!) {
        if (stamp[v] === search) continue;
        stamp[v] = search;
        if (mark[v] === search) found++;
        queue[tail++] = v;
      }
    }
    if (found === targets) continue;
    const missing = new Set<number>();
    for (let k = b; k < w; k++) {
      const t = sTo[k]!;
      if (stamp[t] === search) continue;
      missing.add(t);
      rb.edge(from, t, stateVia);
    }
    notReached[from] = missing;
  }
  const resource = rb.build();

  // ---- instance level -------------------------------------------------------------------------------
  const instance = buildInstanceGraph(plan, index, prior, priorDeps, priorFrom, (i) => rb.addressAt(i), notReached, localsUnavailable);

  // ---- sources: lifecycle and locations --------------------------------------------------------------
  const lifecycle = new Map<string, Lifecycle>();
  const locations = new Map<string, SourceLocation>();
  if (sources) {
    for (const [path, m] of sources.modules) {
      for (const r of m.resources.values()) {
        const address = resourceAddress(path, r.address);
        const loc: SourceLocation = { file: r.file };
        if (r.line !== undefined) loc.line = r.line;
        locations.set(address, loc);
        if (r.lifecycle) lifecycle.set(address, r.lifecycle);
      }
    }
  }

  unresolved.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  return { resource, instance, unresolved, lifecycle, locations, cycles: resource.cycles() };
}

/** A dependency found by one walk of a resource, with the dependent's own module keys left unbound (SymKey). */
interface TemplateTarget {
  configAddress: string;
  /** The target's first `bound` module steps carry the dependent's own keys; the others are `tail`. */
  bound: number;
  tail: readonly KeySel[];
  key: KeySel;
  via: EdgeVia;
  owner: string | undefined;
  /** The interned reason, once an edge used it. */
  viaId: number;
  /** Matching instances by the module instance (id) that binds the first `bound` steps. */
  hits: Map<number, readonly number[]>;
  /** The target resource's groups (undefined: no instance of it), looked up when the template is made. */
  groups: ConfigGroups | undefined;
}

/**
 * Walks `res` once in `scope` and records what it reaches, as templates; undefined when the walk names a literal
 * module key at a step the dependent's own keys bind (then equal patterns may differ once bound: walk each instance).
 */
function walkTemplate(res: ResNode, scope: Scope, index: ConfigIndex, inst: InstanceIndex, localsUnavailable: (mod: ModNode) => string | undefined): TemplateTarget[] | undefined {
  const found: Target[] = [];
  const walker = new Walker({ index, localsUnavailable, onTarget: (t) => found.push(t), onUnresolved: () => {} });
  walker.walkResource(res, scope);
  if (walker.literalDepth < scope.keys.length) return undefined;
  const out: TemplateTarget[] = [];
  for (const t of found) {
    let bound = 0;
    while (bound < t.keys.length && t.keys[bound] instanceof SymKey) {
      if ((t.keys[bound] as SymKey).pos !== bound) return undefined;
      bound++;
    }
    const tail: KeySel[] = [];
    for (let i = bound; i < t.keys.length; i++) {
      const k = t.keys[i];
      if (k instanceof SymKey) return undefined;
      tail.push(k);
    }
    out.push({ configAddress: t.res.address, bound, tail, key: t.key, via: t.via, owner: t.owner, viaId: -1, hits: new Map(), groups: inst.configGroups(t.res.address) });
  }
  return out;
}

function buildInstanceGraph(
  plan: Plan,
  index: ConfigIndex,
  prior: readonly PriorResource[],
  priorDeps: readonly (readonly number[])[],
  priorFrom: Int32Array,
  resourceAddressOf: (id: number) => string,
  notReached: readonly (Set<number> | undefined)[],
  localsUnavailable: (mod: ModNode) => string | undefined,
): ReturnType<GraphBuilder["build"]> {
  // The plan's rows are the first nodes, in order: with the reader's map of their addresses (no row repeated), a
  // row's node costs no map operation.
  const rows = rowPlaces(plan.changes);
  const ib = new GraphBuilder("instance", rows);
  const inst = new InstanceIndex();
  const groupOf: InstanceGroup[] = [];
  const perConfig = new Map<string, NodeShared>();

  /** What every node of a config resource shares: its mode, its module path without keys, whether the configuration has it. */
  const configOf = (configAddress: string, moduleNames: readonly string[] | readonly ModuleStep[], mode: GraphNode["mode"]): NodeShared => {
    let pc = perConfig.get(configAddress);
    if (!pc) {
      const names = moduleNames.map((m: string | ModuleStep) => (typeof m === "string" ? m : m.name));
      perConfig.set(configAddress, (pc = { configAddress, mode, module: stripModuleKeys(names), inConfig: index.resources.has(configAddress) }));
    }
    // One config address has one mode; a plan edited by hand may say otherwise for one row: that node keeps its own.
    return pc.mode === mode ? pc : { ...pc, mode };
  };

  for (const c of plan.changes) {
    const before = ib.size;
    const pc = configOf(c.configAddress, c.module, c.mode);
    const id = rows !== undefined && c.deposed === undefined ? ib.rowNode(c.address, pc, c.kind) : ib.add(instanceNodeAddress(c.address, c.deposed), pc, false, c.kind, c.deposed);
    if (id !== before) continue; // an address listed twice: the first row is the node
    groupOf[id] = inst.addRow(c.configAddress, c.moduleAddress, c.module, id, c.index);
  }
  const priorNode = new Int32Array(prior.length);
  // prior_state lists resources mostly in the order of resource_changes, whose rows are the first nodes: the node
  // after the last one found is tried before the address index (80-100% of the bench plans' state resources).
  let next = 0;
  for (let pi = 0; pi < prior.length; pi++) {
    const p = prior[pi]!;
    const address = instanceNodeAddress(p.address, p.deposedKey);
    let id = next < ib.size && ib.addressAt(next) === address ? next : ib.indexOf(address);
    if (id === undefined) {
      const info = instanceInfo(p.address, p.configAddress);
      const mode: GraphNode["mode"] = p.mode === "data" ? "data" : p.mode === "ephemeral" ? "ephemeral" : "managed";
      id = ib.add(address, configOf(info.configAddress, info.moduleNames, mode), false, undefined, p.deposedKey);
      const groupKey = info.moduleKeys === undefined ? "?" : modulePathOf(info.moduleNames, info.moduleKeys);
      groupOf[id] = inst.add(id, info, groupKey);
    }
    ib.setInState(id);
    priorNode[pi] = id;
    next = id + 1;
  }

  // Configuration edges: each resource is walked once with its module keys unbound, and the walk's targets are
  // bound to each module instance of it (matches cached per module instance that binds them). Equal to walking
  // every module instance, which is what happens when a walk cannot be shared.
  const seen = new Int32Array(ib.size);
  const toList = new IntList();
  const viaList = new IntList();
  let stampNo = 0;
  /** Adds the targets not yet found for this group (the first reason found is kept). */
  const collect = (ids: readonly number[], via: number): void => {
    for (const id of ids) {
      if (seen[id] === stampNo) continue;
      seen[id] = stampNo;
      toList.push(id);
      viaList.push(via);
    }
  };
  let res: ResNode | undefined;
  let resConfig: string | undefined;
  // null: not walked yet for this resource; undefined: walked, and it needs the per-instance walk.
  let anyTemplate: TemplateTarget[] | undefined | null;
  let boundTemplate: TemplateTarget[] | undefined | null;
  for (const g of inst.groups()) {
    if (g.configAddress !== resConfig) {
      resConfig = g.configAddress;
      res = index.resources.get(g.configAddress);
      anyTemplate = null;
      boundTemplate = null;
    }
    if (!res) continue;
    const depth = res.mod.names.length;
    const keys = g.moduleKeys;
    if (keys !== undefined && keys.length !== depth) continue;
    let template: TemplateTarget[] | undefined;
    if (keys === undefined || depth === 0) {
      if (anyTemplate === null) anyTemplate = walkTemplate(res, anyScope(res.mod), index, inst, localsUnavailable);
      template = anyTemplate;
    } else {
      if (boundTemplate === null) boundTemplate = walkTemplate(res, { mod: res.mod, keys: res.mod.names.map((_, i) => new SymKey(i)) }, index, inst, localsUnavailable);
      template = boundTemplate;
    }
    stampNo++;
    toList.n = 0;
    viaList.n = 0;
    if (template) {
      for (const t of template) {
        const m = moduleAncestor(g.mi, t.bound);
        // Within the dependent's own module instance (or an ancestor), usually answered by that instance's group.
        let ids: readonly number[] | undefined;
        if (t.tail.length === 0) ids = inst.matchIn(t.groups, m, t.key);
        if (ids === undefined) ids = t.hits.get(m.id);
        if (ids === undefined) {
          const sel: KeySel[] = [];
          for (let i = 0; i < t.bound; i++) sel.push(keys![i]);
          for (const k of t.tail) sel.push(k);
          ids = inst.match(t.configAddress, sel, t.key);
          t.hits.set(m.id, ids);
        }
        if (ids.length === 0) continue;
        if (t.viaId < 0) t.viaId = ib.viaId(t.via, t.owner);
        collect(ids, t.viaId);
      }
    } else {
      // A literal module key where this instance's own keys bind: walk this module instance itself.
      const env: WalkEnv = {
        index,
        localsUnavailable,
        onTarget: (t: Target) => {
          const ids = inst.match(t.res.address, t.keys as readonly KeySel[], t.key);
          if (ids.length === 0) return;
          collect(ids, ib.viaId(t.via, t.owner));
        },
        onUnresolved: () => {}, // reported once, at the resource level
      };
      // An instance whose module keys could not be read (keys undefined) matches any module instance, as in anyScope.
      new Walker(env).walkResource(res, keys !== undefined ? { mod: res.mod, keys: [...keys] } : anyScope(res.mod));
    }
    const n = toList.n;
    for (const from of g.ids) for (let k = 0; k < n; k++) ib.edge(from, toList.a[k]!, viaList.a[k]!);
  }

  // prior_state depends_on: config-level addresses, so they reach every instance of the dependency that shares
  // the dependent's module instance keys. Skipped where the configuration already reaches that resource: its
  // instance-level edges are exact, the state's are not.
  const stateVia = ib.viaId(STATE_VIA);
  /** Per dependency target: its parsed address and its instance groups (every instance is indexed by now). */
  const targetInfo: ({ target: InstanceInfo; groups: ConfigGroups | undefined } | undefined)[] = [];
  /** Matches per dependency resource, per bound prefix length, per module instance that binds it. */
  const stateHits: (Map<number, readonly number[]> | undefined)[][] = [];
  for (let pi = 0; pi < prior.length; pi++) {
    const deps = priorDeps[pi]!;
    if (deps.length === 0) continue;
    const p = prior[pi]!;
    const fromRes = priorFrom[pi]!;
    const inConfig = index.resources.has(p.configAddress);
    const missing = notReached[fromRes];
    if (inConfig && missing === undefined) continue; // the configuration reaches every one
    const from = priorNode[pi]!;
    const info = groupOf[from]!;
    for (const to of deps) {
      if (to === fromRes || (inConfig && !missing!.has(to))) continue;
      let t = targetInfo[to];
      if (!t) {
        const d = resourceAddressOf(to);
        const target = instanceInfo(d, d);
        targetInfo[to] = t = { target, groups: inst.configGroups(target.configAddress) };
      }
      const target = t.target;
      // The dependent's keys bind the steps of the module path both share; the others match any key.
      let bound = 0;
      if (info.moduleKeys !== undefined) while (bound < target.moduleNames.length && info.moduleNames[bound] === target.moduleNames[bound]) bound++;
      const byBound = (stateHits[to] ??= []);
      const hits = (byBound[bound] ??= new Map());
      const m = moduleAncestor(info.mi, bound);
      let ids = bound === target.moduleNames.length ? inst.matchIn(t.groups, m, ANY) : undefined;
      if (ids === undefined) ids = hits.get(m.id);
      if (ids === undefined) {
        const sel: KeySel[] = [];
        for (let i = 0; i < target.moduleNames.length; i++) sel.push(i < bound ? info.moduleKeys![i] : ANY);
        ids = inst.match(target.configAddress, sel, ANY);
        hits.set(m.id, ids);
      }
      for (const id of ids) ib.edge(from, id, stateVia);
    }
  }
  return ib.build();
}
