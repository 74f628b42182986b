// The gate end to end: policies decide the exit code of `check`.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md } from "../../src/report/text.js";
import { runCli } from "../helpers/paths.js";

describe("check with policies", () => {
  it("the incident fails the shipped policies with a readable reason (exit 1)", () => {
    const r = runCli(["check", "examples/incident/plan.json", "--policies", "policies/"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^STOP {2}blastgate: the gate fails: do not apply this plan/);
    expect(r.stdout).toContain("30 resources are replaced because `var.network_cidr` changed");
    expect(r.stdout).toMatch(/policy rule "[a-z-]+" fails/);
  });

  it("the incident fails the built-in default set too", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-nopolicies-"));
    const r = runCli(["check", path.resolve("examples/incident/plan.json"), "--format", "json"], { cwd: dir });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { policy: { status: string; results: { rule: string; status: string }[] } };
    expect(report.policy.status).toBe("fail");
    expect(report.policy.results.find((x) => x.rule === "no-environment-wide-recreation")?.status).toBe("fail");
  });

  it("the safe example passes (exit 0)", () => {
    const r = runCli(["check", "examples/safe/plan.json", "--policies", "policies/"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^PASS/);
  });

  it("a broken policy file exits 2 naming the file and line, and suggests the nearest condition", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-badpolicy-"));
    writeFileSync(path.join(dir, "p.yaml"), "rules:\n  - name: x\n    severity: fail\n    description: d\n    when:\n      max_blast_radios: 5\n");
    const r = runCli(["check", "examples/safe/plan.json", "--policies", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, "p.yaml")}:6:7`);
    expect(r.stderr).toContain("did you mean `max_blast_radius`");
    expect(r.stdout).toBe("");
  });

  it("a declared intent lets an intended destroy pass, with a note; destroys outside still fail", () => {
    const ok = runCli(["check", "examples/incident/plan.json", "--allow-destroy", "*", "--format", "json", "--no-ai-assisted"]);
    const report = JSON.parse(ok.stdout) as { policy: { allowed_by_intent: string[]; outside_intent: string[] } };
    expect(report.policy.allowed_by_intent).toHaveLength(30);
    expect(report.policy.outside_intent).toEqual([]);
    const partial = runCli(["check", "examples/incident/plan.json", "--allow-destroy", "module.network.*", "--format", "json", "--no-ai-assisted"]);
    expect(partial.status).toBe(1);
    const p = JSON.parse(partial.stdout) as { policy: { allowed_by_intent: string[]; outside_intent: string[] } };
    expect(p.policy.allowed_by_intent.every((a) => a.startsWith("module.network."))).toBe(true);
    expect(p.policy.outside_intent.length).toBe(30 - p.policy.allowed_by_intent.length);
  });

  it("the verdict's own notes reach the JSON, terminal, Markdown and JUnit reports", () => {
    // A pattern that matches nothing, an AI-assisted mark and the declared intent: each is a note on the verdict as
    // a whole, not on one rule. Before schema 1.1 the reports dropped them.
    const args = ["check", "examples/incident/plan.json", "--allow-destroy", "module.nothing_here.*", "--ai-assisted"];
    const json = runCli([...args, "--format", "json"]);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { schema_version: string; policy: { notes: string[] } };
    expect(report.schema_version).toBe("1.1");
    const notes = report.policy.notes;
    expect(notes).toContain("the change is marked AI-assisted (set by option (--ai-assisted))");
    expect(notes).toContain("declared allow-destroy: module.nothing_here.* (from --allow-destroy)");
    const terminal = runCli([...args, "--format", "terminal"]).stdout;
    const markdown = runCli([...args, "--format", "markdown"]).stdout;
    const junit = runCli([...args, "--format", "junit"]).stdout;
    for (const n of notes) {
      expect(terminal.replace(/\n\s+/g, " ")).toContain(`note: ${n}`);
      expect(markdown).toContain(`- ${md(n)}`);
      expect(junit).toContain(`- ${n}`);
    }
  });

  it("--fail-on warn makes warnings fail", () => {
    // replace-reasons has delete-first replacements: the default set warns on them.
    const warnOnly = runCli(["check", "examples/replace-reasons/plan.json", "--format", "json", "--no-ai-assisted"]);
    const report = JSON.parse(warnOnly.stdout) as { policy: { status: string } };
    if (report.policy.status === "warn") {
      expect(warnOnly.status).toBe(0);
      expect(runCli(["check", "examples/replace-reasons/plan.json", "--fail-on", "warn"]).status).toBe(1);
    } else expect(report.policy.status).toBe("fail");
  });
});
