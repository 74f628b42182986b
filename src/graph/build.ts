// Builds both graph levels from a Plan (and optional sources): pure, no I/O.
// Resource level: one node per resource block as `terraform graph` names it, edges contracted through locals,
// module variables/outputs, module expansion and providers, then prior_state depends_on where the configuration
// does not already reach the same resource. Instance level: the same walk per module instance, with keys bound.

import { formatKey, parseAddress } from "../plan/address.js";
import type { Plan, PriorResource } from "../plan/model.js";
import { indexConfiguration, resourceAddress, type ConfigIndex, type ModNode } from "./config-index.js";
import { GraphBuilder } from "./csr.js";
import { InstanceIndex, instanceInfo, type InstanceGroup, type InstanceInfo } from "./instances.js";
import { ANY, anyScope, Walker, type KeySel, type Target, type WalkEnv } from "./resolve.js";
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

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildDependencyGraph(plan: Plan, opts: BuildOptions = {}): DependencyGraphs {
  const sources = opts.sources;
  const index = indexConfiguration(plan.configuration, sources);
  const prior = plan.priorState ?? [];
  const stateConfig = new Set(prior.map((p) => p.configAddress));
  // Terraform records depends_on for managed resources only (data sources in prior_state have none).
  const stateCovers = new Set(prior.filter((p) => p.mode === "managed").map((p) => p.configAddress));
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
  const stateDeps = new Map<number, Set<number>>();
  // Resolved once per prior_state row, for both levels: [dependent resource id, dependency ids...].
  const priorDeps: (readonly number[])[] = new Array(prior.length);
  let lastList: readonly string[] | undefined;
  let lastIds: number[] = [];
  for (let pi = 0; pi < prior.length; pi++) {
    const p = prior[pi]!;
    const from = rb.indexOf(p.configAddress)!;
    // Rows of one resource's instances usually carry equal lists: resolve a repeated list once.
    if (lastList === undefined || !sameList(lastList, p.dependsOn)) {
      lastIds = [];
      for (const d of p.dependsOn) {
        const to = rb.indexOf(d);
        if (to !== undefined) lastIds.push(to);
      }
      lastList = p.dependsOn;
    }
    priorDeps[pi] = lastIds;
    let set = stateDeps.get(from);
    for (const to of lastIds) {
      if (to === from) continue;
      if (!set) stateDeps.set(from, (set = new Set()));
      set.add(to);
    }
  }
  const reached = new Map<number, Set<number>>();
  const stamp = new Int32Array(rb.size);
  const queue = new Int32Array(rb.size);
  let search = 0;
  for (const [from, targets] of stateDeps) {
    search++;
    const found = new Set<number>();
    let head = 0;
    let tail = 0;
    queue[tail++] = from;
    stamp[from] = search;
    while (head < tail && found.size < targets.size) {
      for (const v of configAdj[queue[head++]!]!) {
        if (stamp[v] === search) continue;
        stamp[v] = search;
        if (targets.has(v)) found.add(v);
        queue[tail++] = v;
      }
    }
    reached.set(from, found);
  }
  const configReaches = (from: number, to: number): boolean => reached.get(from)?.has(to) ?? false;

  const stateVia = rb.viaId(STATE_VIA);
  for (const [from, targets] of stateDeps) for (const to of targets) if (!configReaches(from, to)) rb.edge(from, to, stateVia);
  const resource = rb.build();

  // ---- instance level -------------------------------------------------------------------------------
  const instance = buildInstanceGraph(plan, index, prior, priorDeps, (a) => rb.indexOf(a), (i) => rb.nodeAt(i).address, configReaches, localsUnavailable);

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

function buildInstanceGraph(
  plan: Plan,
  index: ConfigIndex,
  prior: readonly PriorResource[],
  priorDeps: readonly (readonly number[])[],
  resourceId: (configAddress: string) => number | undefined,
  resourceAddressOf: (id: number) => string,
  configReaches: (from: number, to: number) => boolean,
  localsUnavailable: (mod: ModNode) => string | undefined,
): ReturnType<GraphBuilder["build"]> {
  const ib = new GraphBuilder("instance");
  const inst = new InstanceIndex();
  const groupOf: InstanceGroup[] = [];
  const perConfig = new Map<string, { module: string; inConfig: boolean }>();

  /** Adds an instance node (or finds it: a prior_state row of a resource_changes address). */
  const add = (address: string, info: InstanceInfo, mode: GraphNode["mode"], groupKey: () => string, change?: string, deposed?: string): number => {
    const before = ib.size;
    let pc = perConfig.get(info.configAddress);
    if (!pc) perConfig.set(info.configAddress, (pc = { module: stripModuleKeys(info.moduleNames), inConfig: index.resources.has(info.configAddress) }));
    const node: GraphNode = { address, configAddress: info.configAddress, mode, module: pc.module, inConfig: pc.inConfig, inState: false };
    if (deposed !== undefined) node.deposed = deposed;
    if (change !== undefined) node.change = change;
    const id = ib.node(node);
    if (id === before) groupOf[id] = inst.add(id, info, groupKey());
    return id;
  };

  for (const c of plan.changes) {
    const info: InstanceInfo = { configAddress: c.configAddress, moduleNames: c.module.map((m) => m.name), moduleKeys: c.module.map((m) => m.key), key: c.index };
    add(instanceNodeAddress(c.address, c.deposed), info, c.mode, () => c.moduleAddress, c.kind, c.deposed);
  }
  const priorNode = new Int32Array(prior.length);
  for (let pi = 0; pi < prior.length; pi++) {
    const p = prior[pi]!;
    const address = instanceNodeAddress(p.address, p.deposedKey);
    let id = ib.indexOf(address);
    if (id === undefined) {
      const info = instanceInfo(p.address, p.configAddress);
      const mode: GraphNode["mode"] = p.mode === "data" ? "data" : p.mode === "ephemeral" ? "ephemeral" : "managed";
      const groupKey = (): string => (info.moduleKeys === undefined ? "?" : info.moduleNames.map((n, i) => `module.${n}${formatKey(info.moduleKeys![i])}`).join("."));
      id = add(address, info, mode, groupKey, undefined, p.deposedKey);
    }
    ib.nodeAt(id).inState = true;
    priorNode[pi] = id;
  }

  // Configuration edges, one walk per module instance of each resource.
  for (const g of inst.groups()) {
    const res = index.resources.get(g.configAddress);
    if (!res) continue;
    const keys: KeySel[] = g.moduleKeys === undefined ? res.mod.names.map(() => ANY) : [...g.moduleKeys];
    if (keys.length !== res.mod.names.length) continue;
    const targets = new Map<number, number>();
    const env: WalkEnv = {
      index,
      localsUnavailable,
      onTarget: (t: Target) => {
        const ids = inst.match(t.res.address, t.keys, t.key);
        if (ids.length === 0) return;
        const via = ib.viaId(t.via, t.owner);
        for (const id of ids) if (!targets.has(id)) targets.set(id, via);
      },
      onUnresolved: () => {}, // reported once, at the resource level
    };
    new Walker(env).walkResource(res, { mod: res.mod, keys });
    const to = [...targets.keys()];
    const via = [...targets.values()];
    for (const from of g.ids) for (let k = 0; k < to.length; k++) ib.edge(from, to[k]!, via[k]!);
  }

  // prior_state depends_on: config-level addresses, so they reach every instance of the dependency that shares
  // the dependent's module instance keys. Skipped where the configuration already reaches that resource: its
  // instance-level edges are exact, the state's are not.
  const stateVia = ib.viaId(STATE_VIA);
  for (let pi = 0; pi < prior.length; pi++) {
    const p = prior[pi]!;
    const from = priorNode[pi]!;
    const fromRes = resourceId(p.configAddress)!;
    const inConfig = index.resources.has(p.configAddress);
    const info = groupOf[from]!;
    for (const to of priorDeps[pi]!) {
      if (to === fromRes || (inConfig && configReaches(fromRes, to))) continue;
      const d = resourceAddressOf(to);
      const target = instanceInfo(d, d);
      const sel: KeySel[] = target.moduleNames.map((name, i) => {
        if (info.moduleKeys === undefined) return ANY;
        for (let j = 0; j <= i; j++) if (info.moduleNames[j] !== target.moduleNames[j]) return ANY;
        return info.moduleKeys[i];
      });
      for (const id of inst.match(d, sel, ANY)) ib.edge(from, id, stateVia);
    }
  }
  return ib.build();
}
