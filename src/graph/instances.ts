// Instances of each config resource, grouped by module instance, and matching of instance patterns against them
// (`module.each["east"].terraform_data.first`, `terraform_data.a[1]`, `module.m[*].x.y[*]`).

import { formatKey, parseAddress, type InstanceKey, type ModuleStep } from "../plan/address.js";
import { ANY, type KeySel } from "./resolve.js";

/**
 * A module instance (`module.a["x"].module.b[0]`), interned: equal module paths with equal keys share one object,
 * so a module instance (or a prefix of one, through `parent`) can key a cache by its integer id.
 */
export interface ModuleInstance {
  readonly id: number;
  /** Number of module steps (0: the root module). */
  readonly depth: number;
  readonly parent: ModuleInstance | undefined;
  /** The last module step's name and key (undefined at the root). */
  readonly name: string | undefined;
  /** `module.a["x"].module.b[0]`, as formatAddress writes it (empty at the root). */
  readonly path: string;
  children: Map<string, ModuleInstance> | undefined;
}

/** The instances of one config resource in one module instance. */
export interface InstanceGroup {
  configAddress: string;
  moduleNames: readonly string[];
  /** Module step keys of this module instance; undefined when the address could not be parsed (matches any). */
  moduleKeys: readonly (InstanceKey | undefined)[] | undefined;
  /** The interned module instance (the root module for a group whose keys are unknown). */
  mi: ModuleInstance;
  ids: number[];
  keys: (InstanceKey | undefined)[];
}

function sameKey(sel: InstanceKey | undefined, k: InstanceKey | undefined): boolean {
  if (sel === undefined || k === undefined) return sel === k;
  // `x[0]` against a for_each key "0": HCL converts the index, so compare as strings.
  return String(sel) === String(k);
}

export interface InstanceInfo {
  configAddress: string;
  moduleNames: readonly string[];
  moduleKeys: readonly (InstanceKey | undefined)[] | undefined;
  key: InstanceKey | undefined;
}

/** Reads module names/keys and the key of an instance address; undefined keys when it does not parse. */
export function instanceInfo(address: string, configAddress: string): InstanceInfo {
  try {
    const a = parseAddress(address);
    return { configAddress, moduleNames: a.module.map((m) => m.name), moduleKeys: a.module.map((m) => m.key), key: a.key };
  } catch {
    return { configAddress, moduleNames: [], moduleKeys: undefined, key: undefined };
  }
}

/** The ancestor of `mi` with `depth` module steps (`mi` itself at its own depth). */
export function moduleAncestor(mi: ModuleInstance, depth: number): ModuleInstance {
  let m = mi;
  while (m.depth > depth) m = m.parent!;
  return m;
}

interface InternedPath {
  mi: ModuleInstance;
  names: readonly string[];
  keys: readonly (InstanceKey | undefined)[];
}

/** Per config resource: whether every group is keyed by its module instance's own path, and the groups by it. */
interface ConfigGroups {
  names: readonly string[];
  /** Every group has parsed keys, the first group's module names and its module instance's path as group key. */
  regular: boolean;
  byModuleInstance: Map<number, InstanceGroup>;
}

const NONE: readonly number[] = Object.freeze([]);

export class InstanceIndex {
  private readonly byConfig = new Map<string, Map<string, InstanceGroup>>();
  private readonly configs = new Map<string, ConfigGroups>();
  private readonly cache = new Map<string, readonly number[]>();
  private readonly root: ModuleInstance = { id: 0, depth: 0, parent: undefined, name: undefined, path: "", children: undefined };
  private moduleInstances = 1;
  /** Module instances by group key: groups of different resources in one module instance share it. */
  private readonly byGroupKey = new Map<string, InternedPath>();
  private lastConfig: string | undefined;
  private lastGroups: Map<string, InstanceGroup> | undefined;

  /** Adds an instance; `groupKey` names its module instance (equal for instances of one module instance). */
  add(id: number, info: InstanceInfo, groupKey: string): InstanceGroup {
    const g = this.group(info.configAddress, groupKey) ?? this.newGroup(info.configAddress, groupKey, info.moduleNames, info.moduleKeys);
    this.push(g, id, info.key);
    return g;
  }

  /** The group of `configAddress` in the module instance `groupKey`, if it has one yet. */
  group(configAddress: string, groupKey: string): InstanceGroup | undefined {
    if (configAddress !== this.lastConfig) {
      this.lastConfig = configAddress;
      this.lastGroups = this.byConfig.get(configAddress);
    }
    return this.lastGroups?.get(groupKey);
  }

  /** newGroup with the module path as steps: groups in one module instance share its name and key lists. */
  newGroupAt(configAddress: string, groupKey: string, steps: readonly ModuleStep[]): InstanceGroup {
    let p = this.byGroupKey.get(groupKey);
    if (!p || !sameStepList(p, steps)) {
      const names = steps.map((m) => m.name);
      const keys = steps.map((m) => m.key);
      p = { mi: this.moduleInstance(groupKey, names, keys), names, keys };
    }
    return this.newGroup(configAddress, groupKey, p.names, p.keys, p.mi);
  }

  /** Starts the group of `configAddress` in the module instance `groupKey` (which must have none yet). */
  newGroup(configAddress: string, groupKey: string, moduleNames: readonly string[], moduleKeys: readonly (InstanceKey | undefined)[] | undefined, mi?: ModuleInstance): InstanceGroup {
    let groups = this.byConfig.get(configAddress);
    if (!groups) this.byConfig.set(configAddress, (groups = new Map()));
    this.lastConfig = configAddress;
    this.lastGroups = groups;
    const g: InstanceGroup = { configAddress, moduleNames, moduleKeys, mi: mi ?? this.moduleInstance(groupKey, moduleNames, moduleKeys), ids: [], keys: [] };
    groups.set(groupKey, g);
    let cg = this.configs.get(configAddress);
    if (!cg) this.configs.set(configAddress, (cg = { names: moduleNames, regular: true, byModuleInstance: new Map() }));
    if (cg.regular) {
      if (moduleKeys === undefined || g.mi.path !== groupKey || !sameNames(cg.names, moduleNames) || cg.byModuleInstance.has(g.mi.id)) cg.regular = false;
      else cg.byModuleInstance.set(g.mi.id, g);
    }
    return g;
  }

  push(g: InstanceGroup, id: number, key: InstanceKey | undefined): void {
    g.ids.push(id);
    g.keys.push(key);
  }

  /** Every group: one per config resource and module instance. */
  *groups(): Generator<InstanceGroup> {
    for (const m of this.byConfig.values()) yield* m.values();
  }

  private moduleInstance(groupKey: string, names: readonly string[], keys: readonly (InstanceKey | undefined)[] | undefined): ModuleInstance {
    if (keys === undefined) return this.root;
    const hit = this.byGroupKey.get(groupKey);
    if (hit && sameSteps(hit, names, keys)) return hit.mi;
    let m = this.root;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      // A module name is an identifier (no NUL), so the last NUL ends the key: the step key is unambiguous.
      const step = (k === undefined ? "u" : typeof k === "number" ? "n" + String(k) : "s" + k) + "\u0000" + String(names[i]);
      let c = m.children?.get(step);
      if (!c) {
        const name = String(names[i]);
        c = { id: this.moduleInstances++, depth: m.depth + 1, parent: m, name, path: `${m.depth === 0 ? "" : m.path + "."}module.${name}${formatKey(k)}`, children: undefined };
        (m.children ??= new Map()).set(step, c);
      }
      m = c;
    }
    if (!hit) this.byGroupKey.set(groupKey, { mi: m, names, keys });
    return m;
  }

  /**
   * `match(configAddress, keys of mi, keySel)` where it can be answered from the group of `mi` itself (undefined:
   * call match): the resource's groups are all keyed by their module instance's path, so match's exact lookup finds
   * that group, and its keys equal mi's (the same interned module instance).
   */
  matchIn(configAddress: string, mi: ModuleInstance, keySel: KeySel): readonly number[] | undefined {
    const cg = this.configs.get(configAddress);
    if (!cg) return NONE;
    if (!cg.regular || cg.names.length !== mi.depth) return undefined;
    for (let m = mi, i = mi.depth - 1; i >= 0; m = m.parent!, i--) if (m.name !== cg.names[i]) return undefined;
    const g = cg.byModuleInstance.get(mi.id);
    if (!g) return undefined;
    if (keySel === ANY) return g.ids;
    const out: number[] = [];
    for (let i = 0; i < g.ids.length; i++) if (sameKey(keySel, g.keys[i])) out.push(g.ids[i]!);
    return out;
  }

  /** Instances of `configAddress` whose module keys match `moduleSel` and whose own key matches `keySel`. */
  match(configAddress: string, moduleSel: readonly KeySel[], keySel: KeySel): readonly number[] {
    const groups = this.byConfig.get(configAddress);
    if (!groups) return [];
    const ck = `${configAddress}\u0001${moduleSel.map(selKey).join("\u0000")}\u0001${selKey(keySel)}`;
    const hit = this.cache.get(ck);
    if (hit) return hit;
    const out: number[] = [];
    // A fully bound module path names one group: look it up instead of scanning every module instance.
    let candidates: Iterable<InstanceGroup> = groups.values();
    if (!moduleSel.includes(ANY)) {
      const first = groups.values().next().value!;
      const exact = groups.get(first.moduleNames.map((n, i) => `module.${n}${formatKey(moduleSel[i] as InstanceKey | undefined)}`).join("."));
      if (exact) candidates = groups.has("?") ? [exact, groups.get("?")!] : [exact];
    }
    for (const g of candidates) {
      if (g.moduleKeys !== undefined) {
        let ok = g.moduleKeys.length === moduleSel.length;
        for (let i = 0; ok && i < moduleSel.length; i++) {
          const s = moduleSel[i];
          if (s !== ANY && !sameKey(s, g.moduleKeys[i])) ok = false;
        }
        if (!ok) continue;
      }
      for (let i = 0; i < g.ids.length; i++) if (keySel === ANY || sameKey(keySel, g.keys[i])) out.push(g.ids[i]!);
    }
    this.cache.set(ck, out);
    return out;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStepList(p: InternedPath, steps: readonly ModuleStep[]): boolean {
  if (p.keys.length !== steps.length || p.names.length !== steps.length) return false;
  for (let i = 0; i < steps.length; i++) if (p.keys[i] !== steps[i]!.key || p.names[i] !== steps[i]!.name) return false;
  return true;
}

function sameSteps(p: InternedPath, names: readonly string[], keys: readonly (InstanceKey | undefined)[]): boolean {
  if (p.keys === keys && p.names === names) return true;
  if (p.keys.length !== keys.length || p.names.length !== names.length) return false;
  for (let i = 0; i < keys.length; i++) if (p.keys[i] !== keys[i] || p.names[i] !== names[i]) return false;
  return true;
}

function selKey(s: KeySel): string {
  return s === ANY ? "*" : s === undefined ? "" : typeof s + ":" + String(s);
}
