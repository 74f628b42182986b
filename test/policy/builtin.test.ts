// The shipped policy files are valid: the built-in default set skips schema validation at run time (compile.ts), so
// this test is what checks it; the examples are checked too, since the docs tell users to copy them.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicyText } from "../../src/policy/parse.js";
import { BUILTIN_POLICY_DIR } from "../../src/policy/read.js";
import { schemaProblems, semanticProblems } from "../../src/policy/validate.js";

function policyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? policyFiles(path.join(dir, e.name)) : /\.(ya?ml|json|hcl)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

const shipped = [...policyFiles(BUILTIN_POLICY_DIR), ...policyFiles(path.resolve("policies/examples")), ...policyFiles(path.resolve("policies")).filter((f) => path.dirname(f) === path.resolve("policies"))];

describe("shipped policy files", () => {
  it("include the built-in default set", () => {
    expect(shipped.some((f) => f.startsWith(BUILTIN_POLICY_DIR))).toBe(true);
  });

  it.each(shipped.map((f) => [path.relative(process.cwd(), f), f]))("%s parses and passes the schema and the conditions' checks", async (_name, file) => {
    const { parsed, problems } = await parsePolicyText(file, readFileSync(file, "utf8"));
    expect(problems).toEqual([]);
    expect(schemaProblems(parsed!.doc)).toEqual([]);
    expect(semanticProblems(parsed!.doc)).toEqual([]);
  });

  it("a schema error in a user's file is still found (validation is skipped for the built-in set only)", async () => {
    const { parsed } = await parsePolicyText("mine.yaml", "rules:\n  - { name: x, severity: fatal, description: d }\n");
    expect(schemaProblems(parsed!.doc).length).toBeGreaterThan(0);
  });
});
