// The built-in policy set as parsed when blastgate was built (dist/builtin-policies.json, written by
// scripts/builtin-policies.mjs). A run without policies of its own then needs neither the YAML parser nor a parse:
// together about a tenth of the CLI's start-up. An entry is used only for exactly the text it was made from (its
// sha256): an edited or newer policies/default/ file is parsed as usual, and so is everything without the cache.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";
import { sha256Hex } from "../sha256.js";
import type { ParsedPolicy, PolicyFormat, SourcePosition } from "./parse.js";
import { joinPointer, pointerSegments } from "./validate.js";

export const BUILTIN_CACHE_FILE = path.join(PACKAGE_ROOT, "dist", "builtin-policies.json");
/** Format of the cache file; scripts/builtin-policies.mjs writes it, a file of another version is not read. */
export const CACHE_VERSION = 1;

export interface BuiltinCacheEntry {
  /** File name in policies/default/. */
  name: string;
  /** sha256 (hex) of the file's text the entry was made from. */
  sha256: string;
  format: PolicyFormat;
  doc: unknown;
  /** Where each pointer of the document is in the file (what ParsedPolicy.locate gave when it was parsed). */
  positions: Record<string, SourcePosition>;
}

export interface BuiltinCache {
  version: number;
  files: BuiltinCacheEntry[];
}

/** Every pointer into a document: the root, each member and each item, parents before children. */
export function pointersOf(doc: unknown, at = ""): string[] {
  const out = [at];
  if (Array.isArray(doc)) doc.forEach((x, i) => out.push(...pointersOf(x, joinPointer(at, i))));
  else if (doc !== null && typeof doc === "object") for (const [k, v] of Object.entries(doc)) out.push(...pointersOf(v, joinPointer(at, k)));
  return out;
}

/** The cache entry for one parsed built-in policy file (the build makes these). */
export function cacheEntry(name: string, text: string, parsed: ParsedPolicy): BuiltinCacheEntry {
  const positions: Record<string, SourcePosition> = {};
  for (const p of pointersOf(parsed.doc)) {
    const pos = parsed.locate(p);
    if (pos !== undefined) positions[p] = pos;
  }
  return { name, sha256: sha256Hex(text), format: parsed.format, doc: parsed.doc, positions };
}

/**
 * The parsed policy for a built-in file from the cache, when the cache has an entry made from exactly this text;
 * undefined otherwise (the caller parses the text). A pointer not in the document is placed at its nearest
 * ancestor, as the YAML locator does.
 */
export function fromCache(cache: BuiltinCache | undefined, name: string, label: string, text: string): ParsedPolicy | undefined {
  const entry = cache?.files.find((f) => f.name === name);
  if (entry === undefined || entry.sha256 !== sha256Hex(text)) return undefined;
  const positions = new Map(Object.entries(entry.positions));
  return {
    file: label,
    format: entry.format,
    doc: entry.doc,
    locate: (pointer) => {
      const segs = pointerSegments(pointer);
      for (;;) {
        const pos = positions.get(joinPointer("", ...segs));
        if (pos !== undefined || segs.length === 0) return pos;
        segs.pop();
      }
    },
  };
}

function isEntry(e: unknown): e is BuiltinCacheEntry {
  if (e === null || typeof e !== "object") return false;
  const x = e as Partial<Record<keyof BuiltinCacheEntry, unknown>>;
  const positions = x.positions;
  return (
    typeof x.name === "string" &&
    typeof x.sha256 === "string" &&
    (x.format === "yaml" || x.format === "json" || x.format === "hcl") &&
    x.doc !== undefined &&
    positions !== null &&
    typeof positions === "object" &&
    Object.values(positions).every((p) => p !== null && typeof p === "object" && typeof (p as SourcePosition).line === "number" && typeof (p as SourcePosition).column === "number")
  );
}

/**
 * Reads the cache (a few KB, once per loading of the built-in set: each read gives its own objects); undefined when
 * it is missing, unreadable or of another version.
 */
export async function readBuiltinCache(file: string = BUILTIN_CACHE_FILE): Promise<BuiltinCache | undefined> {
  try {
    const c = JSON.parse(await readFile(file, "utf8")) as Partial<BuiltinCache> | null;
    // Anything not of the shape the build writes is not used: the shipped files are then parsed as usual.
    return c !== null && c.version === CACHE_VERSION && Array.isArray(c.files) && c.files.every(isEntry) ? (c as BuiltinCache) : undefined;
  } catch {
    return undefined;
  }
}
