// The built CLI: `blastgate graph` over the examples (formats, levels, --tf-dir, stdin) and its bad-input exits.
// Needs `npm run build` first (`npm test` does it).

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { GraphJSON } from "../../src/graph/index.js";
import { BIN, EXAMPLES, ROOT, runCli } from "../helpers/paths.js";
import { spawnSync } from "node:child_process";
import { parseDot } from "./helpers/oracle.js";

const json = (args: string[]): GraphJSON & { unresolved: unknown[] } => {
  const r = runCli(["graph", ...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as GraphJSON & { unresolved: unknown[] };
};

describe("blastgate graph", () => {
  it("renders the incident as DOT that matches terraform graph's node set", () => {
    const r = runCli(["graph", "examples/incident/plan.json", "--format", "dot"]);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('digraph G {\n  rankdir = "RL";')).toBe(true);
    const ours = parseDot(r.stdout);
    const theirs = parseDot(readFileSync(path.join(EXAMPLES, "incident/graph.dot"), "utf8"));
    expect([...ours.nodes].sort()).toEqual([...theirs.nodes].sort());
  });

  it.each([
    ["graph-modules", "resource", "dot"],
    ["graph-locals", "resource", "mermaid"],
    ["graph-count-foreach", "instance", "dot"],
    ["graph-deposed", "instance", "mermaid"],
  ])("examples/%s --level %s --format %s (golden)", async (name, level, format) => {
    const r = runCli(["graph", `examples/${name}/plan.json`, "--level", level, "--format", format, "--tf-dir", `examples/${name}`]);
    expect(r.status).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`golden/${name}.${level}.${format === "dot" ? "dot" : "mmd"}`);
  });

  it("DOT quotes odd for_each keys so they read back unchanged", () => {
    const r = runCli(["graph", "examples/graph-count-foreach/plan.json", "--level", "instance", "--format", "dot"]);
    const nodes = parseDot(r.stdout).nodes;
    for (const a of ['terraform_data.b["with\\"quote"]', 'terraform_data.b["back\\\\slash"]', 'terraform_data.b["tmpl$${x}"]', 'terraform_data.b["[x]"]']) expect(nodes.has(a)).toBe(true);
  });

  it("JSON: from depends on to, with the reason; --tf-dir resolves locals", () => {
    const plain = json(["examples/graph-locals/plan.json"]);
    expect(plain.level).toBe("resource");
    expect(plain.edges).toContainEqual({ from: "terraform_data.from_chain", to: "terraform_data.source", via: { kind: "state", detail: "prior_state depends_on" } });
    const src = json(["examples/graph-locals/plan.json", "--tf-dir", "examples/graph-locals"]);
    expect(src.edges).toContainEqual({ from: "terraform_data.from_chain", to: "terraform_data.source", via: { kind: "reference", attribute: "input", detail: "local.c", owner: "local.a" } });
    expect(src.nodes.find((n) => n.address === "terraform_data.triggered")).toMatchObject({ location: { file: "examples/graph-locals/main.tf", line: 61 }, lifecycle: { replaceTriggeredBy: ["terraform_data.source.output"] } });
  });

  it("JSON instance level: deposed objects are nodes of their own", () => {
    const g = json(["examples/graph-deposed/plan.json", "--level", "instance"]);
    const deposed = g.nodes.filter((n) => n.deposed !== undefined);
    expect(deposed).toHaveLength(1);
    expect(deposed[0]!.address).toBe(`terraform_data.server (deposed object ${deposed[0]!.deposed})`);
    expect(g.edges.filter((e) => e.from === deposed[0]!.address).map((e) => e.to)).toEqual(["terraform_data.base"]);
  });

  it("reads standard input", () => {
    const input = readFileSync(path.join(EXAMPLES, "safe/plan.json"));
    const r = runCli(["graph", "-", "--format", "json"], { input });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as GraphJSON).nodes.length).toBe(6);
  });

  it("warns on stderr, for non-JSON formats, about references it could not follow", () => {
    const r = runCli(["graph", "examples/empty-state/plan.json", "--format", "dot"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning\[BG3101\]: \d+ reference\(s\) could not be followed/);
    expect(r.stderr).toMatch(/--tf-dir/);
  });

  it.each([
    [["graph", "examples/nope/plan.json"], /BG1000/],
    [["graph", "examples/safe/plan.json", "--tf-dir", "examples/nope"], /error\[BG3001\]: the tf dir examples\/nope does not exist/],
    [["graph", "examples/safe/plan.json", "--tf-dir", "examples/safe/main.tf"], /BG3001.*not a directory/],
    [["graph", "examples/safe/plan.json", "--level", "module"], /BG0001/],
    [["graph", "examples/safe/plan.json", "--format", "svg"], /BG0001/],
  ])("%j exits 2 with a clear message", (args, msg) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe("");
  });

  it("does not load hcl2json without --tf-dir", () => {
    const script = `import("${path.join(ROOT, "dist/graph/index.js")}").then(async (g) => { const { loadPlan } = await import("${path.join(ROOT, "dist/plan/read.js")}"); g.buildDependencyGraph(await loadPlan("examples/incident/plan.json")); console.log(typeof globalThis.__parse_terraform_config_wasm__); })`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout.trim()).toBe("undefined");
    expect(BIN).toBeTruthy();
  });
});
