// The dense graph: addresses interned once, edges in Int32Array CSR form (forward and reverse), reasons interned.
// Measured on 100k nodes / 262k edges: graphlib 3.1 s and 415 MiB, this layout about 0.14 s and 98 MiB.

import type { EdgeVia, Graph, GraphJSON, GraphNode } from "./types.js";

/** A growable Int32Array. */
export class IntList {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/** Node ids by address. */
interface AddressIndex {
  get(address: string): number | undefined;
}

/**
 * What each node holds besides its address, in columns. A GraphNode object is made only when one is asked for
 * (CsrGraph.node, toJSON): `check` never asks, and one object per node cost ~0.4 s of allocating and collecting for
 * the 600k nodes of a 580k-change plan.
 */
interface NodeColumns {
  /** What the node shares with the other nodes of its config resource. */
  shared: NodeShared[];
  /** 1: the node has an object in prior_state. */
  inState: IntList;
  change: (string | undefined)[];
  /** The few deposed objects' keys, by node. */
  deposed: Map<number, string>;
}

/** What the nodes of one config resource share (one object per config resource, made by the caller). */
export interface NodeShared {
  readonly configAddress: string;
  readonly mode: GraphNode["mode"];
  /** The module path without keys. */
  readonly module: string;
  readonly inConfig: boolean;
}

/** The node `i` as a GraphNode, keys in one order (deposed before change) for the graph's JSON. */
function nodeOf(names: readonly string[], c: NodeColumns, i: number): GraphNode {
  const sh = c.shared[i]!;
  const n: GraphNode = { address: names[i]!, configAddress: sh.configAddress, mode: sh.mode, module: sh.module, inConfig: sh.inConfig, inState: c.inState.a[i] === 1 };
  const deposed = c.deposed.get(i);
  if (deposed !== undefined) n.deposed = deposed;
  const change = c.change[i];
  if (change !== undefined) n.change = change;
  return n;
}

/** Collects nodes and edges, then freezes them into a CsrGraph. Nodes must be added before edges that use them. */
export class GraphBuilder {
  private readonly names: string[] = [];
  private readonly cols: NodeColumns = { shared: [], inState: new IntList(), change: [], deposed: new Map() };
  private readonly ids = new Map<string, number>();
  private readonly from = new IntList();
  private readonly to = new IntList();
  private readonly via = new IntList();
  private readonly vias: EdgeVia[] = [];
  private readonly viaIds = new Map<string, number>();
  private readonly viaByObject = new Map<EdgeVia, Map<string | undefined, number>>();

  /**
   * `rows`: the place of each address among the first nodes, which the caller adds in that order with rowNode (the
   * plan's rows, when the reader saw no address twice: src/plan/build.ts rowPlaces). Those nodes then cost no map
   * operation here; the map of their addresses is the reader's, and `ids` holds only the other nodes.
   */
  constructor(
    readonly level: "resource" | "instance",
    private readonly rows?: ReadonlyMap<string, number>,
  ) {}

  get size(): number {
    return this.names.length;
  }

  /** Adds the node of the row at this place in `rows` (whose address is known to be there, once), not in state yet. */
  rowNode(address: string, shared: NodeShared, change: string | undefined): number {
    return this.append(address, shared, false, change, undefined);
  }

  /** Adds a node (or returns the existing one with this address). */
  node(n: GraphNode): number {
    return this.add(n.address, { configAddress: n.configAddress, mode: n.mode, module: n.module, inConfig: n.inConfig }, n.inState, n.change, n.deposed);
  }

  /** Adds a node with these fields (or returns the existing one with this address: its fields stay as they were). */
  add(address: string, shared: NodeShared, inState: boolean, change: string | undefined, deposed: string | undefined): number {
    const known = this.indexOf(address);
    if (known !== undefined) return known;
    const id = this.append(address, shared, inState, change, deposed);
    this.ids.set(address, id);
    return id;
  }

  private append(address: string, shared: NodeShared, inState: boolean, change: string | undefined, deposed: string | undefined): number {
    const c = this.cols;
    const id = this.names.length;
    this.names.push(address);
    c.shared.push(shared);
    c.change.push(change);
    c.inState.push(inState ? 1 : 0);
    if (deposed !== undefined) c.deposed.set(id, deposed);
    return id;
  }

  addressAt(i: number): string {
    return this.names[i]!;
  }

  /** Marks node `i` as having an object in prior_state. */
  setInState(i: number): void {
    this.cols.inState.a[i] = 1;
  }

  indexOf(address: string): number | undefined {
    return this.rows?.get(address) ?? this.ids.get(address);
  }

  /** Interns an edge reason (with `owner` set when given); equal reasons share one id. */
  viaId(v: EdgeVia, owner?: string): number {
    // Reasons are shared objects (one per reference of a block): look them up by identity first.
    let byOwner = this.viaByObject.get(v);
    if (!byOwner) this.viaByObject.set(v, (byOwner = new Map()));
    const hit = byOwner.get(owner);
    if (hit !== undefined) return hit;
    const full: EdgeVia = owner === undefined ? v : { ...v, owner };
    const key = `${full.kind}\u0000${full.attribute ?? ""}\u0000${full.detail ?? ""}\u0000${full.owner ?? ""}`;
    let id = this.viaIds.get(key);
    if (id === undefined) {
      id = this.vias.length;
      this.vias.push(full);
      this.viaIds.set(key, id);
    }
    byOwner.set(owner, id);
    return id;
  }

  /** Adds `from -> to` (from depends on to). Self-edges are dropped; duplicates keep the first reason. */
  edge(from: number, to: number, via: number): void {
    if (from === to) return;
    this.from.push(from);
    this.to.push(to);
    this.via.push(via);
  }

  build(): CsrGraph {
    const n = this.names.length;
    const m = this.from.n;
    const from = this.from.a;
    const to = this.to.a;
    const via = this.via.a;
    // Counting sort by `from`, stable, so the first reason added for a pair is the one kept.
    const off = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) off[from[e]! + 1]!++;
    for (let i = 0; i < n; i++) off[i + 1]! += off[i]!;
    const pos = off.slice(0, n);
    const sTo = new Int32Array(m);
    const sVia = new Int32Array(m);
    for (let e = 0; e < m; e++) {
      const p = pos[from[e]!]!++;
      sTo[p] = to[e]!;
      sVia[p] = via[e]!;
    }
    // Drop duplicate pairs in place with a per-node stamp.
    const seen = new Int32Array(n).fill(-1);
    const fOff = new Int32Array(n + 1);
    let w = 0;
    for (let i = 0; i < n; i++) {
      fOff[i] = w;
      for (let p = off[i]!; p < off[i + 1]!; p++) {
        const t = sTo[p]!;
        if (seen[t] === i) continue;
        seen[t] = i;
        sTo[w] = t;
        sVia[w] = sVia[p]!;
        w++;
      }
    }
    fOff[n] = w;
    const fTo = sTo.slice(0, w);
    const eVia = sVia.slice(0, w);
    const eFrom = new Int32Array(w);
    for (let i = 0; i < n; i++) for (let e = fOff[i]!; e < fOff[i + 1]!; e++) eFrom[e] = i;
    // Reverse CSR: for each node, the ids of edges that point at it.
    const rOff = new Int32Array(n + 1);
    for (let e = 0; e < w; e++) rOff[fTo[e]! + 1]!++;
    for (let i = 0; i < n; i++) rOff[i + 1]! += rOff[i]!;
    const rpos = rOff.slice(0, n);
    const rEdge = new Int32Array(w);
    for (let e = 0; e < w; e++) rEdge[rpos[fTo[e]!]!++] = e;
    const rows = this.rows;
    const ids = this.ids;
    const index: AddressIndex = rows === undefined ? ids : { get: (address) => rows.get(address) ?? ids.get(address) };
    return new CsrGraph(this.level, this.names, this.cols, index, fOff, fTo, eFrom, rOff, rEdge, eVia, this.vias);
  }
}

export class CsrGraph implements Graph {
  constructor(
    readonly level: "resource" | "instance",
    private readonly names: readonly string[],
    private readonly cols: NodeColumns,
    private readonly ids: AddressIndex,
    private readonly fOff: Int32Array,
    private readonly fTo: Int32Array,
    private readonly eFrom: Int32Array,
    private readonly rOff: Int32Array,
    private readonly rEdge: Int32Array,
    private readonly eVia: Int32Array,
    private readonly vias: readonly EdgeVia[],
  ) {}

  get size(): number {
    return this.names.length;
  }

  get edgeCount(): number {
    return this.fTo.length;
  }

  addressOf(i: number): string {
    const a = this.names[i];
    if (a === undefined) throw new RangeError(`no node ${i} in a graph of ${this.names.length}`);
    return a;
  }

  indexOf(address: string): number | undefined {
    return this.ids.get(address);
  }

  /** Nodes made so far (each made once, on first ask, so that every ask returns the same object). */
  private made: (GraphNode | undefined)[] | undefined;

  node(i: number): GraphNode {
    if (!Number.isInteger(i) || i < 0 || i >= this.names.length) throw new RangeError(`no node ${i} in a graph of ${this.names.length}`);
    const made = (this.made ??= new Array<GraphNode | undefined>(this.names.length));
    return (made[i] ??= nodeOf(this.names, this.cols, i));
  }

  forEachDependent(i: number, cb: (j: number, edge: number) => void): void {
    const end = this.rOff[i + 1]!;
    for (let k = this.rOff[i]!; k < end; k++) {
      const e = this.rEdge[k]!;
      cb(this.eFrom[e]!, e);
    }
  }

  forEachDependency(i: number, cb: (j: number, edge: number) => void): void {
    const end = this.fOff[i + 1]!;
    for (let e = this.fOff[i]!; e < end; e++) cb(this.fTo[e]!, e);
  }

  edgeFrom(edge: number): number {
    return this.eFrom[edge]!;
  }

  edgeTo(edge: number): number {
    return this.fTo[edge]!;
  }

  edgeVia(edge: number): EdgeVia {
    return this.vias[this.eVia[edge]!]!;
  }

  private reverse: { off: Int32Array; node: Int32Array; edge: Int32Array } | undefined;

  /** The reverse adjacency as arrays (read-only): dependents `node[k]` of i through `edge[k]`, k in `off[i]..off[i + 1]`. */
  reverseAdjacency(): { off: Int32Array; node: Int32Array; edge: Int32Array } {
    if (!this.reverse) {
      const node = new Int32Array(this.rEdge.length);
      for (let k = 0; k < node.length; k++) node[k] = this.eFrom[this.rEdge[k]!]!;
      this.reverse = { off: this.rOff, node, edge: this.rEdge };
    }
    return this.reverse;
  }

  private reach(roots: readonly number[], forward: boolean): number[] {
    const seen = new Uint8Array(this.size);
    const queue = new Int32Array(this.size + roots.length);
    let tail = 0;
    for (const r of roots) if (r >= 0 && r < this.size) queue[tail++] = r;
    const out: number[] = [];
    let head = 0;
    const visit = (j: number): void => {
      if (seen[j]) return;
      seen[j] = 1;
      out.push(j);
      queue[tail++] = j;
    };
    // Roots are only marked when reached again (through a cycle), so otherwise they are not reported.
    while (head < tail) {
      const u = queue[head++]!;
      if (forward) this.forEachDependency(u, visit);
      else this.forEachDependent(u, visit);
    }
    return out.sort((a, b) => a - b);
  }

  transitiveDependents(roots: readonly number[]): number[] {
    return this.reach(roots, false);
  }

  transitiveDependencies(roots: readonly number[]): number[] {
    return this.reach(roots, true);
  }

  /** Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack. */
  cycles(): string[][] {
    const n = this.size;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const callNode = new Int32Array(n);
    const callEdge = new Int32Array(n);
    let counter = 0;
    const out: string[][] = [];
    for (let s = 0; s < n; s++) {
      if (index[s] !== -1) continue;
      let depth = 0;
      callNode[0] = s;
      callEdge[0] = this.fOff[s]!;
      index[s] = low[s] = counter++;
      stack.push(s);
      onStack[s] = 1;
      while (depth >= 0) {
        const v = callNode[depth]!;
        const e = callEdge[depth]!;
        if (e < this.fOff[v + 1]!) {
          callEdge[depth] = e + 1;
          const w = this.fTo[e]!;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            depth++;
            callNode[depth] = w;
            callEdge[depth] = this.fOff[w]!;
          } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
          continue;
        }
        if (low[v] === index[v]) {
          const comp: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            comp.push(w);
          } while (w !== v);
          if (comp.length > 1) out.push(comp.map((i) => this.names[i]!).sort());
        }
        depth--;
        if (depth >= 0) {
          const u = callNode[depth]!;
          low[u] = Math.min(low[u]!, low[v]!);
        }
      }
    }
    return out.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  }

  /** Nodes sorted by address, edges sorted by (from, to): deterministic whatever order the plan listed things in. */
  toJSON(): GraphJSON {
    const order = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => cmp(this.names[a]!, this.names[b]!));
    const edges: GraphJSON["edges"] = [];
    for (const i of order) {
      const list: number[] = [];
      this.forEachDependency(i, (_j, e) => list.push(e));
      list.sort((x, y) => cmp(this.names[this.fTo[x]!]!, this.names[this.fTo[y]!]!));
      for (const e of list) edges.push({ from: this.names[i]!, to: this.names[this.fTo[e]!]!, via: this.edgeVia(e) });
    }
    return { level: this.level, nodes: order.map((i) => this.node(i)), edges };
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
