// Instances of each config resource, grouped by module instance, and matching of instance patterns against them
// (`module.each["east"].terraform_data.first`, `terraform_data.a[1]`, `module.m[*].x.y[*]`).

import { sameStrings } from "../lists.js";
import { formatKey, formatModulePath, parseAddress, type InstanceKey, type ModuleStep } from "../plan/address.js";
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
  /**
   * The groups whose group key is this module instance's path, once one is made: matchIn finds them here rather than
   * in the map of every group key (a lookup that misses the processor's cache on a large plan).
   */
  groups: KeyGroups | undefined;
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
  /** The instance key of each of `ids`; undefined while every one is undefined (a resource without count/for_each). */
  keys: (InstanceKey | undefined)[] | undefined;
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

/** `module.a["x"].module.b[0]` (formatModulePath) from module names and their keys: the group key of that module instance. */
export function modulePathOf(names: readonly string[], keys: readonly (InstanceKey | undefined)[]): string {
  return formatModulePath(names.map((name, i) => ({ name, key: keys[i] })));
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

/** The groups of one config resource, and whether every group is keyed by its module instance's path. */
export interface ConfigGroups {
  readonly configAddress: string;
  /** Every group of the resource, in the order they were made. */
  readonly list: InstanceGroup[];
  /** The first group's module names. */
  names: readonly string[];
  /** Every group has parsed keys, the first group's module names and its module instance's path as group key. */
  regular: boolean;
}

/**
 * The groups of every config resource under one group key (one module instance), and the key's interned path once
 * known. Groups are found by group key, then config address among the few of that module instance: one lookup in a
 * map of module instances per row, where a map of module instances per config resource cost two lookups and an
 * insert in maps of ~100k entries each (a 580k-change plan has 13 config resources in 116k module instances).
 */
export interface KeyGroups {
  /** The groups, while there are at most SCAN_GROUPS. */
  readonly groups: InstanceGroup[];
  /** The groups by config address, once there are more (a flat root module has thousands); `groups` then stays as it was. */
  byConfig: Map<string, InstanceGroup> | undefined;
  path: InternedPath | undefined;
}

/** Groups of one module instance looked through one by one; past this many, a map (else a flat plan is quadratic). */
const SCAN_GROUPS = 8;

const NONE: readonly number[] = Object.freeze([]);

export class InstanceIndex {
  private readonly byConfig = new Map<string, ConfigGroups>();
  private readonly byKey = new Map<string, KeyGroups>();
  private readonly cache = new Map<string, readonly number[]>();
  private readonly root: ModuleInstance = { id: 0, depth: 0, parent: undefined, name: undefined, path: "", children: undefined, groups: undefined };
  private moduleInstances = 1;
  /** Module instances by group key: groups of different resources in one module instance share it. */
  private readonly byGroupKey = new Map<string, InternedPath>();

  /** Adds an instance; `groupKey` names its module instance (equal for instances of one module instance). */
  add(id: number, info: InstanceInfo, groupKey: string): InstanceGroup {
    const kg = this.keyGroups(groupKey);
    const g = groupIn(kg, info.configAddress);
    if (g) {
      this.push(g, id, info.key);
      return g;
    }
    return this.newGroup(kg, info.configAddress, groupKey, info.moduleNames, info.moduleKeys, undefined, id, info.key);
  }

  /**
   * Adds the instance `id` of a plan row to the group of `configAddress` in the module instance `groupKey`, started
   * if it has none yet (the module path given as steps: groups in one module instance share its name and key lists).
   */
  addRow(configAddress: string, groupKey: string, steps: readonly ModuleStep[], id: number, key: InstanceKey | undefined): InstanceGroup {
    const kg = this.keyGroups(groupKey);
    const g = groupIn(kg, configAddress);
    if (g) {
      this.push(g, id, key);
      return g;
    }
    let p = kg.path;
    if (!p || !sameStepList(p, steps)) {
      p = this.byGroupKey.get(groupKey);
      if (!p || !sameStepList(p, steps)) {
        const names = steps.map((m) => m.name);
        const keys = steps.map((m) => m.key);
        p = { mi: this.moduleInstance(groupKey, names, keys), names, keys };
      }
      kg.path = p;
    }
    return this.newGroup(kg, configAddress, groupKey, p.names, p.keys, p.mi, id, key);
  }

  /** The group of `configAddress` in the module instance `groupKey`, if it has one yet. */
  group(configAddress: string, groupKey: string): InstanceGroup | undefined {
    const kg = this.byKey.get(groupKey);
    return kg === undefined ? undefined : groupIn(kg, configAddress);
  }

  private keyGroups(groupKey: string): KeyGroups {
    let kg = this.byKey.get(groupKey);
    if (kg === undefined) this.byKey.set(groupKey, (kg = { groups: [], byConfig: undefined, path: undefined }));
    return kg;
  }

  /** Starts the group of `configAddress` in the module instance `groupKey` (which must have none yet), with instance `id`. */
  private newGroup(
    kg: KeyGroups,
    configAddress: string,
    groupKey: string,
    moduleNames: readonly string[],
    moduleKeys: readonly (InstanceKey | undefined)[] | undefined,
    mi: ModuleInstance | undefined,
    id: number,
    key: InstanceKey | undefined,
  ): InstanceGroup {
    let cg = this.byConfig.get(configAddress);
    if (!cg) this.byConfig.set(configAddress, (cg = { configAddress, list: [], names: moduleNames, regular: true }));
    const g: InstanceGroup = { configAddress, moduleNames, moduleKeys, mi: mi ?? this.moduleInstance(groupKey, moduleNames, moduleKeys), ids: [id], keys: key === undefined ? undefined : [key] };
    cg.list.push(g);
    if (g.mi.groups === undefined && g.mi.path === groupKey) g.mi.groups = kg;
    if (kg.byConfig !== undefined) kg.byConfig.set(configAddress, g);
    else if (kg.groups.length < SCAN_GROUPS) kg.groups.push(g);
    else kg.byConfig = new Map([...kg.groups.map((x): [string, InstanceGroup] => [x.configAddress, x]), [configAddress, g]]);
    if (cg.regular && (moduleKeys === undefined || g.mi.path !== groupKey || !sameStrings(cg.names, moduleNames))) cg.regular = false;
    return g;
  }

  private push(g: InstanceGroup, id: number, key: InstanceKey | undefined): void {
    if (g.keys === undefined && key !== undefined) g.keys = new Array<InstanceKey | undefined>(g.ids.length).fill(undefined);
    g.ids.push(id);
    g.keys?.push(key);
  }

  /** Every group: one per config resource and module instance. */
  *groups(): Generator<InstanceGroup> {
    for (const cg of this.byConfig.values()) yield* cg.list;
  }

  /** The groups of a config resource (a handle for matchIn). */
  configGroups(configAddress: string): ConfigGroups | undefined {
    return this.byConfig.get(configAddress);
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
        c = { id: this.moduleInstances++, depth: m.depth + 1, parent: m, name, path: `${m.depth === 0 ? "" : m.path + "."}module.${name}${formatKey(k)}`, children: undefined, groups: undefined };
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
  matchIn(cg: ConfigGroups | undefined, mi: ModuleInstance, keySel: KeySel): readonly number[] | undefined {
    if (!cg) return NONE;
    if (!cg.regular || cg.names.length !== mi.depth) return undefined;
    for (let m = mi, i = mi.depth - 1; i >= 0; m = m.parent!, i--) if (m.name !== cg.names[i]) return undefined;
    // Regular: the group keyed by mi's path is the one whose module instance is mi (a path names one instance).
    const kg = mi.groups ?? this.byKey.get(mi.path);
    const g = kg === undefined ? undefined : groupIn(kg, cg.configAddress);
    if (!g) return undefined;
    if (keySel === ANY) return g.ids;
    const out: number[] = [];
    for (let i = 0; i < g.ids.length; i++) if (sameKey(keySel, g.keys?.[i])) out.push(g.ids[i]!);
    return out;
  }

  /** Instances of `configAddress` whose module keys match `moduleSel` and whose own key matches `keySel`. */
  match(configAddress: string, moduleSel: readonly KeySel[], keySel: KeySel): readonly number[] {
    const groups = this.byConfig.get(configAddress)?.list;
    if (!groups) return [];
    const ck = `${configAddress}\u0001${moduleSel.map(selKey).join("\u0000")}\u0001${selKey(keySel)}`;
    const hit = this.cache.get(ck);
    if (hit) return hit;
    const out: number[] = [];
    // A fully bound module path names one group: look it up instead of scanning every module instance.
    let candidates: Iterable<InstanceGroup> = groups;
    if (!moduleSel.includes(ANY)) {
      const first = groups[0]!;
      const exact = this.group(configAddress, modulePathOf(first.moduleNames, moduleSel as readonly (InstanceKey | undefined)[]));
      const unknown = this.group(configAddress, "?");
      if (exact) candidates = unknown ? [exact, unknown] : [exact];
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
      for (let i = 0; i < g.ids.length; i++) if (keySel === ANY || sameKey(keySel, g.keys?.[i])) out.push(g.ids[i]!);
    }
    this.cache.set(ck, out);
    return out;
  }
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
  // JSON quoting keeps a string key's NUL or \u0001 from reading as the separators the cache key joins with.
  return s === ANY ? "*" : s === undefined ? "" : typeof s === "string" ? JSON.stringify(s) : typeof s + ":" + String(s);
}

/** The group of `configAddress` among one module instance's (one per resource of its module: usually a few). */
function groupIn(kg: KeyGroups, configAddress: string): InstanceGroup | undefined {
  if (kg.byConfig !== undefined) return kg.byConfig.get(configAddress);
  for (const g of kg.groups) if (g.configAddress === configAddress) return g;
  return undefined;
}
