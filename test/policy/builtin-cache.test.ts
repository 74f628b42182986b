// The built-in set read from dist/builtin-policies.json (made by `npm run build`, which `npm test` runs first) must be
// exactly what parsing the shipped files gives: the same document, the same line for every pointer, the same
// compiled rules. An entry made from other text is never used.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_CACHE_FILE, cacheEntry, fromCache, pointersOf, readBuiltinCache } from "../../src/policy/builtin-cache.js";
import { compilePolicies, PolicyLoadError, type PolicySource } from "../../src/policy/compile.js";
import { parsePolicyText } from "../../src/policy/parse.js";
import { BUILTIN_POLICY_DIR, builtinLabel as labelOf, builtinPolicyNames } from "../../src/policy/read.js";

const names = await builtinPolicyNames();
const textOf = (n: string): string => readFileSync(path.join(BUILTIN_POLICY_DIR, n), "utf8");

describe("the built-in policy cache (dist/builtin-policies.json)", () => {
  it("has an entry made from the current text of every built-in file", async () => {
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    expect(cache, `${BUILTIN_CACHE_FILE} is missing: run npm run build`).toBeDefined();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(fromCache(cache, n, labelOf(n), textOf(n)), n).toBeDefined();
  });

  it.each(names)("%s: the same document and the same position for every pointer (and for pointers past its end)", async (n) => {
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    const { parsed } = await parsePolicyText(labelOf(n), textOf(n));
    const cached = fromCache(cache, n, labelOf(n), textOf(n))!;
    expect(cached.doc).toEqual(parsed!.doc);
    expect(cached.format).toBe(parsed!.format);
    const pointers = pointersOf(parsed!.doc);
    expect(pointers.length).toBeGreaterThan(10);
    for (const p of [...pointers, "/nope", "/rules/0/nope/3", "/rules/999", "/rules/0/name/deeper"]) expect(cached.locate(p), p).toEqual(parsed!.locate(p));
  });

  it("compiles to the same rules, origins and lines included", async () => {
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    const plain: PolicySource[] = names.map((n) => ({ file: labelOf(n), text: textOf(n), builtin: true }));
    const fromTheCache: PolicySource[] = plain.map((s, i) => ({ ...s, parsed: fromCache(cache, names[i]!, s.file, s.text)! }));
    expect(JSON.stringify(await compilePolicies(fromTheCache))).toBe(JSON.stringify(await compilePolicies(plain)));
  });

  it("is not used for text it was not made from, and a cache of another version is not read", async () => {
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    const n = names[0]!;
    expect(fromCache(cache, n, labelOf(n), textOf(n) + "\n# edited\n")).toBeUndefined();
    expect(fromCache(cache, "not-a-builtin.yaml", "x", textOf(n))).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-cache-"));
    writeFileSync(path.join(dir, "v2.json"), JSON.stringify({ version: 2, files: cache!.files }));
    writeFileSync(path.join(dir, "broken.json"), "{");
    // Valid JSON of the wrong shape is refused as a whole too (the files are then parsed, never half-read).
    const entry = cache!.files[0]!;
    for (const [name, files] of [
      ["null-entry", [null]],
      ["null-positions", [{ ...entry, positions: null }]],
      ["bad-position", [{ ...entry, positions: { "": { line: "1" } } }]],
      ["no-sha", [{ ...entry, sha256: 1 }]],
      ["bad-format", [{ ...entry, format: "toml" }]],
      ["no-doc", [{ ...entry, doc: undefined }]],
    ] as const) {
      writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ version: 1, files }));
      expect(await readBuiltinCache(path.join(dir, `${name}.json`)), name).toBeUndefined();
    }
    writeFileSync(path.join(dir, "good.json"), JSON.stringify({ version: 1, files: [entry] }));
    expect(await readBuiltinCache(path.join(dir, "good.json"))).toBeDefined();
    expect(await readBuiltinCache(path.join(dir, "v2.json"))).toBeUndefined();
    expect(await readBuiltinCache(path.join(dir, "broken.json"))).toBeUndefined();
    expect(await readBuiltinCache(path.join(dir, "absent.json"))).toBeUndefined();
  });

  it("gives each loading of the built-in set its own copy of the document", async () => {
    const n = names[0]!;
    const a = fromCache(await readBuiltinCache(BUILTIN_CACHE_FILE), n, labelOf(n), textOf(n))!;
    (a.doc as { rules: unknown[] }).rules.length = 0;
    expect((fromCache(await readBuiltinCache(BUILTIN_CACHE_FILE), n, labelOf(n), textOf(n))!.doc as { rules: unknown[] }).rules.length).toBeGreaterThan(0);
  });

  it("a built-in file edited after the build is checked against the schema like any policy (never passed unchecked)", async () => {
    const n = names.find((x) => /severity: fail/.test(textOf(x)))!;
    const edited = textOf(n).replace("severity: fail", "severity: bogus");
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    expect(fromCache(cache, n, labelOf(n), edited)).toBeUndefined();
    const err = await compilePolicies([{ file: labelOf(n), text: edited, builtin: true }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PolicyLoadError);
    const d = (err as PolicyLoadError).diagnostics;
    expect(d.map((x) => [x.code, x.location?.file])).toContainEqual(["BG2102", labelOf(n)]);
    expect(d.find((x) => x.code === "BG2102")!.message).toMatch(/severity/);
  });

  it("an entry made now equals the shipped one (the build and this code agree)", async () => {
    const cache = await readBuiltinCache(BUILTIN_CACHE_FILE);
    for (const n of names) {
      const { parsed } = await parsePolicyText(labelOf(n), textOf(n));
      expect(cacheEntry(n, textOf(n), parsed!)).toEqual(cache!.files.find((f) => f.name === n));
    }
  });
});
