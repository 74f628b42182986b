// Helpers for the integration tests: temp dirs, examples copied and applied with the real terraform, a shim that
// puts the built CLI on PATH as `blastgate`, and running shell snippets taken from the shipped YAML and docs.

import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BIN, EXAMPLES } from "../helpers/paths.js";

/** Terraform offline and quiet, the same everywhere; nothing from the developer's own terraform setup. */
export const TF_ENV: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", NO_COLOR: "1" };
for (const k of Object.keys(TF_ENV)) if (k.startsWith("TF_VAR_") || k === "TF_CLI_ARGS" || k.startsWith("TF_CLI_ARGS_") || k === "TF_WORKSPACE" || k === "TF_DATA_DIR") delete TF_ENV[k];
// The CI environment of whoever runs the tests must not leak into the CI-environment tests.
for (const k of Object.keys(TF_ENV)) if (/^(GITHUB_|GITLAB_|CI_|RUNNER_)/.test(k) || k === "CI" || k === "ATLANTIS_TERRAFORM_VERSION") delete TF_ENV[k];

export function tempDir(prefix = "bg-int-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

function tf(args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync("terraform", args, { cwd, env: TF_ENV, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Copies examples/NAME into a fresh dir (no generated files), runs init, and applies the prior state with before.tfvars. */
export function exampleWorkdir(name: string, opts: { apply?: string } = { apply: "before.tfvars" }): string {
  const dir = tempDir(`bg-${name}-`);
  cpSync(path.join(EXAMPLES, name), dir, { recursive: true, filter: (src) => !/(\.terraform|terraform\.tfstate|tfplan|plan\.json|plan\.txt|graph\.dot)$/.test(src) });
  tf(["init", "-input=false", "-no-color"], dir);
  if (opts.apply) tf(["apply", "-input=false", "-auto-approve", "-no-color", `-var-file=${opts.apply}`], dir);
  return dir;
}

export { tf };

/** A directory holding a `blastgate` executable that runs the built CLI (what `npm install -g` would give). */
export function blastgateShim(): string {
  const dir = tempDir("bg-bin-");
  const shim = path.join(dir, "blastgate");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell snippet (a `script:` line, an Atlantis `run:` step) with sh -c, as those tools do. */
export function runShell(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv; shell?: string }): ShellResult {
  const r = spawnSync(opts.shell ?? "sh", ["-c", script], { cwd: opts.cwd, env: opts.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI without blocking the event loop (needed while a test HTTP server answers in-process). */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env ?? TF_ENV, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** Files left in a directory (to prove no temporary plan stayed behind). */
export function leftovers(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return readdirSync(dir);
}

/** Extracts the fenced code blocks of a Markdown document, with their info strings. */
export function codeBlocks(markdown: string): { info: string; code: string }[] {
  const out: { info: string; code: string }[] = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (const m of markdown.matchAll(re)) out.push({ info: m[1]!.trim(), code: m[2]! });
  return out;
}
