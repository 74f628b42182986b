// Runs the real terraform over a generated configuration: init, apply, plan, show -json, graph.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ENV: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
for (const k of Object.keys(ENV)) if (k.startsWith("TF_VAR_") || k.startsWith("TF_CLI_ARGS") || k === "TF_DATA_DIR" || k === "TF_WORKSPACE") delete ENV[k];

export function writeConfig(files: Map<string, string>, prefix = "blastgate-graph-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [rel, text] of files) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

function tf(dir: string, args: string[]): string {
  const r = spawnSync("terraform", args, { cwd: dir, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${dir}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Applies the configuration, plans again (no changes, so prior_state depends_on is current), and returns the oracle. */
export function runTerraform(dir: string): { planJson: string; graphDot: string } {
  tf(dir, ["init", "-input=false", "-no-color"]);
  tf(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  tf(dir, ["plan", "-out=tfplan", "-input=false", "-no-color"]);
  const planJson = tf(dir, ["show", "-json", "tfplan"]);
  writeFileSync(path.join(dir, "plan.json"), planJson);
  const graphDot = tf(dir, ["graph"]);
  writeFileSync(path.join(dir, "graph.dot"), graphDot);
  return { planJson, graphDot };
}
