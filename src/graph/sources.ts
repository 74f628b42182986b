// Reads what the plan JSON lacks from the `.tf` sources (`--tf-dir`): locals, lifecycle, dynamic blocks and the
// location of each resource block. The only I/O of src/graph. hcl2json (WASM, ~350 ms to start, ~1 ms per block)
// is loaded on first use, and only the blocks that hold locals, module calls, lifecycle or dynamic blocks are
// parsed (hcl-blocks.ts); the rest is only scanned for block lines. Local module sources and `.terraform/modules/modules.json` are followed.

import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fail } from "../diagnostics/index.js";
import { hcl2json, type Hcl2Json } from "../hcl2json.js";
import { locateJsonError } from "../plan/json-error.js";
import { joinPath } from "./config-index.js";
import { keepBlocks, type TopBlock } from "./hcl-blocks.js";
import { soleExpression, stringsIn, templateExpressions } from "./hcl-template.js";
import type { Lifecycle, ModuleSources, SourceRefs, SourceResource, TfSources } from "./types.js";


type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** hcl2json gives each block as a list of bodies; Terraform's JSON syntax as one object. */
function bodies(v: Json): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  return isObj(v) ? [v] : [];
}

/**
 * The blocks the graph reads: locals, module calls (for their sources), resources with lifecycle or dynamic
 * blocks, outputs with preconditions.
 */
function needed(b: TopBlock, text: string): boolean {
  if (/^(locals|module)\b/.test(b.header)) return true;
  if (/^output\b/.test(b.header)) return /\bprecondition\b/.test(text);
  return /^(resource|data)\b/.test(b.header) && /\b(lifecycle|dynamic)\b/.test(text);
}
const BLOCK_LINE = /^\s*(resource|data)\s+"?([A-Za-z0-9_-]+)"?\s+"?([A-Za-z0-9_-]+)"?\s*\{/;

/** A rough reference finder, used only if hcl2json cannot parse an expression it gave us. */
function roughReferences(expr: string): string[] {
  const re = /(?<![\w.\]"])[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[\d+\]|\[\*\]|\["(?:[^"\\]|\\.)*"\])+/g;
  return [...expr.matchAll(re)].map((m) => m[0]);
}

class Reader {
  constructor(private readonly h: Hcl2Json) {}

  /** Traversals referenced anywhere in a value, as written (`terraform_data.b["with.dot"].id`). */
  async references(file: string, value: Json, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
    const out: string[] = [];
    for (const s of stringsIn(value)) {
      for (const e of templateExpressions(s)) {
        const wrapped = "${" + e + "}";
        let refs: string[];
        try {
          refs = (await this.h.getReferencesInExpression(file, wrapped)).map((r) => wrapped.slice(r.startPosition, r.endPosition));
        } catch {
          refs = roughReferences(e);
        }
        for (const r of refs) if (!exclude.has(/^[A-Za-z_][\w-]*/.exec(r)?.[0] ?? "")) out.push(r);
      }
    }
    return out;
  }

  /** `dynamic` blocks anywhere in a body: the plan JSON leaves them out (PLAN_FORMAT §3). */
  async dynamicRefs(file: string, body: Obj, prefix: string, iterators: ReadonlySet<string>, out: SourceRefs[]): Promise<void> {
    for (const [k, v] of Object.entries(body)) {
      if (k === "dynamic" && isObj(v)) {
        for (const [label, blocks] of Object.entries(v)) {
          for (const b of bodies(blocks)) {
            const it = typeof b.iterator === "string" ? (soleExpression(b.iterator) ?? b.iterator) : label;
            const inner = new Set([...iterators, it]);
            const at = `${prefix}dynamic.${label}`;
            const fe = await this.references(file, b.for_each, iterators);
            if (fe.length > 0) out.push({ attribute: `${at}.for_each`, references: fe });
            for (const c of bodies(b.content)) {
              const { dynamic: _nested, ...attrs } = c;
              const refs = await this.references(file, attrs, inner);
              if (refs.length > 0) out.push({ attribute: `${at}.content`, references: refs });
              await this.dynamicRefs(file, c, `${at}.content.`, inner, out);
            }
          }
        }
      } else if (k !== "lifecycle" && k !== "provisioner" && k !== "connection") {
        for (const b of Array.isArray(v) ? v.filter(isObj) : []) await this.dynamicRefs(file, b, `${prefix}${k}.`, iterators, out);
      }
    }
  }

  async lifecycle(file: string, body: Obj, extra: SourceRefs[]): Promise<Lifecycle | undefined> {
    const lc = bodies(body.lifecycle)[0];
    if (!lc) return undefined;
    const out: Lifecycle = {};
    const bool = (v: Json): boolean | undefined => {
      if (typeof v === "boolean") return v;
      if (typeof v === "string") {
        const e = soleExpression(v) ?? v;
        if (e === "true" || e === "false") return e === "true";
      }
      return undefined;
    };
    const pd = bool(lc.prevent_destroy);
    if (pd !== undefined) out.preventDestroy = pd;
    const cbd = bool(lc.create_before_destroy);
    if (cbd !== undefined) out.createBeforeDestroy = cbd;
    if (Array.isArray(lc.replace_triggered_by)) {
      const refs: string[] = [];
      for (const r of lc.replace_triggered_by) if (typeof r === "string") refs.push(soleExpression(r) ?? r);
      out.replaceTriggeredBy = refs;
    }
    const ic = lc.ignore_changes;
    if (typeof ic === "string" && (soleExpression(ic) ?? ic) === "all") out.ignoreChanges = "all";
    else if (Array.isArray(ic)) out.ignoreChanges = ic.filter((x): x is string => typeof x === "string").map((x) => soleExpression(x) ?? x);
    for (const kind of ["precondition", "postcondition"] as const) {
      const list = bodies(lc[kind]);
      for (let i = 0; i < list.length; i++) {
        const refs = await this.references(file, list[i]);
        if (refs.length > 0) extra.push({ attribute: `lifecycle.${kind}[${i}]`, references: refs });
      }
    }
    return out;
  }

  /** Parses one file; a syntax error becomes a BlastgateError naming the file and line. */
  async parseFile(file: string, text: string): Promise<Obj> {
    if (file.endsWith(".json")) {
      try {
        const v = JSON.parse(text) as Json;
        return isObj(v) ? v : {};
      } catch {
        // Not JSON.parse's message: V8 quotes the text around the error (`Unexpected token 'Z', ..."default":Zq..." is
        // not valid JSON`), and what is there can be a variable's secret default. Describe the error by structure only.
        const problem = locateJsonError(text) ?? { offset: 0, message: "invalid JSON" };
        const before = text.slice(0, problem.offset);
        const line = before.split("\n").length;
        const column = problem.offset - before.lastIndexOf("\n");
        throw fail("BG3003", `cannot parse ${file}: invalid JSON: ${problem.message}`, {
          location: { file, line, column },
          why: "the dependency graph reads locals and lifecycle blocks from the sources given with --tf-dir",
          fix: "run `terraform validate` in that directory and fix the syntax error, or drop --tf-dir",
        });
      }
    }
    try {
      const v = (await this.h.parse(file, text)) as Json;
      return isObj(v) ? v : {};
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // hcl2json: `parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of an expression...]`
      const m = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)/.exec(msg);
      const detail = (m ? m[3]! : msg).replace(/\s+/g, " ").trim();
      throw fail("BG3003", `cannot parse ${file}: ${detail}`, {
        location: m ? { file, line: Number(m[1]), column: Number(m[2]) } : { file },
        why: "the dependency graph reads locals and lifecycle blocks from the sources given with --tf-dir",
        fix: "run `terraform validate` in that directory and fix the syntax error, or drop --tf-dir",
      });
    }
  }

  async readModule(dir: string, parsedFiles: string[]): Promise<ModuleSources> {
    const ms: ModuleSources = { dir, locals: new Map(), outputConditions: new Map(), resources: new Map(), calls: new Map() };
    const names = (await readdir(dir)).filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json")).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      const text = await readFile(file, "utf8");
      const lines = new Map<string, number>();
      if (name.endsWith(".tf")) {
        text.split("\n").forEach((l, i) => {
          const m = BLOCK_LINE.exec(l);
          if (m) lines.set(m[1] === "data" ? `data.${m[2]}.${m[3]}` : `${m[2]}.${m[3]}`, i + 1);
        });
      }
      const toParse = name.endsWith(".json") ? text : keepBlocks(text, needed);
      const doc = toParse === undefined ? undefined : await this.parseFile(file, toParse);
      if (toParse !== undefined) parsedFiles.push(file);
      if (!doc) {
        for (const [address, line] of lines) ms.resources.set(address, { address, file, line, extraRefs: [] });
        continue;
      }
      for (const l of bodies(doc.locals)) {
        for (const [k, v] of Object.entries(l)) ms.locals.set(k, { references: await this.references(file, v), file });
      }
      if (isObj(doc.output)) {
        for (const [k, v] of Object.entries(doc.output)) {
          const refs = await this.references(file, bodies(v)[0]?.precondition);
          if (refs.length > 0) ms.outputConditions.set(k, refs);
        }
      }
      if (isObj(doc.module)) {
        for (const [k, v] of Object.entries(doc.module)) {
          const src = bodies(v)[0]?.source;
          if (typeof src === "string") ms.calls.set(k, src);
        }
      }
      for (const mode of ["resource", "data"] as const) {
        const byType = doc[mode];
        if (!isObj(byType)) continue;
        for (const [type, byName] of Object.entries(byType)) {
          if (!isObj(byName)) continue;
          for (const [rname, v] of Object.entries(byName)) {
            const body = bodies(v)[0];
            if (!body) continue;
            const address = mode === "data" ? `data.${type}.${rname}` : `${type}.${rname}`;
            const r: SourceResource = { address, file, extraRefs: [] };
            const line = lines.get(address);
            if (line !== undefined) r.line = line;
            await this.dynamicRefs(file, body, "", new Set(), r.extraRefs);
            const lc = await this.lifecycle(file, body, r.extraRefs);
            if (lc) {
              lc.file = file;
              if (line !== undefined) lc.line = line;
              r.lifecycle = lc;
            }
            ms.resources.set(address, r);
          }
        }
      }
      for (const [address, line] of lines) if (!ms.resources.has(address)) ms.resources.set(address, { address, file, line, extraRefs: [] });
    }
    return ms;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** `terraform init` records where each module call was installed: Key (`a.b`) -> Dir (relative to the root). */
async function installedModules(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    const doc = JSON.parse(await readFile(path.join(dir, ".terraform", "modules", "modules.json"), "utf8")) as { Modules?: { Key?: string; Dir?: string }[] };
    for (const m of doc.Modules ?? []) if (typeof m.Key === "string" && typeof m.Dir === "string") out.set(m.Key, path.join(dir, m.Dir));
  } catch {
    // not initialised: local sources are still followed
  }
  return out;
}

/**
 * Reads the configuration sources under `dir`: the root module and every module it calls, recursively.
 * Throws BG3001 when the directory is missing and BG3003 when a file does not parse.
 */
export async function loadTfSources(dir: string): Promise<TfSources> {
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw fail("BG3001", `the tf dir ${dir} does not exist`, {
      location: { file: dir },
      why: "--tf-dir names the directory holding the configuration's .tf files (for locals and lifecycle)",
      fix: "pass the directory where `terraform plan` ran, or leave --tf-dir out",
    });
  }
  if (!st.isDirectory()) {
    throw fail("BG3001", `the tf dir ${dir} is not a directory`, {
      location: { file: dir },
      why: "--tf-dir names the directory holding the configuration's .tf files (for locals and lifecycle)",
      fix: "pass the directory where `terraform plan` ran, not a file in it",
    });
  }
  const reader = new Reader(await hcl2json(dir));
  const installed = await installedModules(dir);
  const out: TfSources = { dir, modules: new Map(), missing: new Map(), parsedFiles: [] };
  const cache = new Map<string, Promise<ModuleSources>>();
  const visit = async (modPath: string, keyPath: readonly string[], mdir: string): Promise<void> => {
    if (keyPath.length > 64) return; // a symlink loop; Terraform itself rejects recursive modules
    const real = path.resolve(mdir);
    let p = cache.get(real);
    if (!p) cache.set(real, (p = reader.readModule(mdir, out.parsedFiles)));
    const ms = await p;
    out.modules.set(modPath, ms);
    for (const [name, source] of ms.calls) {
      const childPath = joinPath(modPath, name);
      const key = [...keyPath, name];
      const local = source.startsWith("./") || source.startsWith("../") ? path.join(mdir, source) : undefined;
      const childDir = installed.get(key.join(".")) ?? local;
      if (childDir === undefined) {
        out.missing.set(childPath, `module source "${source}" is not a local path and ${path.join(dir, ".terraform/modules/modules.json")} does not list it (run \`terraform init\` there)`);
      } else if (!(await isDir(childDir))) {
        out.missing.set(childPath, `module directory ${childDir} (source "${source}") does not exist`);
      } else await visit(childPath, key, childDir);
    }
  };
  await visit("", [], dir);
  return out;
}
