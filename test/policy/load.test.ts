// Loading policy files: every format, every problem in one pass with file, line or pointer and a fix; exit 2 shapes.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BlastgateError, renderDiagnostic } from "../../src/diagnostics/index.js";
import { loadPolicies } from "../../src/policy/read.js";
import { ROOT } from "../helpers/paths.js";
import { policies, problems } from "./helpers.js";

const rule = (extra = ""): string => `rules:\n  - name: r\n    severity: fail\n    description: d\n${extra}`;

describe("loading policy files", () => {
  it("merges .hcl, .yaml and .json files of a directory in name order", async () => {
    const set = await loadPolicies(["test/policy/fixtures/mixed-ok"], { cwd: ROOT });
    expect(set.rules.map((r) => r.name)).toEqual(["from-yaml", "from-hcl", "from-json"]);
    expect(set.files).toEqual(["test/policy/fixtures/mixed-ok/a.yaml", "test/policy/fixtures/mixed-ok/b.hcl", "test/policy/fixtures/mixed-ok/c.json"]);
    expect(set.allowDestroy).toEqual([{ source: "test/policy/fixtures/mixed-ok/c.json", patterns: ["module.old"] }]);
    expect(set.rules[1]!.origin).toMatchObject({ file: "test/policy/fixtures/mixed-ok/b.hcl", line: 1, builtin: false });
  });

  it("merges several directories, and takes a single file too", async () => {
    const set = await loadPolicies(["test/policy/fixtures/mixed-ok", "policies/examples/yaml/team.yaml"], { cwd: ROOT });
    expect(set.rules.map((r) => r.name)).toContain("contained-blast-radius");
    expect(set.rules.map((r) => r.name)).toContain("from-hcl");
  });

  it("uses ./policies when present, else the built-in default set", async () => {
    const here = await loadPolicies([], { cwd: ROOT });
    expect(here.files[0]).toMatch(/^policies\//);
    const empty = mkdtempSync(path.join(tmpdir(), "bg-policy-"));
    const builtin = await loadPolicies([], { cwd: empty });
    expect(builtin.files).toEqual(["builtin:default/default.yaml"]);
    expect(builtin.rules.map((r) => r.name)).toEqual(["no-data-loss", "unknown-data-loss", "no-environment-wide-recreation", "no-prevent-destroy-deletes", "replace-delete-first"]);
    expect(builtin.rules.every((r) => r.origin.builtin)).toBe(true);
  });

  it("include_default adds the built-in rules, and a same-named rule replaces one", async () => {
    const set = await loadPolicies(["policies"], { cwd: ROOT });
    expect(set.rules.map((r) => r.name)).toContain("no-data-loss");
    const override = await policies(
      { "mine.yaml": "include_default: true\nrules:\n  - { name: replace-delete-first, severity: fail, description: mine }\n" },
      [{ file: "builtin:default/default.yaml", text: "rules:\n  - { name: replace-delete-first, severity: warn, description: builtin }\n  - { name: other, severity: warn, description: x }\n", builtin: true }],
    );
    expect(override.rules.map((r) => [r.name, r.severity, r.origin.builtin])).toEqual([
      ["replace-delete-first", "fail", false],
      ["other", "warn", true],
    ]);
  });

  it("a missing directory, an empty one, and files without rules are errors (exit 2), not an empty gate", async () => {
    const [missing] = await problems(loadPolicies(["no/such/dir"], { cwd: ROOT }));
    expect(missing).toMatchObject({ code: "BG2001", location: { file: "no/such/dir" } });
    const [empty] = await problems(loadPolicies(["test/policy/fixtures/empty"], { cwd: ROOT }));
    expect(empty).toMatchObject({ code: "BG2002" });
    const [none] = await problems(policies({ "p.yaml": "allow_destroy: [module.x]\n" }));
    expect(none).toMatchObject({ code: "BG2002", location: { file: "p.yaml" } });
  });
});

describe("bad policy files", () => {
  it("YAML syntax error: file and line", async () => {
    const [d] = await problems(loadPolicies(["test/policy/fixtures/bad-yaml-syntax"], { cwd: ROOT }));
    expect(d).toMatchObject({ code: "BG2101", location: { file: "test/policy/fixtures/bad-yaml-syntax/p.yaml" } });
    expect(d!.message).toMatch(/^YAML syntax error/);
    expect(d!.location!.line).toBeGreaterThanOrEqual(4);
    expect(d!.fix).toBeTruthy();
  });

  it("JSON syntax error: file, line and column", async () => {
    const [d] = await problems(loadPolicies(["test/policy/fixtures/bad-json-syntax"], { cwd: ROOT }));
    expect(d).toMatchObject({ code: "BG2101", location: { file: "test/policy/fixtures/bad-json-syntax/p.json", line: 3 } });
    expect(d!.message).toBe("JSON syntax error: expected an object key (a string), found '}'");
  });

  it("HCL syntax error: file and line", async () => {
    const [d] = await problems(loadPolicies(["test/policy/fixtures/bad-hcl-syntax"], { cwd: ROOT }));
    expect(d).toMatchObject({ code: "BG2101", location: { file: "test/policy/fixtures/bad-hcl-syntax/p.hcl", line: 3 } });
    expect(d!.message).toBe("HCL syntax error: Invalid expression");
  });

  it("schema errors: every problem in one pass, each with its JSON pointer and line", async () => {
    const ds = await problems(loadPolicies(["test/policy/fixtures/schema-errors"], { cwd: ROOT }));
    const byPointer = Object.fromEntries(ds.map((d) => [d.location!.pointer, d]));
    expect(Object.keys(byPointer).sort()).toEqual(["/rules/0/limits/max_changes", "/rules/0/severity", "/rules/1"]);
    expect(byPointer["/rules/0/severity"]).toMatchObject({ code: "BG2102", location: { line: 5 } });
    expect(byPointer["/rules/0/severity"]!.message).toBe('rule "a": `severity` is "error", which is not one of fail, warn');
    expect(byPointer["/rules/0/limits/max_changes"]).toMatchObject({ location: { line: 7 } });
    expect(byPointer["/rules/0/limits/max_changes"]!.message).toMatch(/must be a whole number \(found "three"\)/);
    expect(byPointer["/rules/1"]!.message).toBe('rule "b" is missing `description`');
    expect(ds[0]!.location!.file).toBe("test/policy/fixtures/schema-errors/p.json");
  });

  it("unknown condition: the nearest known one, and a limit written under when", async () => {
    const ds = await problems(loadPolicies(["test/policy/fixtures/unknown-condition"], { cwd: ROOT }));
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({ code: "BG2104", message: 'policy rule "protect-db" uses unknown condition "resource_typ"', location: { line: 7, column: 7, pointer: "/rules/0/when/resource_typ" } });
    expect(ds[0]!.fix).toMatch(/^did you mean `resource_type`\? known: action, action_reason, address/);
    expect(ds[1]).toMatchObject({ code: "BG2104", location: { line: 8, pointer: "/rules/0/when/max_blast_radios" } });
    expect(ds[1]!.fix).toBe("did you mean `max_blast_radius`? `max_blast_radius` is a limit: move it under `limits`");
    expect(renderDiagnostic(ds[0]!)).toContain("--> test/policy/fixtures/unknown-condition/p.yaml:7:7  at /rules/0/when/resource_typ");
  });

  it("unknown limit and unknown keys suggest the nearest name", async () => {
    const ds = await problems(policies({ "p.yaml": rule("    limits: { max_chnages: 1, resource_type: x }\n    severity_: warn\n") + "rulez: []\n" }));
    const msgs = ds.map((d) => `${d.code} ${d.message} | ${d.fix}`);
    expect(msgs).toContain('BG2105 policy rule "r" uses unknown limit "max_chnages" | did you mean `max_changes`? known: max_blast_radius, max_changes, max_destroyed_share, max_score');
    expect(msgs).toContain('BG2105 policy rule "r" uses unknown limit "resource_type" | `resource_type` is a selector condition: move it under `when`');
    expect(msgs.some((m) => m.startsWith('BG2103 unknown key "severity_" in rule "r" | did you mean `severity`?'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('BG2103 unknown key "rulez" in the file | did you mean `rules`?'))).toBe(true);
  });

  it("HCL: the line of the offending key, in the right rule", async () => {
    const hcl = `rule "first" {\n  severity = "fail"\n  description = "d"\n}\n\nrule "second" {\n  severity = "fail"\n  description = "d"\n  when {\n    resource_typ = "x"\n  }\n}\n`;
    const [d] = await problems(policies({ "p.hcl": hcl }));
    expect(d).toMatchObject({ code: "BG2104", location: { file: "p.hcl", line: 10, pointer: "/rules/1/when/resource_typ" } });
  });

  it("HCL: expressions are refused, not evaluated", async () => {
    const hcl = `rule "r" {\n  severity = "fail"\n  description = var.text\n}\n`;
    const [d] = await problems(policies({ "p.hcl": hcl }));
    expect(d).toMatchObject({ code: "BG2106", location: { line: 3, pointer: "/rules/0/description" } });
  });

  it("HCL: a rule defined twice", async () => {
    const hcl = `rule "r" {\n  severity = "fail"\n  description = "d"\n}\nrule "r" {\n  severity = "warn"\n  description = "d"\n}\n`;
    const ds = await problems(policies({ "p.hcl": hcl }));
    expect(ds[0]).toMatchObject({ code: "BG2108", message: 'rule "r" is defined 2 times' });
  });

  it("a rule name used in two files", async () => {
    const ds = await problems(policies({ "a.yaml": rule(), "b.json": '{"rules":[{"name":"r","severity":"warn","description":"d"}]}' }));
    expect(ds[0]).toMatchObject({ code: "BG2108", location: { file: "b.json", pointer: "/rules/0" } });
    expect(ds[0]!.why).toContain("a.yaml");
  });

  it("YAML billion laughs is refused", async () => {
    const started = Date.now();
    const [d] = await problems(loadPolicies(["test/policy/fixtures/billion-laughs"], { cwd: ROOT }));
    expect(d).toMatchObject({ code: "BG2107" });
    expect(d!.message).toMatch(/alias bomb/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("YAML tags beyond the core schema are refused", async () => {
    const [d] = await problems(policies({ "p.yaml": rule("    when: { resource_type: !!js/function 'x' }\n") }));
    expect(d).toMatchObject({ code: "BG2107", location: { line: 5 } });
    const [bin] = await problems(policies({ "p.yaml": rule("    when: { resource_type: !!binary aGk= }\n") }));
    expect(bin).toMatchObject({ code: "BG2107" });
  });

  it("duplicate keys are refused in YAML and JSON", async () => {
    const [y] = await problems(policies({ "p.yaml": "rules: []\nrules: []\n" }));
    expect(y).toMatchObject({ code: "BG2101", location: { line: 2 } });
    const [j] = await problems(policies({ "p.json": '{\n  "rules": [],\n  "rules": []\n}' }));
    expect(j).toMatchObject({ code: "BG2101", message: "JSON object has a duplicate key", location: { line: 3 } });
  });

  it("condition arguments and expiry dates are checked beyond the schema", async () => {
    const ds = await problems(
      policies({ "p.yaml": rule('    when: { before: { "tags.": x } }\n    waivers: [{ addresses: [a.b], reason: r, expires: "2026-02-30" }]\n') }),
    );
    expect(ds.map((d) => [d.code, d.location!.pointer])).toEqual([
      ["BG2109", "/rules/0/when/before"],
      ["BG2109", "/rules/0/waivers/0/expires"],
    ]);
  });

  it("a union argument gets one sentence, not one per branch", async () => {
    const ds = await problems(policies({ "p.yaml": rule("    when: { action: [delete, explode] }\n") }));
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toBe('rule "r": `when.action` must be an action kind or group, or a list of them (found ["delete","explode"])');
  });

  it("the error a plain BlastgateError handler renders says how many problems there are", async () => {
    try {
      await loadPolicies(["test/policy/fixtures/schema-errors"], { cwd: ROOT });
    } catch (e) {
      expect(e).toBeInstanceOf(BlastgateError);
      expect((e as BlastgateError).diagnostic.message).toMatch(/\(1 of 3 problems in policy files\)$/);
    }
  });
});
