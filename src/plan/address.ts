// Terraform resource addresses: a tokenizer-based parser and formatter (module path with instance keys, mode, type,
// name, key). String keys use HCL quoting (terraform internal/addrs/instance_key.go), so never split on '.' or '['.

export type InstanceKey = string | number;

export interface ModuleStep {
  name: string;
  key?: InstanceKey;
}

export interface ResourceAddress {
  module: readonly ModuleStep[];
  mode: "managed" | "data" | "ephemeral";
  type: string;
  name: string;
  key?: InstanceKey;
}

export class AddressError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "AddressError";
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** Quotes a string instance key the way Terraform prints it. */
export function quoteKey(key: string): string {
  let out = '"';
  for (const ch of key) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += ch;
  }
  // HCL template sequences are escaped by doubling the introducer.
  out = out.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  return out + '"';
}

export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return "";
  return typeof key === "number" ? `[${key}]` : `[${quoteKey(key)}]`;
}

export function formatModulePath(module: readonly ModuleStep[], withKeys = true): string {
  return module.map((m) => `module.${m.name}${withKeys ? formatKey(m.key) : ""}`).join(".");
}

/** Formats an instance address (`module.a["k"].aws_x.y[0]`). */
export function formatAddress(a: ResourceAddress, withKeys = true): string {
  const mod = formatModulePath(a.module, withKeys);
  const prefix = a.mode === "data" ? "data." : a.mode === "ephemeral" ? "ephemeral." : "";
  const res = `${prefix}${a.type}.${a.name}${withKeys ? formatKey(a.key) : ""}`;
  return mod ? `${mod}.${res}` : res;
}

/** The config-level address (no instance keys): how `terraform graph` names a resource. */
export function configAddress(a: ResourceAddress): string {
  return formatAddress(a, false);
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string | undefined {
    return this.s[this.i];
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  ident(what: string): string {
    const m = IDENT.exec(this.s.slice(this.i));
    if (!m) throw new AddressError(`expected ${what}`, this.i);
    this.i += m[0].length;
    return m[0];
  }
  expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new AddressError(`expected '${ch}'`, this.i);
    this.i++;
  }
  key(): InstanceKey {
    // at '['
    this.expect("[");
    let key: InstanceKey;
    if (this.peek() === '"') key = this.quoted();
    else {
      const m = /^\d+/.exec(this.s.slice(this.i));
      if (!m) throw new AddressError("expected a number or a quoted string as an instance key", this.i);
      this.i += m[0].length;
      key = Number(m[0]);
    }
    this.expect("]");
    return key;
  }
  quoted(): string {
    this.expect('"');
    let out = "";
    while (!this.done()) {
      const ch = this.s[this.i]!;
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch === "\\") {
        const e = this.s[this.i + 1];
        if (e === "u") {
          const hex = this.s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new AddressError("bad \\u escape in a key", this.i);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
          continue;
        }
        if (e === "U") {
          const hex = this.s.slice(this.i + 2, this.i + 10);
          if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw new AddressError("bad \\U escape in a key", this.i);
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += 10;
          continue;
        }
        const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (e === undefined || !(e in map)) throw new AddressError("bad escape in a key", this.i);
        out += map[e];
        this.i += 2;
        continue;
      }
      if (ch === "$" && this.s.startsWith("$${", this.i)) {
        out += "${";
        this.i += 3;
        continue;
      }
      if (ch === "%" && this.s.startsWith("%%{", this.i)) {
        out += "%{";
        this.i += 3;
        continue;
      }
      out += ch;
      this.i++;
    }
    throw new AddressError("unterminated quoted key", this.i);
  }
}

/** Parses a module path (`module.a["k"].module.b`); the empty string is the root module. */
export function parseModulePath(s: string): ModuleStep[] {
  if (s === "") return [];
  const c = new Cursor(s);
  const steps = readModuleSteps(c);
  if (!c.done()) throw new AddressError("unexpected text after the module path", c.i);
  // readModuleSteps leaves the dot that would lead to a resource; a module path has none at its end.
  if (s.endsWith(".")) throw new AddressError("a module path does not end with '.'", s.length - 1);
  return steps;
}

function readModuleSteps(c: Cursor): ModuleStep[] {
  const steps: ModuleStep[] = [];
  while (c.s.startsWith("module.", c.i)) {
    c.i += "module.".length;
    const name = c.ident("a module name");
    const step: ModuleStep = { name };
    if (c.peek() === "[") step.key = c.key();
    steps.push(step);
    if (c.done()) break;
    c.expect(".");
  }
  return steps;
}

/** Parses a resource instance address. Throws AddressError with the offset of the problem. */
export function parseAddress(s: string): ResourceAddress {
  const c = new Cursor(s);
  const module = readModuleSteps(c);
  let mode: ResourceAddress["mode"] = "managed";
  if (c.s.startsWith("data.", c.i)) {
    mode = "data";
    c.i += 5;
  } else if (c.s.startsWith("ephemeral.", c.i)) {
    mode = "ephemeral";
    c.i += 10;
  }
  const type = c.ident("a resource type");
  c.expect(".");
  const name = c.ident("a resource name");
  const out: ResourceAddress = { module, mode, type, name };
  if (c.peek() === "[") out.key = c.key();
  if (!c.done()) throw new AddressError("unexpected text after the resource address", c.i);
  return out;
}

/**
 * Parses the instance key that ends an address (`[0]`, `["k"]`), from `at` (a '[') to the end of `s`. Throws
 * AddressError (offset within `s`) when the text there is anything else.
 */
export function parseKeySuffix(s: string, at: number): InstanceKey {
  const c = new Cursor(s);
  c.i = at;
  const key = c.key();
  if (!c.done()) throw new AddressError("unexpected text after the resource address", c.i);
  return key;
}
