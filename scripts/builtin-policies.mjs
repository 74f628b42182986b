// Parses the built-in policy set (policies/default/) once at build time into dist/builtin-policies.json, so a run
// without policies of its own needs neither the YAML parser nor a parse (src/policy/builtin-cache.ts). Runs after tsc
// has written dist/; fails the build when a built-in file does not parse cleanly or breaks the policy schema (a document
// from the cache is not checked again at run time).

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { BUILTIN_CACHE_FILE, CACHE_VERSION, cacheEntry } from "../dist/policy/builtin-cache.js";
import { parsePolicyText } from "../dist/policy/parse.js";
import { BUILTIN_POLICY_DIR, builtinLabel, builtinPolicyNames } from "../dist/policy/read.js";
import { schemaProblems, semanticProblems } from "../dist/policy/validate.js";

const files = [];
for (const name of await builtinPolicyNames()) {
  const text = readFileSync(path.join(BUILTIN_POLICY_DIR, name), "utf8");
  const label = builtinLabel(name);
  const { parsed, problems } = await parsePolicyText(label, text);
  if (!parsed || problems.length > 0) {
    console.error(`${label}: ${problems.map((p) => p.message).join("; ") || "did not parse"}`);
    process.exit(1);
  }
  const invalid = [...schemaProblems(parsed.doc), ...semanticProblems(parsed.doc)];
  if (invalid.length > 0) {
    console.error(`${label}: ${invalid.map((p) => p.message).join("; ")}`);
    process.exit(1);
  }
  // The cache is JSON: a value JSON cannot carry (-0, Infinity, NaN from YAML) would come back different, and the
  // schema was checked on the parsed document, so refuse it here instead.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.doc)), parsed.doc)) {
    console.error(`${label}: holds a value JSON cannot represent (-0, .inf or .nan); write it another way`);
    process.exit(1);
  }
  files.push(cacheEntry(name, text, parsed));
}
writeFileSync(BUILTIN_CACHE_FILE, JSON.stringify({ version: CACHE_VERSION, files }) + "\n");
