// Scales a real estate plan (bench/terraform.ts) to any number of app instances while keeping it a valid plan:
// every part that belongs to one instance of `module.app` (its resource_changes rows, its planned_values and
// prior_state module subtrees, its relevant_attributes, its entries in the variable and output maps) is copied from
// a seed instance with the instance key and the ids of its own objects rewritten, so addresses and ids stay unique,
// ids referenced across resources (triggers_replace) stay consistent, and configuration (module calls with for_each)
// and prior_state depends_on stay true for every copy. Written by streaming: no whole-file string is ever built.

import { closeSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const OWNER = /^module\.app\["([^"\\]+)"\]/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Token = string | { key: true } | { uuid: string };

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A piece of JSON text of one seed instance, split where the instance key and the instance's own ids occur. */
class Template {
  readonly tokens: Token[] = [];
  constructor(text: string, key: string, ownIds: ReadonlySet<string>) {
    const re = new RegExp(`${UUID}|${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "g");
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const s = m[0];
      if (s === key) {
        this.tokens.push(text.slice(last, m.index), { key: true });
      } else if (ownIds.has(s)) {
        this.tokens.push(text.slice(last, m.index), { uuid: s.slice(0, 24) });
      } else continue;
      last = m.index + s.length;
    }
    this.tokens.push(text.slice(last));
  }
  render(key: string, instance: number): string {
    const suffix = instance.toString(16).padStart(12, "0");
    let out = "";
    for (const t of this.tokens) out += typeof t === "string" ? t : "key" in t ? key : t.uuid + suffix;
    return out;
  }
}

/** Buffered synchronous writer: fast, and never holds more than a few MiB. */
class Out {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(file: string) {
    this.fd = openSync(file, "w");
  }
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 4 * 1024 * 1024) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(""), "utf8");
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface ScaleResult {
  file: string;
  bytes: number;
  instances: number;
  resourceChanges: number;
  replaced: number;
}

/**
 * Writes `out`: the seed plan with its app instances replaced by `instances` copies (instance i copies seed instance
 * i mod seedCount under the key `keyOf(i)`).
 */
export function scalePlan(seedFile: string, out: string, instances: number, keyOf: (i: number) => string): ScaleResult {
  const seed = JSON.parse(readFileSync(seedFile, "utf8")) as Json;
  if (!isObj(seed) || !Array.isArray(seed.resource_changes)) throw new Error(`${seedFile}: not a plan`);
  // The seed's instance keys, and the ids of each instance's own objects (from prior_state and before values).
  const seedKeys: string[] = [];
  const ownIds = new Map<string, Set<string>>();
  let perInstance = 0;
  let replacedPerCycle = 0;
  let fixedChanges = 0;
  for (const rc of seed.resource_changes) {
    if (!isObj(rc) || typeof rc.address !== "string") continue;
    const m = OWNER.exec(rc.address);
    const change = isObj(rc.change) ? rc.change : {};
    const replaced = Array.isArray(change.actions) && change.actions.includes("delete") && change.actions.includes("create");
    if (!m) {
      fixedChanges++;
      continue;
    }
    const key = m[1]!;
    if (!ownIds.has(key)) {
      seedKeys.push(key);
      ownIds.set(key, new Set());
    }
    if (replaced) replacedPerCycle++;
    const before = change.before;
    if (isObj(before) && typeof before.id === "string") ownIds.get(key)!.add(before.id);
  }
  if (seedKeys.length === 0) throw new Error(`${seedFile}: no module.app instances to scale`);
  perInstance = (seed.resource_changes.length - fixedChanges) / seedKeys.length;
  const keySet = new Set(seedKeys);

  const template = (v: Json | undefined, key: string): Template => {
    const text = JSON.stringify(v);
    return new Template(text, key, ownIds.get(key)!);
  };

  const w = new Out(out + ".tmp");
  const ownerOf = (el: Json | undefined): string | undefined => {
    if (!isObj(el)) return undefined;
    const a = typeof el.address === "string" ? el.address : typeof el.resource === "string" ? el.resource : undefined;
    const m = a === undefined ? null : OWNER.exec(a);
    return m && keySet.has(m[1]!) ? m[1] : undefined;
  };
  const hasInstanceContent = (v: Json | undefined): boolean => {
    if (Array.isArray(v)) return v.some((el) => ownerOf(el) !== undefined || hasInstanceContent(el));
    if (isObj(v)) return Object.entries(v).some(([k, x]) => keySet.has(k) || hasInstanceContent(x));
    return false;
  };

  const writeValue = (v: Json | undefined): void => {
    if (!hasInstanceContent(v)) {
      w.write(JSON.stringify(v));
      return;
    }
    if (Array.isArray(v)) {
      // Owned elements, grouped by seed instance, are written as all copies where the first owned element was.
      const groups = new Map<string, Template[]>();
      for (const el of v) {
        const k = ownerOf(el);
        if (k !== undefined) {
          if (!groups.has(k)) groups.set(k, []);
          groups.get(k)!.push(template(el, k));
        }
      }
      w.write("[");
      let first = true;
      let ownedDone = false;
      for (const el of v) {
        const k = ownerOf(el);
        if (k !== undefined) {
          if (ownedDone) continue;
          ownedDone = true;
          for (let i = 0; i < instances; i++) {
            const ts = groups.get(seedKeys[i % seedKeys.length]!) ?? [];
            const nk = keyOf(i);
            for (const t of ts) {
              if (!first) w.write(",");
              first = false;
              w.write(t.render(nk, i));
            }
          }
          continue;
        }
        if (!first) w.write(",");
        first = false;
        writeValue(el);
      }
      w.write("]");
      return;
    }
    if (isObj(v)) {
      const entries = Object.entries(v);
      const owned = new Map<string, Template>();
      for (const [k, x] of entries) if (keySet.has(k)) owned.set(k, template(x, k));
      w.write("{");
      let first = true;
      let ownedDone = false;
      for (const [k, x] of entries) {
        if (keySet.has(k)) {
          if (ownedDone) continue;
          ownedDone = true;
          for (let i = 0; i < instances; i++) {
            const t = owned.get(seedKeys[i % seedKeys.length]!);
            if (!t) continue;
            if (!first) w.write(",");
            first = false;
            w.write(JSON.stringify(keyOf(i)) + ":" + t.render(keyOf(i), i));
          }
          continue;
        }
        if (!first) w.write(",");
        first = false;
        w.write(JSON.stringify(k) + ":");
        writeValue(x);
      }
      w.write("}");
    }
  };
  writeValue(seed);
  w.write("\n");
  w.close();
  renameSync(out + ".tmp", out);
  const cycles = Math.floor(instances / seedKeys.length);
  let replaced = cycles * replacedPerCycle;
  // Replacements of the partial last cycle, and of the fixed (root) rows.
  for (const rc of seed.resource_changes) {
    if (!isObj(rc) || typeof rc.address !== "string" || !isObj(rc.change) || !Array.isArray(rc.change.actions)) continue;
    const isRep = rc.change.actions.includes("delete") && rc.change.actions.includes("create");
    if (!isRep) continue;
    const m = OWNER.exec(rc.address);
    if (!m) replaced++;
    else if (seedKeys.indexOf(m[1]!) < instances % seedKeys.length) replaced++;
  }
  return { file: out, bytes: w.bytes, instances, resourceChanges: fixedChanges + instances * perInstance, replaced };
}

/** JSON text split at literal strings, each replaced by a function of the copy's index when rendered. */
class Substitution {
  private readonly parts: (string | number)[] = [];
  constructor(
    text: string,
    private readonly subs: readonly { from: string; to: (i: number) => string }[],
  ) {
    const re = new RegExp([...subs.map((s, k) => ({ s, k }))].sort((a, b) => b.s.from.length - a.s.from.length).map(({ s }) => s.from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    const index = new Map(subs.map((s, k) => [s.from, k]));
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.parts.push(text.slice(last, m.index), index.get(m[0])!);
      last = m.index + m[0].length;
    }
    this.parts.push(text.slice(last));
  }
  render(i: number): string {
    let out = "";
    for (const p of this.parts) out += typeof p === "string" ? p : this.subs[p]!.to(i);
    return out;
  }
}

const pad4 = (i: number): string => String(i).padStart(4, "0");
const synthId = (series: string, i: number): string => `${series}0000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

/**
 * Extends the real chain plan (bench/terraform.ts: terraform_data.c0000 -> c0001 -> ... and terraform_data.other[0..])
 * to `chain` chained resources and `others` independent ones. Rows past the seed's are copies of its last chain row
 * and last `other` row with names, indices, ids, the predecessor's id and prior_state depends_on (every earlier link,
 * as terraform records it) rewritten; `other`'s count in configuration is set to match.
 */
export function extendChain(seedFile: string, out: string, chain: number, others: number): ScaleResult {
  const seed = JSON.parse(readFileSync(seedFile, "utf8")) as Json;
  if (!isObj(seed) || !Array.isArray(seed.resource_changes)) throw new Error(`${seedFile}: not a plan`);
  const CHAIN = /^terraform_data\.c(\d{4})$/;
  const OTHER = /^terraform_data\.other\[(\d+)\]$/;
  const ids = new Map<string, string>();
  let seedChain = 0;
  let seedOthers = 0;
  for (const rc of seed.resource_changes) {
    if (!isObj(rc) || typeof rc.address !== "string" || !isObj(rc.change)) continue;
    if (CHAIN.test(rc.address)) seedChain++;
    if (OTHER.test(rc.address)) seedOthers++;
    if (isObj(rc.change.before) && typeof rc.change.before.id === "string") ids.set(rc.address, rc.change.before.id);
  }
  if (seedChain < 3 || seedOthers < 1) throw new Error(`${seedFile}: not a chain plan`);
  const chainId = (i: number): string => (i < seedChain ? ids.get(`terraform_data.c${pad4(i)}`)! : synthId("c", i));
  const otherId = (k: number): string => (k < seedOthers ? ids.get(`terraform_data.other[${k}]`)! : synthId("e", k));
  // Substitutions for copies of the element at index m of a series (copy i replaces m).
  const chainSubs = (m: number) => [
    { from: `c${pad4(m)}`, to: (i: number) => `c${pad4(i)}` },
    { from: `c${pad4(m - 1)}`, to: (i: number) => `c${pad4(i - 1)}` },
    { from: chainId(m), to: chainId },
    { from: chainId(m - 1), to: (i: number) => chainId(i - 1) },
    { from: `"step":${m}`, to: (i: number) => `"step":${i}` },
    { from: "__DEPENDS_ON__", to: (i: number) => JSON.stringify(Array.from({ length: i }, (_, j) => `terraform_data.c${pad4(j)}`)) },
  ];
  const otherSubs = (m: number) => [
    { from: `other[${m}]`, to: (k: number) => `other[${k}]` },
    { from: `"index":${m}`, to: (k: number) => `"index":${k}` },
    { from: `other-${m}`, to: (k: number) => `other-${k}` },
    { from: otherId(m), to: otherId },
  ];
  // Configuration: `other` gets the new count.
  const cfg = isObj(seed.configuration) && isObj(seed.configuration.root_module) ? seed.configuration.root_module : undefined;
  for (const r of cfg && Array.isArray(cfg.resources) ? cfg.resources : []) {
    if (isObj(r) && r.address === "terraform_data.other") r.count_expression = { constant_value: others };
  }
  const seriesOf = (el: Json | undefined): { series: "chain" | "other"; index: number } | undefined => {
    if (!isObj(el)) return undefined;
    const a = typeof el.address === "string" ? el.address : typeof el.resource === "string" ? el.resource : undefined;
    if (a === undefined) return undefined;
    const c = CHAIN.exec(a);
    if (c) return { series: "chain", index: Number(c[1]) };
    const o = OTHER.exec(a);
    return o ? { series: "other", index: Number(o[1]) } : undefined;
  };
  const w = new Out(out + ".tmp");
  const writeValue = (v: Json | undefined): void => {
    if (Array.isArray(v)) {
      // The last element of each series in this array is the template for the copies written after it.
      const last = { chain: -1, other: -1 };
      for (const el of v) {
        const sr = seriesOf(el);
        if (sr) last[sr.series] = Math.max(last[sr.series], sr.index);
      }
      w.write("[");
      v.forEach((el, n) => {
        if (n > 0) w.write(",");
        const sr = seriesOf(el);
        if (!sr || !isObj(el) || sr.index !== last[sr.series]) {
          writeValue(el);
          return;
        }
        w.write(JSON.stringify(el));
        const m = sr.index;
        if (sr.series === "chain") {
          const copy = { ...el };
          if (Array.isArray(copy.depends_on)) copy.depends_on = "__DEPENDS_ON__";
          const t = new Substitution(JSON.stringify(copy).replace('"__DEPENDS_ON__"', "__DEPENDS_ON__"), chainSubs(m));
          for (let i = m + 1; i <= m + chain - seedChain; i++) w.write("," + t.render(i));
        } else {
          const t = new Substitution(JSON.stringify(el), otherSubs(m));
          for (let k = m + 1; k <= m + others - seedOthers; k++) w.write("," + t.render(k));
        }
      });
      w.write("]");
      return;
    }
    if (isObj(v)) {
      w.write("{");
      Object.entries(v).forEach(([k, x], n) => {
        w.write((n > 0 ? "," : "") + JSON.stringify(k) + ":");
        writeValue(x);
      });
      w.write("}");
      return;
    }
    w.write(JSON.stringify(v));
  };
  writeValue(seed);
  w.write("\n");
  w.close();
  renameSync(out + ".tmp", out);
  return { file: out, bytes: w.bytes, instances: 1, resourceChanges: chain + others, replaced: chain };
}
