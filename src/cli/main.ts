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
    if (isBlastgateError(e)) {
      // A policy load error carries every problem found in one pass: show them all.
      const all = (e as { diagnostics?: readonly Diagnostic[] }).diagnostics;
      for (const d of all && all.length > 0 ? all : [e.diagnostic]) process.stderr.write(renderDiagnostic(d) + "\n");
    }
    else {
      const err = e instanceof Error ? e : new Error(String(e));
      process.stderr.write(
        renderDiagnostic({ code: "BG9000", severity: "error", message: `internal error: ${err.name}`, why: "blastgate hit a bug; the plan was not analysed, so the gate does not pass", fix: "run again with --debug and report the stack trace" }) + "\n",
      );
      if (debug && err.stack) process.stderr.write(err.stack + "\n");
    }
  }
  return code;
}
