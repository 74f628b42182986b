// Distribution: `npm pack` makes a package that installs in an empty directory and runs there, without the dev tree
// (no src/, no devDependencies): --version, check with the built-in policies, the JSON schema, and the CI commands.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, ROOT, runCli } from "../helpers/paths.js";
import { tempDir, TF_ENV } from "./helpers.js";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const INCIDENT_STATUS = runCli(["check", "examples/incident/plan.json"]).status;

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  // No registry in the test: everything comes from npm's cache (filled by `npm ci`); fail fast instead of waiting.
  return spawnSync("npm", [...args, "--no-audit", "--no-fund", "--fetch-retries=0", "--fetch-timeout=5000"], { cwd, env: { ...TF_ENV, npm_config_update_notifier: "false" }, encoding: "utf8", timeout: 240_000 });
}

describe("npm pack, installed in an empty directory", () => {
  let app: string;
  let files: string[];
  beforeAll(() => {
    expect(existsSync(path.join(ROOT, "dist/cli/main.js")), "run `npm run build` first (npm test does)").toBe(true);
    const out = tempDir("bg-pack-");
    // The build is already there; scripts off so packing does not rebuild the tree other tests are reading.
    const packed = npm(["pack", "--json", "--ignore-scripts", "--pack-destination", out], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const info = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
    files = info.files.map((f) => f.path);
    app = tempDir("bg-app-");
    const installed = npm(["install", path.join(out, info.filename), "--prefer-offline"], app);
    expect(installed.status, installed.stderr).toBe(0);
  }, 300_000);

  it("ships the CLI, the build, the schemas and the built-in policies, and not the dev tree", () => {
    for (const f of ["bin/blastgate.js", "dist/cli/main.js", "dist/index.js", "dist/index.d.ts", "schemas/report.schema.json", "policies/default/default.yaml", "README.md", "package.json"]) expect(files).toContain(f);
    for (const f of files) expect(f).not.toMatch(/^(src|test|bench|examples|scripts|node_modules)\//);
  });

  function blastgate(args: string[]): SpawnSyncReturns<string> {
    return spawnSync("npx", ["--no-install", "blastgate", ...args], { cwd: app, env: { ...TF_ENV, npm_config_update_notifier: "false" }, encoding: "utf8", timeout: 120_000 });
  }

  it("npx blastgate --version", () => {
    const r = blastgate(["--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(existsSync(path.join(app, "node_modules", pkg.name, "src"))).toBe(false);
    expect(existsSync(path.join(app, "node_modules", "typescript"))).toBe(false);
  });

  it("check gates the incident with the built-in policies and passes the safe plan; the JSON matches the shipped schema", () => {
    const bad = blastgate(["check", path.join(EXAMPLES, "incident/plan.json")]);
    expect(bad.status, bad.stderr).toBe(INCIDENT_STATUS);
    expect(bad.stdout).toContain("module.network.terraform_data.vpc");
    const good = blastgate(["check", path.join(EXAMPLES, "safe/plan.json"), "--format", "json"]);
    expect(good.status, good.stderr).toBe(0);
    const schema = JSON.parse(readFileSync(path.join(app, "node_modules", pkg.name, "schemas/report.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(JSON.parse(good.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the CI entry point runs from the package", () => {
    const r = blastgate(["ci", "gitlab", path.join(EXAMPLES, "safe/plan.json"), "--report-dir", path.join(app, "reports")]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(app, "reports", "gl-code-quality-report.json"))).toBe(true);
  });
});
