// Bundles the CLI into one file, dist/bundle/cli.js, after tsc has written dist/. Node 20 spends most of a small
// run's start-up resolving, reading and compiling ~150 ES modules one by one; one file cuts `check` of a 3-change plan
// from ~0.49 s to ~0.27 s (measured on the benchmark machine). The library API (dist/index.js) stays unbundled.
//
// Kept outside the bundle: @cdktf/hcl2json (a WebAssembly file loaded beside its module, imported only when .hcl is
// read) and ajv (loaded with createRequire on first use). blastgate's own files (package.json, policies/) are found
// from the bundle by src/package-root.ts.

import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@cdktf/hcl2json", "ajv"],
  // yargs measures its (ASCII) help text with string-width, whose module builds a Unicode segmenter and an emoji regex
  // as it loads; the shim measures the same text the same way without them (test/cli/string-width-shim.test.ts).
  alias: { "string-width": "./scripts/shims/string-width.mjs" },
  // CommonJS dependencies inside an ES module bundle call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __blastgateCreateRequire } from "node:module";\nconst require = __blastgateCreateRequire(import.meta.url);' },
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, entryPoints: ["dist/cli/main.js"], outfile: "dist/bundle/cli.js" });
// The prior_state helper thread (src/plan/prior-helper.ts) loads the file beside the bundle that starts it.
await build({ ...common, entryPoints: ["dist/plan/prior-worker.js"], outfile: "dist/bundle/prior-worker.js" });
