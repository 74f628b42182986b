// Root causes: groups a cascade of destructive changes by the one input that explains them ("30 resources are
// replaced because `var.network_cidr` changed"), from the configuration's references and the dependency graph.

import { entryOf } from "../lists.js";
import type { ConfigModule, ConfigResource } from "../plan/configuration.js";
import type { Plan, ResourceChange } from "../plan/model.js";
import type { GraphView } from "./graph-view.js";
import type { RootCause } from "./types.js";

interface Cause {
  key: string;
  kind: RootCause["kind"];
  /** How the cause reaches the root resource, cause first. */
  chain: string[];
}

const SKIP_PREFIXES = ["count.", "each.", "path.", "terraform.", "self", "self."];

function moduleAt(plan: Plan, names: readonly string[]): ConfigModule | undefined {
  let m = plan.configuration?.rootModule;
  for (const n of names) m = m?.moduleCalls[n]?.module;
  return m;
}

function resourceConfig(plan: Plan, rc: ResourceChange): ConfigResource | undefined {
  const mod = moduleAt(
    plan,
    rc.module.map((s) => s.name),
  );
  if (!mod) return undefined;
  const local = `${rc.mode === "data" ? "data." : ""}${rc.type}.${rc.name}`;
  // An index per module (first block wins, as a scan would find it): scanning the module's blocks once per change
  // was quadratic (8,000 replaced resources in one module: 2 s, and a minute at 50,000).
  let index = RESOURCE_INDEX.get(mod);
  if (!index) {
    index = new Map();
    for (const r of mod.resources) if (!index.has(r.address)) index.set(r.address, r);
    RESOURCE_INDEX.set(mod, index);
  }
  return index.get(local);
}

const RESOURCE_INDEX = new WeakMap<ConfigModule, Map<string, ConfigResource>>();

function qualify(modNames: readonly string[], s: string): string {
  return modNames.length ? `${modNames.map((n) => `module.${n}`).join(".")}.${s}` : s;
}

/** Work left for one change's trace, and the (module, reference) pairs already traced. */
interface TraceBudget {
  left: number;
  seen: Set<string>;
}

/**
 * Traces a reference in a module scope back to root variables, locals and resources. Each (module, reference) pair
 * is traced once: module outputs and inputs can form a cycle in a hand-edited plan, and retracing it until the budget
 * ran out copied a growing chain at every step (500 changes through one cycle took minutes).
 */
function traceRef(plan: Plan, modNames: readonly string[], ref: string, chain: string[], out: Cause[], budget: TraceBudget): void {
  if (budget.left-- <= 0) return;
  const visit = `${modNames.join(".")}\u0000${ref}`;
  if (budget.seen.has(visit)) return;
  budget.seen.add(visit);
  if (SKIP_PREFIXES.some((p) => ref === p || ref.startsWith(p))) return;
  const here = qualify(modNames, ref);
  if (ref.startsWith("var.")) {
    const name = ref.slice(4).split(/[.[]/)[0]!;
    if (modNames.length === 0) {
      out.push({ key: `var.${name}`, kind: "variable", chain: [`var.${name}`, ...chain] });
      return;
    }
    const parentNames = modNames.slice(0, -1);
    const call = moduleAt(plan, parentNames)?.moduleCalls[modNames[modNames.length - 1]!];
    const input = call?.inputs.filter((i) => i.attribute === name || i.attribute.startsWith(`${name}.`) || i.attribute.startsWith(`${name}[`));
    if (!input || input.length === 0) {
      out.push({ key: qualify(modNames, `var.${name}`), kind: "variable", chain: [qualify(modNames, `var.${name}`), ...chain] });
      return;
    }
    for (const i of input) for (const r of mostSpecific(i.references)) traceRef(plan, parentNames, r, [qualify(modNames, `var.${name}`), ...chain], out, budget);
    return;
  }
  if (ref.startsWith("local.")) {
    const name = ref.slice(6).split(/[.[]/)[0]!;
    out.push({ key: qualify(modNames, `local.${name}`), kind: "other", chain: [qualify(modNames, `local.${name}`), ...chain] });
    return;
  }
  if (ref.startsWith("module.")) {
    const m = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][A-Za-z0-9_-]*))?/.exec(ref);
    if (!m) return;
    const child = [...modNames, m[1]!];
    const out_ = m[2] ? moduleAt(plan, child)?.outputs[m[2]] : undefined;
    if (!out_) {
      out.push({ key: qualify(modNames, `module.${m[1]}`), kind: "other", chain: [here, ...chain] });
      return;
    }
    for (const r of mostSpecific(out_.references)) traceRef(plan, child, r, [qualify(modNames, `module.${m[1]}.${m[2]}`), ...chain], out, budget);
    return;
  }
  // A resource or data source: T.N or data.T.N (longest prefix of two or three parts).
  const parts = ref.split(".");
  const addr = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
  const key = qualify(modNames, addr.replace(/\[.*$/, ""));
  out.push({ key, kind: "resource", chain: [key, ...chain] });
}

/** Terraform lists every prefix of a traversal (`module.m.out` and `module.m`); keep only the longest ones. */
export function mostSpecific(refs: readonly string[]): string[] {
  const set = [...new Set(refs)];
  return set.filter((r) => !set.some((o) => o !== r && (o.startsWith(`${r}.`) || o.startsWith(`${r}[`))));
}

/** The causes of one root destructive change, most specific first. */
function causesOf(plan: Plan, rc: ResourceChange): Cause[] {
  const reason = rc.actionReason;
  const modNames = rc.module.map((s) => s.name);
  switch (reason) {
    case "replace_by_request":
      return [{ key: `-replace=${rc.address}`, kind: "other", chain: [`terraform plan -replace=${rc.address}`, rc.address] }];
    case "replace_because_tainted":
      return [{ key: `tainted:${rc.address}`, kind: "other", chain: [`${rc.address} is tainted`, rc.address] }];
    case "delete_because_no_module":
      return [{ key: rc.moduleAddress, kind: "module-removed", chain: [`${rc.moduleAddress} removed from the configuration`, rc.address] }];
    case "delete_because_no_resource_config":
      return [{ key: "blocks-removed", kind: "other", chain: ["resource block removed from the configuration", rc.address] }];
    case "delete_because_no_move_target":
      return [{ key: `moved-nowhere:${rc.address}`, kind: "other", chain: [`a moved block moves ${rc.address} to an address with no configuration`, rc.address] }];
    case "replace_by_triggers":
      return [{ key: `triggers:${rc.address}`, kind: "other", chain: [`a replace_triggered_by reference of ${rc.address} changed`, rc.address] }];
    case "delete_because_count_index":
    case "delete_because_each_key":
    case "delete_because_wrong_repetition":
      return [{ key: `repetition:${rc.configAddress}`, kind: "other", chain: [`the count or for_each of ${rc.configAddress} changed`, rc.address] }];
  }
  if (rc.kind === "delete" && reason === undefined && rc.deposed === undefined) {
    return [{ key: "destroy-mode", kind: "other", chain: ["the plan was made in destroy mode (terraform plan -destroy)", rc.address] }];
  }
  const cfg = resourceConfig(plan, rc);
  const out: Cause[] = [];
  const budget: TraceBudget = { left: 2000, seen: new Set() };
  const heads = new Set(rc.replacePaths.map((p) => String(p[0] ?? "")).filter((s) => s !== ""));
  for (const head of heads) {
    const attrRefs = cfg?.refs.filter((r) => r.attribute === head || r.attribute.startsWith(`${head}.`) || r.attribute.startsWith(`${head}[`)) ?? [];
    for (const a of attrRefs) for (const ref of mostSpecific(a.references)) traceRef(plan, modNames, ref, [`${rc.address} (${a.attribute})`], out, budget);
    if (attrRefs.length === 0) out.push({ key: `${rc.address}.${head}`, kind: "attribute", chain: [`${rc.address}: ${head} changed in the configuration`] });
  }
  if (out.length === 0) out.push({ key: rc.address, kind: "resource", chain: [rc.address] });
  const rank = (c: Cause): number => (c.kind === "variable" ? 0 : c.kind === "attribute" ? 1 : c.kind === "resource" ? 3 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/** Replaced on request or because tainted: its own cause, never explained by another change. */
function causedBySelf(d: ResourceChange): boolean {
  return d.actionReason === "replace_by_request" || d.actionReason === "replace_because_tainted";
}

const VERB: Record<string, string> = { replace: "are replaced", delete: "are deleted", mixed: "are destroyed or replaced" };

/**
 * Groups destructive changes by root cause. A change is explained by a destructive replace it depends on directly
 * (its new value is unknown until that replace happens); the changes nothing explains are the roots, and each root's
 * cause comes from the references of the attributes that force it (traced through module inputs to variables).
 */
export function findRootCauses(plan: Plan, graph: GraphView | undefined, destructive: readonly ResourceChange[]): RootCause[] {
  const live = destructive.filter((d) => d.deposed === undefined && d.kind !== "forget");
  // Each distinct address gets an id; the last row of an address is its change (as a map by address keeps).
  const idOf = new Map<string, number>();
  const rowId = new Int32Array(live.length);
  const changeOfId: ResourceChange[] = [];
  const addressOfId: string[] = [];
  for (let k = 0; k < live.length; k++) {
    const d = live[k]!;
    let a = idOf.get(d.address);
    if (a === undefined) {
      a = addressOfId.length;
      idOf.set(d.address, a);
      addressOfId.push(d.address);
    }
    changeOfId[a] = d;
    rowId[k] = a;
  }
  const n = addressOfId.length;
  /** The ids that explain each id (unset: none). */
  const explainedBy: (number[] | undefined)[] = new Array(n);
  if (graph && n > 0) {
    const idAtNode = new Int32Array(graph.size).fill(-1);
    const nodeOfId = new Int32Array(n).fill(-1);
    for (let a = 0; a < n; a++) {
      const i = graph.indexOf(addressOfId[a]!);
      if (i === undefined) continue;
      idAtNode[i] = a;
      nodeOfId[a] = i;
    }
    for (let k = 0; k < live.length; k++) {
      const d = live[k]!;
      const i = nodeOfId[rowId[k]!]!;
      // A change its own reason explains (-replace, taint) is a root whatever it depends on: no walk for it.
      if (i < 0 || causedBySelf(d)) continue;
      const parents: number[] = [];
      graph.forEachDependency(i, (j) => {
        const pa = idAtNode[j]!;
        if (pa < 0) return;
        const p = changeOfId[pa]!;
        if (p !== d && p.kind !== "delete") parents.push(pa);
      });
      if (parents.length > 0) explainedBy[rowId[k]!] = parents;
    }
  }
  // Without a graph edge, the configuration can still tell: a change forced by a reference to a replaced resource
  // is explained by that resource.
  const byConfig = new Map<string, number[]>();
  for (let k = 0; k < live.length; k++) {
    const d = live[k]!;
    if (d.kind !== "delete") entryOf(byConfig, d.configAddress, () => []).push(k);
  }
  const rootCause: (Cause | undefined)[] = new Array(n);
  for (let k = 0; k < live.length; k++) {
    const d = live[k]!;
    const a = rowId[k]!;
    if (explainedBy[a] !== undefined) continue;
    const cause = causesOf(plan, d)[0]!;
    // (causesOf gives a change its own reason explains a cause of kind "other", so it finds no parents here.)
    const parents = cause.kind === "resource" ? (byConfig.get(cause.key) ?? []).filter((pk) => live[pk] !== d) : [];
    if (parents.length > 0) explainedBy[a] = parents.map((pk) => rowId[pk]!);
    else rootCause[a] = cause;
  }
  // children: who each change explains
  const children: (number[] | undefined)[] = new Array(n);
  for (let c = 0; c < n; c++) {
    const ps = explainedBy[c];
    if (ps) for (const p of ps) (children[p] ??= []).push(c);
  }
  const assigned = new Uint8Array(n);
  /** Rows of live whose change is a root. */
  const roots: number[] = [];
  for (let k = 0; k < live.length; k++) if (rootCause[rowId[k]!] !== undefined) roots.push(k);
  // Changes on a dependency cycle have no root: each becomes its own.
  const stack: number[] = [];
  const reach = (from: number): void => {
    stack.push(from);
    while (stack.length > 0) {
      const a = stack.pop()!;
      if (assigned[a]) continue;
      assigned[a] = 1;
      const cs = children[a];
      if (cs) for (const c of cs) stack.push(c);
    }
  };
  for (const k of roots) reach(rowId[k]!);
  for (let k = 0; k < live.length; k++) {
    const a = rowId[k]!;
    if (assigned[a]) continue;
    rootCause[a] = causesOf(plan, live[k]!)[0]!;
    roots.push(k);
    reach(a);
  }
  // Each cause's group: its roots and everything they explain, transitively (one stamp per group).
  const groups = new Map<string, { cause: Cause; roots: number[] }>();
  for (const k of roots) {
    const a = rowId[k]!;
    const cause = rootCause[a]!;
    const g = entryOf(groups, cause.key, () => ({ cause, roots: [] }));
    g.roots.push(a);
  }
  const stamp = new Int32Array(n);
  let groupNo = 0;
  const out: RootCause[] = [];
  for (const { cause, roots: from } of groups.values()) {
    groupNo++;
    const members: string[] = [];
    let deletes = false;
    let replaces = false;
    for (let r = from.length - 1; r >= 0; r--) stack.push(from[r]!);
    while (stack.length > 0) {
      const a = stack.pop()!;
      if (stamp[a] === groupNo) continue;
      stamp[a] = groupNo;
      members.push(addressOfId[a]!);
      if (changeOfId[a]!.kind === "delete") deletes = true;
      else replaces = true;
      const cs = children[a];
      if (cs) for (const c of cs) stack.push(c);
    }
    const list = members.sort();
    const verb = VERB[deletes && replaces ? "mixed" : deletes ? "delete" : "replace"]!;
    const n = list.length;
    const what =
      cause.kind === "module-removed"
        ? `module \`${cause.key}\` was removed`
        : cause.kind === "variable" || cause.kind === "resource" || /^(module\.|local\.)/.test(cause.key) || /^[a-z0-9_]+\.[A-Za-z0-9_-]+/.test(cause.key)
          ? `\`${cause.key}\` changed`
          : cause.key === "blocks-removed"
            ? n === 1
              ? "its resource block was removed from the configuration"
              : "their resource blocks were removed from the configuration"
            : cause.chain[0]!;
    out.push({
      cause: cause.key,
      kind: cause.kind,
      addresses: list,
      summary: `${n} resource${n === 1 ? "" : "s"} ${n === 1 ? verb.replace(/^are/, "is") : verb} because ${what}`,
      chain: cause.chain,
    });
  }
  return out.sort((a, b) => b.addresses.length - a.addresses.length || a.cause.localeCompare(b.cause));
}
