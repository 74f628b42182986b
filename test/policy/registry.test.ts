// The registries themselves: every condition and limit is one file named by its id, with a table test and a doc
// entry; the published schema is the one built from the registries.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { CONDITIONS } from "../../src/policy/conditions/index.js";
import { keyOf } from "../../src/policy/conditions/types.js";
import { LIMITS } from "../../src/policy/limits/index.js";
import { buildPolicySchema } from "../../src/policy/schema.js";
import { ROOT } from "../helpers/paths.js";

const doc = readFileSync(path.join(ROOT, "docs/policy/conditions.md"), "utf8");
const overview = readFileSync(path.join(ROOT, "docs/policy.md"), "utf8");

function filesIn(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "types.ts")
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
}

describe.each([
  { kind: "condition", registry: CONDITIONS as Record<string, { id: string }>, src: "src/policy/conditions", test: "test/policy/conditions" },
  { kind: "limit", registry: LIMITS as Record<string, { id: string }>, src: "src/policy/limits", test: "test/policy/limits" },
])("$kind registry", ({ registry, src, test }) => {
  const ids = Object.keys(registry);

  it("is sorted, and each entry's id is its key and its file name", () => {
    expect(ids).toEqual([...ids].sort());
    for (const [k, v] of Object.entries(registry)) expect(v.id).toBe(k);
    expect(filesIn(src)).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(ids)("%s has a table test", (id) => {
    expect(existsSync(path.join(ROOT, test, `${id}.test.ts`)), `${test}/${id}.test.ts`).toBe(true);
  });

  it.each(ids)("%s has a doc entry", (id) => {
    expect(doc).toContain(`### \`${keyOf(id)}\``);
  });

  it("the overview names every one of them", () => {
    for (const id of ids) expect(overview).toContain(`\`${keyOf(id)}\``);
  });
});

describe("policy schema", () => {
  it("compiles in ajv strict mode", () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: "x-expect", schemaType: "string" });
    expect(() => ajv.compile(buildPolicySchema())).not.toThrow();
  });

  it("the published schemas/policy.schema.json is the one built from the registries (vitest -u rewrites it)", async () => {
    await expect(JSON.stringify(buildPolicySchema(), null, 2) + "\n").toMatchFileSnapshot("../../schemas/policy.schema.json");
  });
});
