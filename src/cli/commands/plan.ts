// `blastgate plan [options] -- [terraform plan arguments]`: runs the real `terraform plan -out=FILE` (or tofu),
// streams its output, then checks the plan it wrote exactly as `blastgate check` would. The plan file is kept
// where -out says (so `terraform apply FILE` applies what was checked), else written to a temp dir and removed.

import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { constants as osc, tmpdir } from "node:os";
import path from "node:path";
import type { Argv } from "yargs";
import { fail } from "../../diagnostics/index.js";
import { parsePlanArgs, planSucceeded, TerraformArgsError, terraformErrorSummary, terraformPlanArgv } from "../../integrations/terraform.js";
import { findConverter } from "../../plan/read.js";
import type { CommandContext } from "../context.js";
import { runGate, withCheckOptions, type GateArgs } from "./support/gate.js";

export interface PlanArgs extends GateArgs {
  chdir?: string;
  _: (string | number)[];
}

export function builder(y: Argv): Argv<PlanArgs> {
  return withCheckOptions(y)
    .option("chdir", { type: "string", describe: "run terraform in this directory (terraform's -chdir); also the default --tf-dir" })
    .example("$0 plan", "terraform plan, then the report; the plan is not kept")
    .example("$0 plan -- -var-file=prod.tfvars -out=tfplan", "pass arguments to terraform plan; keep the plan for `terraform apply tfplan`")
    .example("$0 plan --chdir infra --terraform-bin tofu", "run `tofu -chdir=infra plan`")
    .epilogue(
      "Everything after `--` goes to `terraform plan`. Exit codes: 0 the gate passes, 1 it fails, 2 terraform failed or blastgate could not analyse, 130 interrupted (Ctrl-C is passed to terraform, which stops cleanly).",
    ) as unknown as Argv<PlanArgs>;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type Sig = (typeof SIGNALS)[number];

/** The arguments after `blastgate plan` (yargs puts everything after `--` into `_`, after the command name). */
function terraformArgs(args: PlanArgs): string[] {
  return args._.slice(1).map(String);
}

/**
 * True when a report other than the terminal one goes to stdout (so terraform's own output must not): the formats
 * without a `--output NAME=FILE`, unless a bare `--output FILE` takes them (as `check` resolves them).
 */
function machineStdout(args: PlanArgs): boolean {
  const formats = [args.format ?? []].flat().map(String);
  const outputs = [args.output ?? []].flat().map(String);
  const named = new Set(outputs.filter((o) => /^[a-z][a-z0-9-]*=/.test(o)).map((o) => o.slice(0, o.indexOf("="))));
  if (outputs.some((o) => !/^[a-z][a-z0-9-]*=/.test(o))) return false;
  return formats.some((f) => f !== "terminal" && !named.has(f));
}

export async function run(args: PlanArgs, ctx: CommandContext): Promise<number> {
  let inv;
  try {
    inv = parsePlanArgs(terraformArgs(args));
  } catch (e) {
    if (e instanceof TerraformArgsError) {
      ctx.usageError(`terraform arguments: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const chdir = args.chdir ?? inv.chdir;
  const tfDir = chdir !== undefined ? path.resolve(chdir) : process.cwd();
  const bin = await findConverter(args["terraform-bin"] !== undefined ? { terraformBin: args["terraform-bin"] } : {});
  const tool = path.basename(bin);

  let tmp: string | undefined;
  let removeOnExit: (() => void) | undefined;
  const handlers = new Map<Sig, () => void>();
  try {
    let outArg: string;
    let outPath: string;
    if (inv.out !== undefined) {
      outArg = inv.out;
      outPath = path.resolve(tfDir, inv.out);
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), "blastgate-plan-"));
      tmp = dir;
      // Also on an abrupt exit (a closed stdout pipe, an uncaught error): never leave a plan file behind.
      removeOnExit = () => rmSync(dir, { recursive: true, force: true });
      process.once("exit", removeOnExit);
      outArg = outPath = path.join(dir, "tfplan");
    }
    const argv = terraformPlanArgv(inv, chdir, outArg);

    // Ctrl-C in a terminal reaches terraform directly (same foreground process group), so forwarding it too would
    // make terraform see two interrupts and stop without cleaning up. Without a terminal on stdin (CI, scripts,
    // `kill -INT`) terraform runs in its own process group and blastgate passes each signal on, once.
    const detached = process.stdin.isTTY !== true;
    let interrupted: Sig | undefined;
    const running: { child?: ReturnType<typeof spawn> } = {};
    for (const sig of SIGNALS) {
      const h = (): void => {
        interrupted ??= sig;
        if (sig !== "SIGINT" || detached) running.child?.kill(sig);
      };
      handlers.set(sig, h);
      process.on(sig, h);
    }
    const proc = spawn(bin, argv, {
      cwd: process.cwd(),
      stdio: ["inherit", machineStdout(args) ? "pipe" : "inherit", "pipe"],
      detached,
      shell: false,
    });
    running.child = proc;
    proc.stdout?.on("data", (d: Buffer) => process.stderr.write(d));
    let stderrTail = "";
    proc.stderr?.on("data", (d: Buffer) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d.toString("utf8")).slice(-64 * 1024);
    });
    const exit = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>((resolve) => {
      proc.on("error", (error: NodeJS.ErrnoException) => resolve({ status: null, signal: null, error }));
      proc.on("close", (status, signal) => resolve({ status, signal }));
    });
    if (exit.error) {
      throw fail("BG5200", `cannot run \`${bin}\`: ${exit.error.code === "ENOENT" ? "program not found" : exit.error.message}`, {
        fix: args["terraform-bin"] !== undefined ? "check the path given to `--terraform-bin`" : "install terraform or tofu, or pass its path with `--terraform-bin PATH`",
      });
    }
    if (interrupted !== undefined) {
      process.stderr.write(`blastgate: interrupted (${interrupted}); ${tool} stopped${tmp ? ", the temporary plan was removed" : ""}; nothing was checked\n`);
      return 128 + osc.signals[interrupted];
    }
    if (!planSucceeded(exit.status, inv.detailedExitcode)) {
      const said = terraformErrorSummary(stderrTail);
      throw fail("BG5201", `\`${tool} plan\` failed (${exit.signal ? `killed by ${exit.signal}` : `exit ${exit.status}`}); nothing was checked`, {
        why: said ? `${tool} said: ${said.split("\n").join("\n      ")}` : `${tool} printed no error`,
        fix: `fix what ${tool} reports above, then run \`blastgate plan\` again`,
      });
    }
    const label = inv.out ?? `${tool} plan`;
    const gateArgs: Record<string, unknown> = {};
    if (args["tf-dir"] === undefined) gateArgs["tf-dir"] = tfDir;
    const { code } = await runGate(args, relabel(ctx, outPath, label), [outPath], { load: { cwd: tfDir, terraformBin: bin }, args: gateArgs });
    if (interrupted !== undefined) return 128 + osc.signals[interrupted];
    return code;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    if (removeOnExit) process.off("exit", removeOnExit);
  }
}

/** Shows the plan as the user named it (-out), or as "terraform plan", instead of a temp path. */
function relabel(ctx: CommandContext, file: string, label: string): CommandContext {
  const load = ctx.stages.load;
  return {
    ...ctx,
    stages: {
      ...ctx.stages,
      load: async (input, opts) => {
        const plan = await load(input, opts);
        if (input !== file) return plan;
        return Object.freeze({ ...plan, source: Object.freeze({ ...plan.source, path: label }) });
      },
    },
  };
}
