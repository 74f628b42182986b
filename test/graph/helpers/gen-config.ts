// Random real Terraform configurations for the property test: terraform_data only (offline) and local modules,
// with count, for_each (odd keys), nested modules, module count/for_each, depends_on on resources and modules,
// module inputs/outputs (pass-through too), chains of locals, replace_triggered_by and provisioner references,
// and data sources (`terraform_remote_state` over a local state file written beside the configuration).
// Every reference points at something declared earlier in the same module, so no configuration has a cycle.

/** The randomness source: fast-check's `fc.gen()` in the test, a seeded PRNG anywhere else. */
export interface Draw {
  int(min: number, max: number): number;
}

export interface GeneratedConfig {
  /** Relative path -> file text. */
  files: Map<string, string>;
  /** Number of `local.*` references written (in any expression). */
  localRefs: number;
}

const KEY_POOL = ["a", "b", "b.c", 'q"x', "[k]", "sl\\h", "t$${x}", "e"];

/** An HCL string literal for a key (`"q\"x"`, `"sl\\h"`); `$${` stays an escaped template opener. */
function hclString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

type Rep = { kind: "none" } | { kind: "count"; n: number } | { kind: "each"; keys: string[] };

interface Res {
  name: string;
  rep: Rep;
  mode: "managed" | "data";
}

function addr(r: Res): string {
  return r.mode === "data" ? `data.terraform_remote_state.${r.name}` : `terraform_data.${r.name}`;
}

/** The state file every generated data source reads (outputs only, no resources). */
export const REMOTE_STATE = JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "blastgate-graph-test", outputs: { v: { value: "x", type: "string" } }, resources: [] });

interface Call {
  name: string;
  def: ModuleDef;
  rep: Rep;
}

interface ModuleDef {
  index: number;
  vars: string[];
  outputs: string[];
  text: string;
}

function pick<T>(d: Draw, xs: readonly T[]): T {
  return xs[d.int(0, xs.length - 1)]!;
}

function chance(d: Draw, percent: number): boolean {
  return d.int(1, 100) <= percent;
}

function keysOf(d: Draw): string[] {
  const n = d.int(1, 3);
  const out = new Set<string>();
  while (out.size < n) out.add(pick(d, KEY_POOL));
  return [...out];
}

function repOf(d: Draw): Rep {
  const r = d.int(1, 10);
  if (r <= 6) return { kind: "none" };
  if (r <= 8) return { kind: "count", n: d.int(1, 3) };
  return { kind: "each", keys: keysOf(d) };
}

/** A body generator for one module (root or a module definition). */
class Body {
  resources: Res[] = [];
  datas: Res[] = [];
  locals: string[] = [];
  calls: Call[] = [];
  lines: string[] = [];
  localRefs = 0;
  private n = 0;

  constructor(
    private readonly d: Draw,
    readonly vars: readonly string[],
    private readonly defs: readonly ModuleDef[],
    private readonly moduleDir: string,
  ) {}

  /** Whether anything has been declared that an expression can reference. */
  canRef(): boolean {
    return this.resources.length + this.datas.length + this.locals.length + this.vars.length + this.calls.length > 0;
  }

  /** An expression that references something declared so far (or a constant when nothing is). */
  ref(): string {
    const d = this.d;
    const options: (() => string)[] = [];
    for (const r of [...this.resources, ...this.datas]) {
      options.push(() => {
        const a = addr(r);
        const attr = r.mode === "data" ? "outputs.v" : "id";
        if (r.rep.kind === "none") return pick(d, [`${a}.${attr}`, r.mode === "data" ? `${a}.outputs` : `${a}.output`, a]);
        if (r.rep.kind === "count") return pick(d, [`${a}[${d.int(0, r.rep.n - 1)}].${attr}`, `${a}[*].${attr}`, `length(${a})`]);
        const k = pick(d, r.rep.keys);
        return pick(d, [`${a}[${hclString(k)}].${attr}`, `[for k, v in ${a} : v.${attr}]`]);
      });
    }
    for (const l of this.locals) {
      options.push(() => {
        this.localRefs++;
        return `local.${l}`;
      });
    }
    for (const v of this.vars) options.push(() => `var.${v}`);
    for (const c of this.calls) {
      options.push(() => {
        const m = `module.${c.name}`;
        const out = c.def.outputs.length > 0 ? pick(d, c.def.outputs) : undefined;
        if (out === undefined || chance(d, 15)) return c.rep.kind === "none" ? m : `length(${m})`;
        if (c.rep.kind === "none") return `${m}.${out}`;
        if (c.rep.kind === "count") return `${m}[${d.int(0, c.rep.n - 1)}].${out}`;
        return pick(d, [`${m}[${hclString(pick(d, c.rep.keys))}].${out}`, `[for k, x in ${m} : x.${out}]`]);
      });
    }
    if (options.length === 0) return `"c${this.n++}"`;
    return pick(d, options)();
  }

  refs(max: number): string {
    const n = this.d.int(0, max);
    if (n === 0) return `"c${this.n++}"`;
    return `[${Array.from({ length: n }, () => this.ref()).join(", ")}]`;
  }

  /** A `depends_on` list over earlier resources and module calls, or "" . */
  dependsOn(indent: string): string {
    const all = [...this.resources.map(addr), ...this.datas.map(addr), ...this.calls.map((c) => `module.${c.name}`)];
    if (all.length === 0 || !chance(this.d, 20)) return "";
    const n = this.d.int(1, Math.min(2, all.length));
    const set = new Set<string>();
    while (set.size < n) set.add(pick(this.d, all));
    return `${indent}depends_on = [${[...set].join(", ")}]\n`;
  }

  /** count/for_each for a new block, sometimes derived from an earlier repeated resource (a reference edge). */
  repetition(rep: Rep): string {
    const d = this.d;
    const repeated = this.resources.filter((r) => r.rep.kind !== "none");
    if (rep.kind === "count") {
      const same = repeated.filter((r) => (r.rep.kind === "count" ? r.rep.n : r.rep.kind === "each" ? r.rep.keys.length : 0) === rep.n);
      if (same.length > 0 && chance(d, 40)) return `  count = length(terraform_data.${pick(d, same).name})\n`;
      return `  count = ${rep.n}\n`;
    }
    if (rep.kind === "each") {
      const eaches = this.resources.filter((r): r is Res & { rep: { kind: "each"; keys: string[] } } => r.rep.kind === "each");
      if (eaches.length > 0 && chance(d, 40)) {
        const src = pick(d, eaches);
        rep.keys = [...src.rep.keys];
        return `  for_each = terraform_data.${src.name}\n`;
      }
      return `  for_each = toset([${rep.keys.map(hclString).join(", ")}])\n`;
    }
    return "";
  }

  resource(): void {
    const d = this.d;
    const name = `r${this.resources.length}`;
    const rep = repOf(d);
    let s = `resource "terraform_data" "${name}" {\n`;
    s += this.repetition(rep);
    let input = this.refs(3);
    if (rep.kind === "count" && chance(d, 30)) input = `[${input}, count.index]`;
    if (rep.kind === "each" && chance(d, 30)) input = `[${input}, each.key]`;
    s += `  input = ${input}\n`;
    s += this.dependsOn("  ");
    const lifecycle: string[] = [];
    const managed = this.resources.filter((r) => r.rep.kind === "none" || chance(d, 50));
    if (managed.length > 0 && chance(d, 12)) {
      const t = pick(d, managed);
      const a = `terraform_data.${t.name}`;
      const trig = t.rep.kind === "none" ? pick(d, [a, `${a}.output`]) : t.rep.kind === "count" ? `${a}[0]` : `${a}[${hclString(t.rep.keys[0]!)}]`;
      lifecycle.push(`    replace_triggered_by = [${trig}]\n`);
    }
    // Conditions are references too, and the plan JSON leaves them out.
    // (terraform rejects a condition that references nothing)
    if (this.canRef() && chance(d, 8)) lifecycle.push(`    precondition {\n      condition     = ${this.ref()} != "never"\n      error_message = "pre"\n    }\n`);
    if (this.canRef() && chance(d, 5)) lifecycle.push(`    postcondition {\n      condition     = ${this.ref()} != "never"\n      error_message = "post"\n    }\n`);
    if (lifecycle.length > 0) s += `  lifecycle {\n${lifecycle.join("")}  }\n`;
    if (this.resources.length > 0 && chance(d, 8)) {
      s += `  provisioner "local-exec" {\n    command = "true"\n    environment = {\n      DEP = jsonencode(${this.ref()})\n    }\n  }\n`;
    }
    s += "}\n";
    this.lines.push(s);
    this.resources.push({ name, rep, mode: "managed" });
  }

  /** A data source; references in `defaults` defer its read to apply when they are unknown, like real ones. */
  data(): void {
    const name = `d${this.datas.length}`;
    const rep = repOf(this.d);
    let s = `data "terraform_remote_state" "${name}" {\n`;
    s += this.repetition(rep);
    s += `  backend = "local"\n  config = {\n    path = "\${path.root}/remote.tfstate"\n  }\n`;
    s += `  defaults = {\n    w = ${this.refs(2)}\n  }\n`;
    s += this.dependsOn("  ");
    s += "}\n";
    this.lines.push(s);
    this.datas.push({ name, rep, mode: "data" });
  }

  local(): void {
    const name = `l${this.locals.length}`;
    const v = this.refs(2);
    this.lines.push(`locals {\n  ${name} = ${v}\n}\n`);
    this.locals.push(name);
  }

  call(): boolean {
    const d = this.d;
    if (this.defs.length === 0) return false;
    const def = pick(d, this.defs);
    const name = `c${this.calls.length}`;
    const rep = repOf(d);
    let s = `module "${name}" {\n  source = "${this.moduleDir}/m${def.index}"\n`;
    s += this.repetition(rep);
    for (const v of def.vars) {
      if (chance(d, 25)) continue; // the default is used
      let val = this.refs(2);
      if (rep.kind === "count" && chance(d, 20)) val = `[${val}, count.index]`;
      if (rep.kind === "each" && chance(d, 20)) val = `[${val}, each.key]`;
      s += `  ${v} = ${val}\n`;
    }
    s += this.dependsOn("  ");
    s += "}\n";
    this.lines.push(s);
    this.calls.push({ name, def, rep });
    return true;
  }

  items(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.d.int(1, 10);
      if (r <= 5) this.resource();
      else if (r === 6) this.data();
      else if (r <= 8) this.local();
      else if (!this.call()) this.resource();
    }
  }
}

/** Draws one configuration: up to three module definitions (each may call later ones) and a root module. */
export function generateConfig(d: Draw): GeneratedConfig {
  const files = new Map<string, string>();
  const defs: ModuleDef[] = [];
  let localRefs = 0;
  const ndefs = d.int(0, 3);
  // Definitions are drawn last-first so a definition can only call definitions with a higher index.
  for (let i = ndefs - 1; i >= 0; i--) {
    const vars = Array.from({ length: d.int(0, 2) }, (_, k) => `v${k}`);
    const b = new Body(
      d,
      vars,
      defs.filter((x) => x.index > i),
      "..",
    );
    b.items(d.int(1, 4));
    const outputs: string[] = [];
    const nout = d.int(1, 3);
    for (let k = 0; k < nout; k++) {
      const name = `o${k}`;
      // Outputs may be constants, pass a variable through, or use anything in the module.
      const value = b.vars.length > 0 && chance(d, 20) ? `var.${pick(d, b.vars)}` : b.refs(2);
      const pre = b.canRef() && chance(d, 10) ? `  precondition {\n    condition     = ${b.ref()} != "never"\n    error_message = "pre"\n  }\n` : "";
      b.lines.push(`output "${name}" {\n  value = ${value}\n${b.dependsOn("  ")}${pre}}\n`);
      outputs.push(name);
    }
    localRefs += b.localRefs;
    const head = vars.map((v) => `variable "${v}" {\n  default = "d"\n}\n`).join("");
    const text = head + b.lines.join("\n");
    files.set(`modules/m${i}/main.tf`, text);
    defs.push({ index: i, vars, outputs, text });
  }
  const root = new Body(d, [], defs, "./modules");
  root.items(d.int(2, 7));
  localRefs += root.localRefs;
  files.set("remote.tfstate", REMOTE_STATE);
  files.set("main.tf", `terraform {\n  required_version = ">= 1.7.0"\n}\n\n` + root.lines.join("\n"));
  return { files, localRefs };
}

/** A small seeded PRNG (mulberry32) for drawing configurations outside fast-check. */
export function seeded(seed: number): Draw {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}
