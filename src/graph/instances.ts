// Instances of each config resource, grouped by module instance, and matching of instance patterns against them
// (`module.each["east"].terraform_data.first`, `terraform_data.a[1]`, `module.m[*].x.y[*]`).

import { formatKey, parseAddress, type InstanceKey } from "../plan/address.js";
import { ANY, type KeySel } from "./resolve.js";

/** The instances of one config resource in one module instance. */
export interface InstanceGroup {
  configAddress: string;
  moduleNames: readonly string[];
  /** Module step keys of this module instance; undefined when the address could not be parsed (matches any). */
  moduleKeys: readonly (InstanceKey | undefined)[] | undefined;
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

export class InstanceIndex {
  private readonly byConfig = new Map<string, Map<string, InstanceGroup>>();
  private readonly cache = new Map<string, readonly number[]>();

  /** Adds an instance; `groupKey` names its module instance (equal for instances of one module instance). */
  add(id: number, info: InstanceInfo, groupKey: string): InstanceGroup {
    let groups = this.byConfig.get(info.configAddress);
    if (!groups) this.byConfig.set(info.configAddress, (groups = new Map()));
    let g = groups.get(groupKey);
    if (!g) groups.set(groupKey, (g = { configAddress: info.configAddress, moduleNames: info.moduleNames, moduleKeys: info.moduleKeys, ids: [], keys: [] }));
    g.ids.push(id);
    g.keys.push(info.key);
    return g;
  }

  /** Every group: one per config resource and module instance. */
  *groups(): Generator<InstanceGroup> {
    for (const m of this.byConfig.values()) yield* m.values();
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

function selKey(s: KeySel): string {
  return s === ANY ? "*" : s === undefined ? "" : typeof s + ":" + String(s);
}
