// A small stand-in for the GitHub Actions runner, enough to run blastgate's action.yml and the documented workflow:
// `${{ }}` expressions over inputs, github, secrets and step outputs; `if:` with always(), &&, == and !=; run
// steps with bash as the runner invokes it; $GITHUB_OUTPUT files parsed back. Unsupported syntax throws, so a doc
// that outgrows it fails the test instead of passing unchecked.

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { tempDir } from "./helpers.js";

export interface ExprContext {
  inputs: Record<string, string>;
  github: Record<string, string>;
  secrets: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome?: string }>;
}

function lookup(ref: string, ctx: ExprContext): string {
  const parts = ref.split(".");
  const [root, ...rest] = parts;
  if (root === "inputs" && rest.length === 1) return ctx.inputs[rest[0]!] ?? "";
  if (root === "github" && rest.length === 1) return ctx.github[rest[0]!] ?? "";
  if (root === "secrets" && rest.length === 1) return ctx.secrets[rest[0]!] ?? "";
  if (root === "steps" && rest.length === 3 && rest[1] === "outputs") return ctx.steps[rest[0]!]?.outputs[rest[2]!] ?? "";
  throw new Error(`actions-runner: unsupported expression reference ${ref}`);
}

function term(t: string, ctx: ExprContext): string | boolean {
  const s = t.trim();
  if (s === "always()") return true;
  if (s === "success()") return !Object.values(ctx.steps).some((x) => x.outcome === "failure");
  if (s === "failure()") return Object.values(ctx.steps).some((x) => x.outcome === "failure");
  if (/^'.*'$/.test(s)) return s.slice(1, -1);
  if (s === "true" || s === "false") return s === "true";
  if (/^[a-z_]+(\.[\w-]+)+$/.test(s)) return lookup(s, ctx);
  throw new Error(`actions-runner: unsupported expression ${s}`);
}

/** Evaluates an expression: terms joined by &&, each a value or `a == b` / `a != b`. */
export function evaluate(expr: string, ctx: ExprContext): string | boolean {
  const conj = expr.split("&&");
  if (conj.length > 1) return conj.every((c) => truthy(evaluate(c, ctx)));
  const m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(expr.trim());
  if (m) {
    const eq = String(term(m[1]!, ctx)) === String(term(m[3]!, ctx));
    return m[2] === "==" ? eq : !eq;
  }
  return term(expr, ctx);
}

function truthy(v: string | boolean): boolean {
  return typeof v === "boolean" ? v : v !== "" && v !== "false" && v !== "0";
}

/** Replaces every `${{ expr }}` in a string. */
export function substitute(text: string, ctx: ExprContext): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, e: string) => String(evaluate(e, ctx)));
}

/** An `if:` condition: implicit success() when it does not mention a status function. */
export function condition(cond: string | boolean | undefined, ctx: ExprContext): boolean {
  if (cond === undefined) return truthy(evaluate("success()", ctx));
  const text = String(cond).replace(/^\$\{\{\s*|\s*\}\}$/g, "");
  const hasStatus = /\b(always|success|failure|cancelled)\(\)/.test(text);
  return truthy(evaluate(text, ctx)) && (hasStatus || truthy(evaluate("success()", ctx)));
}

/** Parses a $GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` heredocs. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const h = /^([^=<]+)<<(.+)$/.exec(line);
    if (h) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== h[2]; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${h[1]}`);
      out[h[1]!] = value.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq === -1) throw new Error(`bad output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/**
 * Runs one `run:` step as the runner does: bash --noprofile --norc -eo pipefail on a script file. Asynchronous, so a
 * test's in-process HTTP server can answer the step.
 */
export async function runStep(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  const dir = tempDir("bg-step-");
  const file = path.join(dir, "step.sh");
  const outFile = path.join(dir, "output");
  writeFileSync(file, script);
  writeFileSync(outFile, "");
  mkdirSync(opts.cwd, { recursive: true });
  const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd: opts.cwd, env: { ...opts.env, GITHUB_OUTPUT: outFile }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stdout, stderr, outputs: parseOutputFile(readFileSync(outFile, "utf8")) };
}

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; shell?: string; run?: string; env?: Record<string, string>; "working-directory"?: string }[] };
}

export function readAction(file: string): ActionYml {
  return parse(readFileSync(file, "utf8")) as ActionYml;
}

/** Runs a composite action: inputs with their defaults, each step in order, then the action's outputs. */
export async function runAction(actionDir: string, given: Record<string, string | boolean | number>, opts: { workspace: string; env: NodeJS.ProcessEnv; github: Record<string, string> }): Promise<RunResult & { steps: RunResult[] }> {
  const action = readAction(path.join(actionDir, "action.yml"));
  if (action.runs.using !== "composite") throw new Error("not a composite action");
  const ctx: ExprContext = { inputs: {}, github: { ...opts.github, action_path: actionDir }, secrets: {}, steps: {} };
  for (const [name, spec] of Object.entries(action.inputs)) {
    const v = given[name];
    if (v === undefined && spec.required) throw new Error(`input ${name} is required`);
    ctx.inputs[name] = v !== undefined ? String(v) : substitute(spec.default ?? "", ctx);
  }
  for (const name of Object.keys(given)) if (!(name in action.inputs)) throw new Error(`unexpected input ${name}`);
  const results: RunResult[] = [];
  let last: RunResult = { status: 0, stdout: "", stderr: "", outputs: {} };
  for (const step of action.runs.steps) {
    if (!step.run) throw new Error("only run steps are supported");
    if (step.shell !== "bash") throw new Error("only bash steps are supported");
    const env: NodeJS.ProcessEnv = { ...opts.env, GITHUB_ACTION_PATH: actionDir };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(String(v), ctx);
    const cwd = path.resolve(opts.workspace, substitute(step["working-directory"] ?? ".", ctx));
    last = await runStep(substitute(step.run, ctx), { cwd, env });
    results.push(last);
    if (step.id) ctx.steps[step.id] = { outputs: last.outputs, outcome: last.status === 0 ? "success" : "failure" };
    if (last.status !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs)) outputs[name] = substitute(spec.value, ctx);
  return { status: last.status, stdout: results.map((r) => r.stdout).join(""), stderr: results.map((r) => r.stderr).join(""), outputs, steps: results };
}
