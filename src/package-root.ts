// Where blastgate's own files are (package.json, policies/, schemas/): the nearest folder above this module whose
// package.json is blastgate's. Found by walking up, so the same code works from src/ (tests), dist/ (tsc output) and
// dist/bundle/ (the CLI's single-file bundle), which sit at different depths.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): { root: string; version: string } {
  let dir = path.dirname(from);
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "blastgate" && typeof pkg.version === "string") return { root: dir, version: pkg.version };
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`blastgate's package.json was not found above ${from}: the installation is incomplete`);
    dir = up;
  }
}

const found = findRoot(fileURLToPath(import.meta.url));

/** The folder holding blastgate's package.json. */
export const PACKAGE_ROOT: string = found.root;
/** blastgate's version, from its package.json. */
export const PACKAGE_VERSION: string = found.version;
