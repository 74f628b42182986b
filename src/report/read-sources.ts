// The file-reading half of source locations (`--tf-dir`): reads the `.tf` files of a root module and of every
// module it calls (local sources, or where `terraform init` put them), and hands them to the pure index builder.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { buildSourceIndex, moduleDir, parseModuleManifest, scanTf, type ModuleManifest, type ScannedFile, type SourceIndex } from "./source-locations.js";

export interface ReadSourcesOptions {
  /** Paths in the index are relative to this directory (default: the process's working directory). */
  cwd?: string;
  /** Most module directories read (a guard against huge trees; default 2,000). */
  maxDirs?: number;
}

/** `.tf` files of one directory, sorted, `override` files last (Terraform merges them over the others). */
async function readDir(dir: string, display: (file: string) => string): Promise<ScannedFile[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".tf"));
  } catch {
    return undefined;
  }
  const isOverride = (n: string): boolean => n === "override.tf" || n.endsWith("_override.tf");
  names.sort((a, b) => Number(isOverride(a)) - Number(isOverride(b)) || (a < b ? -1 : a > b ? 1 : 0));
  const out: ScannedFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      out.push({ file: display(file), blocks: scanTf(await readFile(file, "utf8")) });
    } catch {
      // An unreadable file has no locations; the report falls back to the plan for its resources.
    }
  }
  return out;
}

/** Reads the sources under `tfDir` and returns the address -> `{file, line}` index. Never throws for bad sources. */
export async function loadSourceIndex(tfDir: string, opts: ReadSourcesOptions = {}): Promise<SourceIndex> {
  const cwd = opts.cwd ?? process.cwd();
  const maxDirs = opts.maxDirs ?? 2000;
  const abs = (p: string): string => (path.isAbsolute(p) ? p : path.join(cwd, p));
  const display = (file: string): string => {
    const rel = path.relative(cwd, abs(file));
    return (rel.startsWith("..") || path.isAbsolute(rel) ? abs(file) : rel).split(path.sep).join("/");
  };
  const root = display(tfDir) || ".";
  let manifest: ModuleManifest | undefined;
  try {
    manifest = parseModuleManifest(await readFile(path.join(abs(root), ".terraform/modules/modules.json"), "utf8"));
  } catch {
    manifest = undefined;
  }
  const dirs = new Map<string, ScannedFile[]>();
  const queue: { dir: string; callPath: string[] }[] = [{ dir: pathKey(root), callPath: [] }];
  while (queue.length > 0 && dirs.size < maxDirs) {
    const { dir, callPath } = queue.shift()!;
    if (dirs.has(dir)) continue;
    const files = await readDir(abs(dir), display);
    if (!files) continue;
    dirs.set(dir, files);
    for (const f of files)
      for (const b of f.blocks) {
        if (b.kind !== "module" || callPath.length > 32) continue;
        const sub = moduleDir(dir, [...callPath, b.type], b.source, manifest, pathKey(root));
        if (sub !== undefined && !dirs.has(sub)) queue.push({ dir: sub, callPath: [...callPath, b.type] });
      }
  }
  return buildSourceIndex(root, dirs, manifest);
}

function pathKey(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, "/"));
}
