// Policy input at the edge: policy directories, the built-in default set, the allow-destroy file, commit messages
// from git and approval records. Everything that touches the file system or runs git for policies is here.

import { spawn } from "node:child_process";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { BlastgateError, fail, type Diagnostic } from "../diagnostics/index.js";
import { PACKAGE_ROOT } from "../package-root.js";
import type { Plan } from "../plan/model.js";
import { fromCache, readBuiltinCache } from "./builtin-cache.js";
import { compilePolicies, PolicyLoadError, type PolicySource } from "./compile.js";
import { declarations, parseAllowDestroyFile, parseCommitMessages } from "./context.js";
import { fingerprint } from "./fingerprint.js";
import type { IntentDeclaration, PolicyContext, PolicySet } from "./model.js";
import { formatOf, MAX_POLICY_BYTES } from "./parse.js";
import { APPROVAL_KEY_ENV, DEFAULT_APPROVALS_DIR, readApprovals } from "./store.js";

/** The built-in default set, shipped in the package (`policies/default/`). */
export const BUILTIN_POLICY_DIR = path.join(PACKAGE_ROOT, "policies", "default") + path.sep;
export const DEFAULT_POLICY_DIR = "policies";
export const DEFAULT_ALLOW_DESTROY_FILE = ".blastgate/allow-destroy";

export interface LoadPoliciesOptions {
  /** Where `./policies` is looked for (default: the process's working directory). */
  cwd?: string;
  /**
   * Follow a symlink in a policy directory whose real path is outside that directory (`--follow-policy-symlinks`).
   * Default false: such a link is refused with BG2004 (exit 2). Links that stay inside the directory always work.
   */
  followSymlinks?: boolean;
}

/** A policy file to read: its label (as given, for messages and `files`) and the path to read. */
interface PolicyFileRef {
  label: string;
  /** Absolute path; for a symlink checked to stay inside its directory, the real path that was checked. */
  abs: string;
}

/** Whether `target` is `root` or below it (both real, absolute paths). */
function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return !path.isAbsolute(rel) && rel !== ".." && !rel.startsWith(".." + path.sep);
}

function outsideLink(label: string, target: string, dir: string): Diagnostic {
  return {
    code: "BG2004",
    severity: "error",
    message: `policy file "${label}" is a symlink to "${target}", outside the policy directory "${dir}"`,
    location: { file: label },
    why: "a policy read from outside the reviewed directory could replace or weaken the gate's rules, so blastgate does not follow such a link unless asked",
    fix: "copy the file into the policy directory, point --policies at the file or its directory, or pass --follow-policy-symlinks to follow the link",
  };
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function readPolicyFile(file: string, label: string, builtin: boolean): Promise<PolicySource> {
  let buf: Buffer;
  try {
    const st = await stat(file);
    if (st.size > MAX_POLICY_BYTES) {
      throw fail("BG2003", `policy file is too large (${st.size} bytes, at most ${MAX_POLICY_BYTES})`, { location: { file: label }, fix: "split it into several files" });
    }
    buf = await readFile(file);
  } catch (e) {
    if (e instanceof Error && e.name === "BlastgateError") throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fail("BG2001", `cannot read the policy file (${code ?? "error"})`, { location: { file: label }, fix: "check the path and its permissions" });
  }
  return { file: label, text: buf.toString("utf8"), builtin };
}

/**
 * The policy files directly in a directory (not in subdirectories), sorted by name; a file path is taken as is (the
 * user named it). A symlink in the directory whose real path leaves the directory (measured from the directory's own
 * real path) is refused with BG2004, all of them in one error, unless `follow` is set.
 */
async function policyFiles(dir: string, cwd: string, follow: boolean): Promise<PolicyFileRef[]> {
  const abs = path.resolve(cwd, dir);
  let st;
  try {
    st = await stat(abs);
  } catch {
    throw fail("BG2001", `policy directory "${dir}" does not exist`, {
      location: { file: dir },
      why: "a gate pointed at a missing directory would enforce nothing",
      fix: "pass an existing directory to --policies (or leave it out to use ./policies or the built-in default set)",
    });
  }
  if (st.isFile()) {
    if (formatOf(dir) === undefined) throw fail("BG2001", `"${dir}" is not a policy file`, { location: { file: dir }, fix: "policy files end in .hcl, .yaml, .yml or .json" });
    return [{ label: dir, abs }];
  }
  const names = (await readdir(abs)).filter((n) => !n.startsWith(".") && formatOf(n) !== undefined).sort();
  if (names.length === 0) {
    throw fail("BG2002", `no policy files in "${dir}"`, {
      location: { file: dir },
      why: "a gate with no rules would pass every plan",
      fix: "add .hcl, .yaml or .json policy files (see docs/policy.md), or point --policies elsewhere",
    });
  }
  const root = await realpath(abs).catch(() => abs);
  const refs: PolicyFileRef[] = [];
  const outside: Diagnostic[] = [];
  for (const n of names) {
    const ref: PolicyFileRef = { label: path.join(dir, n), abs: path.join(abs, n) };
    if (!follow && (await lstat(ref.abs).catch(() => undefined))?.isSymbolicLink() === true) {
      // A dangling link has no real path: reading it fails with BG2001 below.
      const target = await realpath(ref.abs).catch(() => undefined);
      if (target !== undefined) {
        if (!isInside(root, target)) outside.push(outsideLink(ref.label, target, dir));
        // Read the real path that was checked, not the link again.
        else ref.abs = target;
      }
    }
    refs.push(ref);
  }
  if (outside.length === 1) throw new BlastgateError(outside[0]!);
  if (outside.length > 1) throw new PolicyLoadError(outside);
  return refs;
}

/** The name diagnostics give a built-in policy file. */
export const builtinLabel = (name: string): string => `builtin:default/${name}`;

/** The built-in policy files' names in BUILTIN_POLICY_DIR, in the order they are merged. */
export async function builtinPolicyNames(): Promise<string[]> {
  return (await readdir(BUILTIN_POLICY_DIR)).filter((n) => formatOf(n) !== undefined).sort();
}

async function builtinSources(): Promise<PolicySource[]> {
  const names = await builtinPolicyNames();
  const cache = await readBuiltinCache();
  return Promise.all(
    names.map(async (n) => {
      const src = await readPolicyFile(path.join(BUILTIN_POLICY_DIR, n), builtinLabel(n), true);
      const parsed = fromCache(cache, n, src.file, src.text);
      return parsed !== undefined ? { ...src, parsed } : src;
    }),
  );
}

/**
 * Loads and merges the policy files of the given directories (or single files). With none given: `./policies` when
 * present, else the built-in default set. Subdirectories are not read.
 * A symlink in a policy directory that leads out of it is refused (BG2004) unless `opts.followSymlinks`.
 * @throws BlastgateError (BG2001, BG2002, BG2003, BG2004) or PolicyLoadError (every problem, with file, line and fix): exit 2.
 */
export async function loadPolicies(dirs: readonly string[], opts: LoadPoliciesOptions = {}): Promise<PolicySet> {
  const cwd = opts.cwd ?? process.cwd();
  if (dirs.length === 0) {
    if (!(await isDir(path.join(cwd, DEFAULT_POLICY_DIR)))) return compilePolicies(await builtinSources());
    dirs = [DEFAULT_POLICY_DIR];
  }
  const files: PolicyFileRef[] = [];
  for (const d of dirs) for (const f of await policyFiles(d, cwd, opts.followSymlinks === true)) if (!files.some((x) => x.label === f.label)) files.push(f);
  const sources: PolicySource[] = [];
  for (const f of files) {
    const src = await readPolicyFile(f.abs, f.label, false);
    sources.push(src);
  }
  return compilePolicies(sources, builtinSources);
}

/** Reads an allow-destroy file (one glob per line, `#` comments); undefined when it does not exist. */
export async function readAllowDestroyFile(file: string, cwd: string = process.cwd()): Promise<IntentDeclaration | undefined> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fail("BG2301", `cannot read the allow-destroy file (${(e as NodeJS.ErrnoException).code ?? "error"})`, { location: { file }, fix: "check its permissions" });
  }
  return { source: file, patterns: parseAllowDestroyFile(text) };
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    let out = "";
    let child;
    try {
      child = spawn("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
    } catch {
      resolve({ code: -1, stdout: "" });
      return;
    }
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      if (out.length < 4 * 1024 * 1024) out += d;
    });
    child.on("error", () => resolve({ code: -1, stdout: "" }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout: out }));
  });
}

/** Commit messages read for their trailers, with a note when git could not give them. */
export interface CommitMessages {
  messages: readonly string[];
  note?: string;
}

/**
 * The commit messages of the change being planned: with `range` (`origin/main..HEAD`) every commit in it; otherwise
 * HEAD, and when HEAD is a merge (a CI checkout of a pull request) its second parent too, whose trailers the merge
 * message would hide. No git or no repository gives no messages and a note.
 */
export async function readCommitMessages(opts: { cwd?: string | undefined; range?: string | undefined } = {}): Promise<CommitMessages> {
  const cwd = opts.cwd ?? process.cwd();
  const SEP = "\u0000";
  if (opts.range !== undefined) {
    // %x00 is git's placeholder for a NUL byte (an argument cannot hold one).
    const r = await git(["log", "--format=%B%x00", opts.range, "--"], cwd);
    if (r.code !== 0) return { messages: [], note: `could not read the commits in ${opts.range} (git log failed): AI-assisted and Allow-Destroy trailers were not read` };
    return { messages: r.stdout.split(SEP).map((m) => m.trim()).filter((m) => m !== "") };
  }
  const head = await git(["log", "-1", "--format=%P%n%B", "HEAD", "--"], cwd);
  if (head.code !== 0) return { messages: [], note: "no git commit found: AI-assisted and Allow-Destroy trailers were not read" };
  const [parents = "", ...body] = head.stdout.split("\n");
  const messages = [body.join("\n").trim()];
  if (parents.trim().split(/\s+/).length > 1) {
    const second = await git(["log", "-1", "--format=%B", "HEAD^2", "--"], cwd);
    if (second.code === 0) messages.push(second.stdout.trim());
  }
  return { messages };
}

export interface PolicyContextOptions {
  plan: Plan;
  policies: PolicySet;
  cwd?: string;
  /** `--allow-destroy` values. */
  allowDestroy?: readonly string[];
  /** The allow-destroy file (default `.blastgate/allow-destroy`; missing is fine). */
  allowDestroyFile?: string;
  /** Where approval records are (default `.blastgate/approvals`). */
  approvalsDir?: string;
  /** HMAC key for signed approval records (default: the BLASTGATE_APPROVAL_KEY environment variable). */
  approvalKey?: string;
  /** Commit messages to read instead of asking git (tests, or a CI system that provides them). */
  commitMessages?: readonly string[];
  /** Commit messages already being read (as readCommitMessages gives them); read here when absent. */
  commits?: Promise<CommitMessages>;
  /** A git revision range whose commits all count (`origin/main..HEAD`); default HEAD (and HEAD^2 for a merge). */
  gitRange?: string;
  /** Overrides the AI-assisted detection (`--ai-assisted` / `--no-ai-assisted`). */
  aiAssisted?: boolean;
}

/** Gathers the change's context: declared intent (file, trailers, flag), AI-assisted marks and approval records. */
export async function loadPolicyContext(opts: PolicyContextOptions): Promise<PolicyContext> {
  const cwd = opts.cwd ?? process.cwd();
  const notes: string[] = [];
  let messages: readonly string[];
  if (opts.commitMessages !== undefined) messages = opts.commitMessages;
  else {
    const r = await (opts.commits ?? readCommitMessages({ cwd, range: opts.gitRange }));
    messages = r.messages;
    if (r.note !== undefined) notes.push(r.note);
  }
  const commit = parseCommitMessages(messages, { aiAssistants: opts.policies.aiAssistants });
  const file = await readAllowDestroyFile(opts.allowDestroyFile ?? DEFAULT_ALLOW_DESTROY_FILE, cwd);
  const intent = declarations(
    file,
    { source: "commit trailer Allow-Destroy", patterns: commit.allowDestroy },
    { source: "--allow-destroy", patterns: [...(opts.allowDestroy ?? [])] },
  );
  const approvals = await readApprovals(opts.approvalsDir ?? DEFAULT_APPROVALS_DIR, fingerprint(opts.plan), cwd);
  const aiAssisted = opts.aiAssisted ?? commit.aiAssisted;
  const aiEvidence = opts.aiAssisted !== undefined ? [`set by option (${opts.aiAssisted ? "--ai-assisted" : "--no-ai-assisted"})`] : commit.aiEvidence;
  const ctx: PolicyContext = { intent, aiAssisted, aiEvidence, approvals: approvals.candidates, approvalNotes: approvals.notes, notes };
  const key = opts.approvalKey ?? process.env[APPROVAL_KEY_ENV];
  if (key !== undefined && key !== "") ctx.approvalKey = key;
  return ctx;
}
