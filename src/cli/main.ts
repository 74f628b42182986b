// The CLI edge: parses arguments, runs a command, renders errors, and returns the exit code (never exits 0 on error).

import yargs from "yargs";
import { fail, isBlastgateError, renderDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { VERSION } from "../version.js";
import * as approve from "./commands/approve.js";
import * as check from "./commands/check.js";
import * as ci from "./commands/ci.js";
import * as comment from "./commands/comment.js";
import * as fingerprint from "./commands/fingerprint.js";
import * as graph from "./commands/graph.js";
import * as plan from "./commands/plan.js";
import type { CommandContext } from "./context.js";
import { createProgress } from "./progress.js";
import { DEFAULT_STAGES, type Stages } from "./flow.js";

/** Exit codes: 0 the gate passed, 1 the gate failed, 2 blastgate could not analyse (bad input, bad usage, error). */
export const EXIT = { pass: 0, fail: 1, error: 2 } as const;

export interface MainOverrides {
  /** Replace flow stages (fault injection in tests). */
  stages?: Partial<Stages>;
}

export async function main(argv: string[], overrides: MainOverrides = {}): Promise<number> {
  let code: number = EXIT.error;
  let handled = false;
  const debug = argv.includes("--debug");
  const ctx: CommandContext = {
    stages: { ...DEFAULT_STAGES, ...overrides.stages },
    stdinIsTTY: process.stdin.isTTY === true,
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    width: process.stdout.columns ?? 100,
    debug,
    progress: () => createProgress(process.stderr, process.env),
    usageError: (m) => process.stderr.write(renderDiagnostic({ code: "BG0001", severity: "error", message: m, fix: "see `blastgate --help`" }) + "\n"),
  };
  const wrap =
    <A>(fn: (a: A, c: CommandContext) => Promise<number>) =>
    async (a: A): Promise<void> => {
      handled = true;
      code = await fn(a, ctx);
    };
  try {
    await yargs(argv)
      .scriptName("blastgate")
      .usage("$0 <command> [options]\n\nStops destructive Terraform/OpenTofu plans before apply.")
      .command("check [plans..]", "report what a plan destroys and whether the gate passes", check.builder, wrap(check.run))
      .command("fingerprint [plan]", "print the plan's fingerprint: the digest a sign-off binds to", fingerprint.builder, wrap(fingerprint.run))
      .command("approve [plan]", "sign off on this exact plan: write an approval record named by its fingerprint", approve.builder, wrap(approve.run))
      .command("graph [plan]", "print the plan's dependency graph (json, dot or mermaid), from depends on to", graph.builder, wrap(graph.run))
      .command("plan", "run terraform plan, then check the plan it wrote (terraform arguments after --)", plan.builder, wrap(plan.run))
      .command("ci <provider> [plans..]", "the gate as a CI step: GitHub Actions, GitLab CI or Atlantis conventions", ci.builder, wrap(ci.run))
      .command("comment [plans..]", "post the report on a pull/merge request, updating the previous one", comment.builder, wrap(comment.run))
      .option("debug", { type: "boolean", describe: "print stack traces of internal errors" })
      .demandCommand(1, "name a command, e.g. `blastgate check plan.json`")
      .strict()
      .version(VERSION)
      .help()
      .epilogue("Exit codes: 0 pass, 1 the gate failed, 2 could not analyse (bad input or usage).")
      .wrap(Math.min(110, ctx.width))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        throw fail("BG0001", msg ?? "invalid usage", { fix: "see `blastgate --help`" });
      })
      .parseAsync();
    if (!handled) code = EXIT.pass; // --help or --version
  } catch (e) {
    code = EXIT.error;
    reportThrown(e, debug);
  }
  return code;
}

const BG9000 = {
  code: "BG9000",
  severity: "error",
  why: "blastgate hit a bug; the plan was not analysed, so the gate does not pass",
  fix: "run again with --debug and report the stack trace",
} as const;

/** Writes to stderr; a stderr that cannot be written to must not turn an error into a crash. */
function writeErr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // Nothing left to tell: the exit code still says 2.
  }
}

/** A short, printable name: control characters dropped and the length bounded (the name comes from the thrown value). */
function printableName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").slice(0, 80);
  return clean === "" ? undefined : clean;
}

/**
 * What an unexpected thrown value is, for BG9000: the class name of an Error, else its kind. The value may be hostile
 * (no prototype, throwing getters, a Proxy, a Symbol), so nothing here converts it to text or reads it outside a try.
 */
function describeThrown(e: unknown): { what: string; stack?: string } {
  let isError = false;
  try {
    isError = e instanceof Error;
  } catch {
    // A Proxy whose getPrototypeOf trap throws.
  }
  if (isError) {
    let name: string | undefined;
    let stack: string | undefined;
    try {
      name = printableName((e as Error).name);
    } catch {
      // A throwing name getter.
    }
    try {
      const s: unknown = (e as Error).stack;
      if (typeof s === "string") stack = s;
    } catch {
      // A throwing stack getter.
    }
    return { what: name ?? "Error", ...(stack !== undefined ? { stack } : {}) };
  }
  let kind: string;
  try {
    kind = e === null ? "null" : typeof e;
    if (kind === "object" && Object.getPrototypeOf(e) === null) kind = "object without a prototype";
  } catch {
    kind = "object";
  }
  return { what: `a thrown ${kind} (not an Error)` };
}

/** Renders anything a command threw as diagnostics on stderr: BlastgateErrors as they are, everything else as BG9000. */
function reportThrown(e: unknown, debug: boolean): void {
  try {
    if (isBlastgateError(e)) {
      // A policy load error carries every problem found in one pass: show them all.
      const all = (e as { diagnostics?: readonly Diagnostic[] }).diagnostics;
      const text = (all && all.length > 0 ? all : [e.diagnostic]).map((d) => renderDiagnostic(d) + "\n").join("");
      writeErr(text);
      return;
    }
  } catch {
    // A BlastgateError that cannot be rendered is a bug like any other: fall through to BG9000.
  }
  let what = "an unknown value";
  let stack: string | undefined;
  try {
    ({ what, stack } = describeThrown(e));
  } catch {
    // describeThrown does not throw; this is the last line of defence.
  }
  writeErr(renderDiagnostic({ ...BG9000, message: `internal error: ${what}` }) + "\n");
  if (debug) writeErr(stack !== undefined ? stack + "\n" : "(no stack trace: the thrown value is not an Error)\n");
}
