// The built CLI over the shipped examples: exit codes, golden reports, the JSON schema, stdin and binary plans.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { EXAMPLES, HAS_TERRAFORM, ROOT, runCli } from "../helpers/paths.js";

const schema = JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const GOLDEN_CASES = ["incident", "safe", "deletes", "replace-reasons", "prevent-destroy", "destroy-mode", "empty-state"];

describe("blastgate check on the examples", () => {
  it.each(GOLDEN_CASES)("%s: terminal and JSON reports match the goldens; JSON matches the schema", async (name) => {
    const plan = `examples/${name}/plan.json`;
    const term = runCli(["check", plan]);
    expect(term.stderr).toBe("");
    await expect(term.stdout).toMatchFileSnapshot(`../golden/${name}/terminal.txt`);
    const js = runCli(["check", plan, "--format", "json"]);
    expect(js.status).toBe(term.status);
    await expect(js.stdout).toMatchFileSnapshot(`../golden/${name}/report.json`);
    const report = JSON.parse(js.stdout) as unknown;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the incident lists every resource as destructive, in both replace orders", () => {
    const r = runCli(["check", "examples/incident/plan.json", "--format", "json"]);
    const report = JSON.parse(r.stdout) as { summary: Record<string, number>; destructive: { kind: string; replace_paths: string[] }[] };
    expect(report.summary.total).toBe(30);
    expect(report.destructive).toHaveLength(30);
    expect(report.summary["replace-delete-first"]).toBe(28);
    expect(report.summary["replace-create-first"]).toBe(2);
    expect(report.destructive.every((d) => d.replace_paths.includes("triggers_replace"))).toBe(true);
  });

  it("the safe example has no destructive change and passes", () => {
    const r = runCli(["check", "examples/safe/plan.json", "--format", "json"]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { destructive: unknown[] }).destructive).toEqual([]);
  });

  it("never prints the incident's sensitive password in any format", () => {
    for (const format of ["terminal", "json"]) {
      const r = runCli(["check", "examples/incident/plan.json", "--format", format]);
      expect(r.stdout + r.stderr).not.toContain("hunter2-incident-secret");
    }
  });

  it("writes the report to --output and nothing to stdout", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-out-"));
    const out = path.join(dir, "report.json");
    const r = runCli(["check", "examples/safe/plan.json", "--format", "json", "--output", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(validate(JSON.parse(readFileSync(out, "utf8")))).toBe(true);
  });

  it("reads standard input with - and when piped without an argument", () => {
    const input = readFileSync(path.join(EXAMPLES, "incident/plan.json"));
    const fromFile = runCli(["check", "examples/incident/plan.json", "--format", "json"]);
    const file = JSON.parse(fromFile.stdout) as { destructive: unknown[]; plan: { source: unknown } };
    for (const args of [["check", "-", "--format", "json"], ["check", "--format", "json"]]) {
      const r = runCli(args, { input });
      expect(r.status).toBe(fromFile.status);
      const report = JSON.parse(r.stdout) as typeof file;
      expect(report.plan.source).toEqual({ kind: "stdin", path: "<stdin>", encoding: "utf-8" });
      expect(report.destructive).toEqual(file.destructive);
    }
  });

  it("has --help for every command and --version", () => {
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("check [plans..]");
    const checkHelp = runCli(["check", "--help"]);
    expect(checkHelp.status).toBe(0);
    expect(checkHelp.stdout).toContain("--format");
    const version = runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  });

  it("exits 2 on bad usage", () => {
    expect(runCli(["check", "examples/safe/plan.json", "--format", "nope"]).status).toBe(2);
    expect(runCli(["check", "examples/safe/plan.json", "--no-such-flag"]).status).toBe(2);
    expect(runCli(["frobnicate"]).status).toBe(2);
    expect(runCli([]).status).toBe(2);
  });
});

describe.skipIf(!HAS_TERRAFORM)("binary plans (needs terraform)", () => {
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1" };
  function makePlan(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate bin $(x) '"));
    writeFileSync(path.join(dir, "main.tf"), 'resource "terraform_data" "a" {\n  input = "x"\n}\nresource "terraform_data" "b" {\n  input = terraform_data.a.output\n}\n');
    for (const args of [["init", "-input=false"], ["plan", "-input=false", "-out=my plan.tfplan"]]) {
      const r = spawnSync("terraform", args, { cwd: dir, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`terraform ${args[0]} failed: ${r.stderr}`);
    }
    return dir;
  }

  it("detects a binary plan by content and converts it with terraform show -json (no shell: odd names are safe)", () => {
    const dir = makePlan();
    const r = runCli(["check", "my plan.tfplan", "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { plan: { source: { kind: string } }; summary: { total: number; create: number } };
    expect(report.plan.source.kind).toBe("binary");
    expect(report.summary.create).toBe(report.summary.total);
    expect(report.summary.total).toBeGreaterThan(0);
    // The same binary plan through standard input.
    const viaStdin = runCli(["check", "-", "--format", "json"], { cwd: dir, input: readFileSync(path.join(dir, "my plan.tfplan")) });
    expect(viaStdin.status).toBe(0);
    expect((JSON.parse(viaStdin.stdout) as typeof report).summary).toEqual(report.summary);
    writeFileSync(path.join(dir, "done"), "");
  });
});
if (!HAS_TERRAFORM) console.warn("binary plan tests skipped: terraform is not on PATH");
