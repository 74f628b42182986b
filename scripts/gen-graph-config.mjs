#!/usr/bin/env node
// Generates a synthetic plan shaped like a big real one, then measures building its dependency graph.
//
//   npm run build && node --expose-gc scripts/gen-graph-config.mjs [--modules 1000] [--resources 10] [--count 10]
//       [--out plan.json] [--graphlib]
//
// M singleton modules, each with R resources `aws_x.yR` of `count = C` (M*R*C instances). In each module,
// yR references y(R-1), y(R-2) and y(R-3) at one index each, and y0/y1 read `var.up`, which the caller passes
// from the previous module's output (one instance of its last resource): about 2.6 instance edges per instance.
// prior_state repeats every instance with its config-level depends_on. With --out the plan is also written.
// The proper benchmark lives in bench/; this is the quick measurement quoted in docs/graph.md.

import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { buildPlan } from "../dist/plan/build.js";
import { buildDependencyGraph, toGraphlib } from "../dist/graph/index.js";

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? def : args[i + 1];
};
const M = Number(opt("modules", 1000));
const R = Number(opt("resources", 10));
const C = Number(opt("count", 10));

function plan() {
  const calls = {};
  const changes = [];
  const state = [];
  for (let m = 0; m < M; m++) {
    const resources = [];
    for (let r = 0; r < R; r++) {
      const refs = [];
      for (let back = 1; back <= 3 && r - back >= 0; back++) {
        const k = (r * 7 + back) % C;
        refs.push(`aws_x.y${r - back}[${k}].id`, `aws_x.y${r - back}[${k}]`, `aws_x.y${r - back}`);
      }
      if (r < 2 && m > 0) refs.push("var.up");
      resources.push({ address: `aws_x.y${r}`, mode: "managed", type: "aws_x", name: `y${r}`, provider_config_key: "aws", expressions: { input: { references: refs } }, count_expression: { constant_value: C } });
      const deps = [];
      for (let back = 1; back <= 3 && r - back >= 0; back++) deps.push(`module.m${m}.aws_x.y${r - back}`);
      if (r < 2 && m > 0) deps.push(`module.m${m - 1}.aws_x.y${R - 1}`);
      for (let k = 0; k < C; k++) {
        const address = `module.m${m}.aws_x.y${r}[${k}]`;
        changes.push({ address, module_address: `module.m${m}`, mode: "managed", type: "aws_x", name: `y${r}`, index: k, provider_name: "registry.terraform.io/hashicorp/aws", change: { actions: [k === 0 && r === 0 ? "delete" : "no-op"], before: {}, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false } });
        state.push({ address, mode: "managed", type: "aws_x", name: `y${r}`, index: k, provider_name: "registry.terraform.io/hashicorp/aws", values: {}, sensitive_values: {}, depends_on: deps });
      }
    }
    const expressions = m > 0 ? { up: { references: [`module.m${m - 1}.out`, `module.m${m - 1}`] } } : {};
    calls[`m${m}`] = { source: "./mod", expressions, module: { resources, outputs: { out: { expression: { references: [`aws_x.y${R - 1}[0].id`, `aws_x.y${R - 1}[0]`, `aws_x.y${R - 1}`] } } }, variables: { up: {} } } };
  }
  const childModules = Array.from({ length: M }, (_, m) => ({ address: `module.m${m}`, resources: state.slice(m * R * C, (m + 1) * R * C) }));
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: changes,
    prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { child_modules: childModules } } },
    configuration: { provider_config: { aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws" } }, root_module: { module_calls: calls } },
  };
}

const mib = (b) => (b / 1024 / 1024).toFixed(0) + " MiB";
const text = JSON.stringify(plan());
if (opt("out", undefined)) writeFileSync(opt("out"), text);
let t = performance.now();
const p = await buildPlan([Buffer.from(text)], { kind: "file", path: "synthetic.json", encoding: "utf-8" }, { file: "synthetic.json" });
const readMs = performance.now() - t;
globalThis.gc?.();
const before = process.memoryUsage();
t = performance.now();
const cpu0 = process.cpuUsage();
const g = buildDependencyGraph(p);
const buildMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
globalThis.gc?.();
const after = process.memoryUsage();
console.log(`plan: ${(text.length / 1024 / 1024).toFixed(0)} MiB JSON, ${p.changes.length} changes; read+parse ${readMs.toFixed(0)} ms (src/plan)`);
console.log(`resource graph: ${g.resource.size} nodes, ${g.resource.edgeCount} edges; instance graph: ${g.instance.size} nodes, ${g.instance.edgeCount} edges`);
console.log(`buildDependencyGraph: ${buildMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, heap +${mib(after.heapUsed - before.heapUsed)} (+${mib(after.arrayBuffers - before.arrayBuffers)} typed arrays), rss ${mib(after.rss)}${globalThis.gc ? "" : " (run with --expose-gc for steadier numbers)"}`);
t = performance.now();
const root = g.instance.indexOf(`module.m0.aws_x.y${R - 1}[0]`);
const radius = g.instance.transitiveDependents([root]);
console.log(`transitiveDependents(module.m0.aws_x.y${R - 1}[0]): ${radius.length} nodes in ${(performance.now() - t).toFixed(0)} ms`);
if (args.includes("--graphlib")) {
  globalThis.gc?.();
  const b2 = process.memoryUsage().heapUsed;
  t = performance.now();
  const gl = toGraphlib(g.instance);
  const glMs = performance.now() - t;
  globalThis.gc?.();
  console.log(`graphlib copy of the instance graph: ${gl.nodeCount()} nodes, ${gl.edgeCount()} edges in ${glMs.toFixed(0)} ms, heap +${mib(process.memoryUsage().heapUsed - b2)}`);
}
