// Source locations for reports (`--tf-dir`): a light, dependency-free scan of `.tf` files for the line of each
// `resource`/`data`/`module` block, and the pure mapping from config addresses (`module.a.module.b.T.N`) to
// `{file, line}`. The file reading lives in read-sources.ts; everything here is pure and cheap (one pass per file,
// no HCL parser), so it can run on every check. src/graph reads sources in depth; this only finds block lines.

import path from "node:path";
import { configAddress, formatModulePath, parseAddress, parseModulePath } from "../plan/address.js";

export interface SourceLocation {
  /** Path as reports print it: relative to the working directory, `/`-separated. */
  file: string;
  /** 1-based line of the block header. */
  line: number;
}

/** A block found at the top level of a `.tf` file. */
export interface ScannedBlock {
  kind: "resource" | "data" | "module";
  /** `resource`/`data`: the type; `module`: the call name. */
  type: string;
  /** `resource`/`data`: the name; empty for `module`. */
  name: string;
  line: number;
  /** `module` blocks: the `source` argument when it is a plain string. */
  source?: string;
}

export interface ScannedFile {
  /** Display path of the file (see SourceLocation.file). */
  file: string;
  blocks: ScannedBlock[];
}

/** Config address -> block location, for one root module and the modules it calls. */
export interface SourceIndex {
  /** The root module directory, as given. */
  root: string;
  locations: ReadonlyMap<string, SourceLocation>;
  /** Module calls whose source could not be followed (registry or git modules without `.terraform/modules`). */
  unresolvedModules: string[];
}

const LABEL = String.raw`(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*))`;
const HEADER = new RegExp(String.raw`^(resource|data|module)\s+${LABEL}(?:\s+${LABEL})?\s*\{`);
const SOURCE_ARG = /^source\s*=\s*"((?:[^"\\$%]|\\.)*)"\s*(?:#.*|\/\/.*)?$/;

/**
 * Scans HCL native syntax for top-level block headers. Tracks only what can hide a brace or a header: strings with
 * `${...}`/`%{...}` templates (which may nest strings), heredocs, and `#`, `//`, `/* *\/` comments.
 */
export function scanTf(text: string): ScannedBlock[] {
  const blocks: ScannedBlock[] = [];
  // Context stack: numbers are brace depths of code (the top level, or a template interpolation); "s" a string.
  const stack: (number | "s")[] = [0];
  let line = 1;
  let lineStart = true;
  let current: ScannedBlock | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const top = stack[stack.length - 1]!;
    const c = text[i]!;
    if (top === "s") {
      if (c === "\\") i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
      } else if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") i += 3; // `$${` is a literal
      else if ((c === "$" || c === "%") && text[i + 1] === "{") {
        stack.push(0);
        i += 2;
      } else {
        if (c === "\n") line++;
        i++;
      }
      continue;
    }
    // Code context (top level when the stack has one entry).
    if (c === "\n") {
      line++;
      lineStart = true;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    const atTop = stack.length === 1;
    if (lineStart && atTop) {
      const rest = text.slice(i, text.indexOf("\n", i) === -1 ? n : text.indexOf("\n", i));
      if (top === 0) {
        const m = HEADER.exec(rest);
        if (m) {
          const label1 = m[2] ?? m[3] ?? "";
          const label2 = m[4] ?? m[5] ?? "";
          const kind = m[1] as ScannedBlock["kind"];
          current = kind === "module" ? { kind, type: unquote(label1), name: "", line } : { kind, type: unquote(label1), name: unquote(label2), line };
          if (kind !== "module" && label2 === "") current = undefined;
          if (current) blocks.push(current);
        }
      } else if (top === 1 && current?.kind === "module") {
        const m = SOURCE_ARG.exec(rest);
        if (m) current.source = unquote(m[1]!);
      }
    }
    lineStart = false;
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? n : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === "\n") line++;
      i = stop;
    } else if (c === "<" && text[i + 1] === "<" && /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.test(text.slice(i, i + 200))) {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200))!;
      const marker = m[1]!;
      i += m[0].length;
      line++;
      // The heredoc ends at the first line that is the marker alone (leading spaces allowed).
      for (;;) {
        const end = text.indexOf("\n", i);
        const content = text.slice(i, end === -1 ? n : end).trim();
        i = end === -1 ? n : end + 1;
        if (end === -1) break;
        line++;
        if (content === marker) break;
      }
      lineStart = true;
    } else if (c === '"') {
      stack.push("s");
      i++;
    } else if (c === "{") {
      stack[stack.length - 1] = (top as number) + 1;
      i++;
    } else if (c === "}") {
      if (top === 0 && stack.length > 1) stack.pop(); // end of a template interpolation
      else {
        stack[stack.length - 1] = Math.max(0, (top as number) - 1);
        if (stack.length === 1 && top === 1) current = undefined;
      }
      i++;
    } else i++;
  }
  return blocks;
}

function unquote(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

/** True for a module source Terraform reads from the local file system (`./x`, `../x`). */
export function isLocalSource(source: string): boolean {
  return source.startsWith("./") || source.startsWith("../") || source === "." || source === "..";
}

/** Terraform's `.terraform/modules/modules.json`: where `terraform init` put each module, by dotted call path. */
export interface ModuleManifest {
  /** `"a.b"` (call names without keys) -> directory, relative to the root module. */
  dirs: ReadonlyMap<string, string>;
}

/** Parses the `modules.json` manifest text; an unreadable one is ignored (returns undefined). */
export function parseModuleManifest(text: string): ModuleManifest | undefined {
  try {
    const data = JSON.parse(text) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
    const dirs = new Map<string, string>();
    for (const m of data.Modules ?? []) if (typeof m.Key === "string" && typeof m.Dir === "string") dirs.set(m.Key, m.Dir);
    return { dirs };
  } catch {
    return undefined;
  }
}

/** The directory a module call reads, or undefined when it cannot be followed without downloading it. */
export function moduleDir(callerDir: string, callPath: readonly string[], source: string | undefined, manifest: ModuleManifest | undefined, root: string): string | undefined {
  const fromManifest = manifest?.dirs.get(callPath.join("."));
  if (fromManifest !== undefined) return toPosix(path.posix.normalize(path.posix.join(toPosix(root), toPosix(fromManifest))));
  if (source !== undefined && isLocalSource(source)) return toPosix(path.posix.normalize(path.posix.join(toPosix(callerDir), source)));
  return undefined;
}

function toPosix(p: string): string {
  const out = p.replace(/\\/g, "/");
  return out.length > 1 && out.endsWith("/") ? out.slice(0, -1) : out;
}

/**
 * Builds the index from scanned module directories: `dirs` maps a directory (as moduleDir names it) to its scanned
 * files. Walks module calls from the root; the first definition of an address wins (files sorted, overrides last).
 */
export function buildSourceIndex(root: string, dirs: ReadonlyMap<string, readonly ScannedFile[]>, manifest?: ModuleManifest): SourceIndex {
  const locations = new Map<string, SourceLocation>();
  const unresolvedModules: string[] = [];
  const rootDir = toPosix(path.posix.normalize(toPosix(root)));
  const walk = (dir: string, prefix: string, callPath: string[], seen: Set<string>): void => {
    const files = dirs.get(dir) ?? [];
    for (const f of files) {
      for (const b of f.blocks) {
        if (b.kind === "module") continue;
        const addr = `${prefix}${b.kind === "data" ? "data." : ""}${b.type}.${b.name}`;
        if (!locations.has(addr)) locations.set(addr, { file: f.file, line: b.line });
      }
    }
    for (const f of files) {
      for (const b of f.blocks) {
        if (b.kind !== "module") continue;
        const call = `${prefix}module.${b.type}`;
        if (!locations.has(call)) locations.set(call, { file: f.file, line: b.line });
        const sub = moduleDir(dir, [...callPath, b.type], b.source, manifest, rootDir);
        if (sub === undefined || !dirs.has(sub)) {
          unresolvedModules.push(call);
          continue;
        }
        if (seen.has(sub) || callPath.length > 32) continue; // a module that calls itself: Terraform rejects it too
        walk(sub, `${call}.`, [...callPath, b.type], new Set([...seen, sub]));
      }
    }
  };
  walk(rootDir, "", [], new Set([rootDir]));
  return { root, locations, unresolvedModules: [...new Set(unresolvedModules)].sort() };
}

/**
 * The config address of an instance address (`module.a["k"].T.N[0]` -> `module.a.T.N`) or of a module instance
 * (`module.a["k"]` -> `module.a`); undefined if unparsable.
 */
export function configAddressOf(address: string): string | undefined {
  try {
    return configAddress(parseAddress(address));
  } catch {
    try {
      return formatModulePath(parseModulePath(address), false) || undefined;
    } catch {
      return undefined;
    }
  }
}

/** Where the block of a resource instance (or module call) is defined, if the index knows it. */
export function lookupSource(index: SourceIndex | undefined, address: string): SourceLocation | undefined {
  if (!index) return undefined;
  const config = configAddressOf(address);
  return config === undefined ? undefined : index.locations.get(config);
}

/**
 * An index from locations another reader already found (src/graph's `DependencyGraphs.locations`, by config
 * address), so `check` need not scan twice when it reads sources for the graph anyway. Entries without a line are
 * skipped: the formats then point at the plan.
 */
export function sourceIndexFromLocations(root: string, locations: ReadonlyMap<string, { file: string; line?: number }>): SourceIndex {
  const out = new Map<string, SourceLocation>();
  for (const [addr, loc] of [...locations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (loc.line !== undefined) out.set(addr, { file: loc.file.replace(/\\/g, "/"), line: loc.line });
  return { root, locations: out, unresolvedModules: [] };
}
