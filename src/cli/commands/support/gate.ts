// The gate shared by `plan`, `ci` and `comment`: they run `check` itself on each plan (so policies, --fail-on and
// every other gate option behave exactly as in `blastgate check`) and capture the report documents it builds.

import type { Argv } from "yargs";
import type { LoadOptions } from "../../../plan/read.js";
import type { Report } from "../../../report/document.js";
import type { CommandContext } from "../../context.js";
import type { Stages } from "../../flow.js";
import * as check from "../check.js";

/** The gate's options as `check` defines them, plus whatever the calling command adds. */
export type GateArgs = check.CheckArgs & Record<string, unknown>;

/** Adds `check`'s options to another command's builder (the calling command names its own inputs and examples). */
export function withCheckOptions<T>(y: Argv<T>): Argv<T & GateArgs> {
  return check.checkOptions(y) as Argv<T & GateArgs>;
}

export interface GateRun {
  /** `check`'s exit code: 0 every plan passes, 1 one fails (2 is thrown as a BlastgateError by check). */
  code: number;
  /** One report per plan, in order. */
  reports: Report[];
}

export interface GateOptions {
  /** Load options added to every plan load (where terraform runs, which terraform). */
  load?: Partial<LoadOptions>;
  /** Extra arguments for `check` (e.g. a default --tf-dir). */
  args?: Record<string, unknown>;
  /** Sends check's report to this file instead of stdout. */
  output?: string;
}

/**
 * Runs `check` on the plans as `blastgate check PLAN... [options]` would (one report, one verdict for all of them),
 * and returns its exit code and the report document of each plan.
 */
export async function runGate(args: GateArgs, ctx: CommandContext, plans: readonly string[], opts: GateOptions = {}): Promise<GateRun> {
  const reports: Report[] = [];
  const base = ctx.stages;
  const stages: Stages = {
    ...base,
    load: opts.load ? (input, o) => base.load(input, { ...o, ...opts.load }) : base.load,
    report: (...a: Parameters<Stages["report"]>) => {
      const r = base.report(...a);
      reports.push(r);
      return r;
    },
  };
  const output = opts.output !== undefined ? { output: [opts.output] } : {};
  const code = await check.run({ ...args, ...opts.args, ...output, plans: [...plans], plan: undefined } as unknown as check.CheckArgs, { ...ctx, stages });
  return { code, reports };
}
