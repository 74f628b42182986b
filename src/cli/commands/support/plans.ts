// Plan inputs for the CI entry points: paths, directories (every plan file directly inside) and globs (`*`, `?`,
// `**`), expanded in sorted order. Nothing matching is an error: a gate with no plan must not pass.

import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fail } from "../../../diagnostics/index.js";

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function hasGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

/** A glob segment as a regular expression (`*` and `?` never cross `/`). */
function segmentRegex(seg: string): RegExp {
  let re = "";
  for (const ch of seg) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function entries(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list.filter((e) => !e.name.startsWith(".")).map((e) => ({ name: e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

async function walk(base: string, segs: readonly string[], out: string[]): Promise<void> {
  if (segs.length === 0) {
    out.push(base);
    return;
  }
  const [seg, ...rest] = segs as [string, ...string[]];
  if (seg === "**") {
    await walk(base, rest, out);
    for (const e of await entries(base)) if (e.dir) await walk(path.join(base, e.name), segs, out);
    return;
  }
  if (!hasGlob(seg)) {
    const next = path.join(base, seg);
    if (rest.length === 0 || (await isDir(next))) await walk(next, rest, out);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of await entries(base)) if (re.test(e.name) && (rest.length === 0 || e.dir)) await walk(path.join(base, e.name), rest, out);
}

/** Paths matching a glob, relative to cwd when the glob is. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const abs = path.isAbsolute(pattern);
  const segs = pattern.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  const root = abs ? path.parse(pattern).root : cwd;
  const out: string[] = [];
  await walk(root, segs, out);
  const files: string[] = [];
  for (const p of out) if (!(await isDir(p))) files.push(abs ? p : path.relative(cwd, p));
  return [...new Set(files)].sort();
}

async function looksLikePlan(file: string): Promise<boolean> {
  if (file.endsWith(".json")) return true;
  try {
    const fh = await open(file, "r");
    try {
      const buf = Buffer.alloc(4);
      const { bytesRead } = await fh.read(buf, 0, 4, 0);
      return bytesRead === 4 && buf.equals(ZIP);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/**
 * Expands plan arguments: a directory gives every `*.json` file and binary plan directly inside it, a glob its
 * matches, anything else is taken as a path (and reported by the reader if missing).
 */
export async function expandPlanInputs(inputs: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === "-") {
      out.push(input);
      continue;
    }
    if (hasGlob(input)) {
      const found = await expandGlob(input, cwd);
      if (found.length === 0) throw fail("BG5003", `no plan file matches \`${input}\``, { fix: "check the pattern and the directory it is run in (globs are matched by blastgate, quote them)" });
      out.push(...found);
      continue;
    }
    const abs = path.resolve(cwd, input);
    if (await isDir(abs)) {
      const found: string[] = [];
      for (const e of await entries(abs)) if (!e.dir && (await looksLikePlan(path.join(abs, e.name)))) found.push(path.join(input, e.name));
      if (found.length === 0) throw fail("BG5003", `no plan file in directory \`${input}\``, { fix: "write the plans there first (`terraform show -json tfplan > DIR/NAME.json`), or name the files" });
      out.push(...found);
      continue;
    }
    out.push(input);
  }
  return [...new Set(out)];
}
