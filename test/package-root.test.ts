// blastgate finds its own files (package.json, policies/) from src/, dist/ and the CLI bundle alike.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT, PACKAGE_VERSION } from "../src/package-root.js";
import { BUILTIN_POLICY_DIR } from "../src/policy/read.js";
import { BIN, ROOT } from "./helpers/paths.js";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };

describe("package root", () => {
  it("is this checkout, with its version", () => {
    expect(PACKAGE_ROOT).toBe(ROOT);
    expect(PACKAGE_VERSION).toBe(pkg.version);
    expect(existsSync(path.join(BUILTIN_POLICY_DIR, "default.yaml"))).toBe(true);
  });

  it("is found from the built library and from the CLI bundle (different depths under dist/)", () => {
    const lib = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(path.join(ROOT, "dist/package-root.js"))}); console.log(m.PACKAGE_ROOT, m.PACKAGE_VERSION)`], { encoding: "utf8" });
    expect(lib.stdout.trim()).toBe(`${ROOT} ${pkg.version}`);
    expect(existsSync(path.join(ROOT, "dist/bundle/cli.js"))).toBe(true);
    const cli = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect(cli.stdout.trim()).toBe(pkg.version);
  });
});
