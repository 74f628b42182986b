// The `blastgate plan` wrapper's view of terraform's arguments: where the plan goes (-out), where terraform runs
// (-chdir), and whether exit 2 means "changes present" (-detailed-exitcode). Pure: the CLI spawns terraform.

/** Terraform parses flags with Go's `flag` package: `-name=value`, `-name value`, and the `--` spellings. */
function flagName(arg: string): string | undefined {
  const m = /^--?([A-Za-z][\w-]*)(=.*)?$/.exec(arg);
  return m ? m[1] : undefined;
}

function inlineValue(arg: string): string | undefined {
  const i = arg.indexOf("=");
  return i === -1 ? undefined : arg.slice(i + 1);
}

export interface PlanInvocation {
  /** Arguments for `terraform [-chdir=DIR] plan ...`, without -out (the wrapper adds it). */
  planArgs: string[];
  /** The plan file the user asked for with -out (kept after the run). */
  out?: string;
  /** -chdir given after `--` (a global option: it must come before `plan`). */
  chdir?: string;
  /** -detailed-exitcode: terraform exits 2 when the plan has changes, which is not a failure. */
  detailedExitcode: boolean;
}

export class TerraformArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerraformArgsError";
  }
}

/** Splits the arguments given after `--` into what the wrapper must know and what goes to `terraform plan`. */
export function parsePlanArgs(args: readonly string[]): PlanInvocation {
  const planArgs: string[] = [];
  let out: string | undefined;
  let chdir: string | undefined;
  let detailedExitcode = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = flagName(arg);
    if (name === "out" || name === "chdir") {
      let value = inlineValue(arg);
      if (value === undefined) {
        value = args[i + 1];
        if (value === undefined) throw new TerraformArgsError(`-${name} needs a value (e.g. -${name}=${name === "out" ? "tfplan" : "infra"})`);
        i++;
      }
      if (value === "") throw new TerraformArgsError(`-${name} needs a value`);
      if (name === "out") out = value;
      else chdir = value;
      continue;
    }
    if (name === "detailed-exitcode") {
      const v = inlineValue(arg);
      detailedExitcode = v === undefined || v === "true" || v === "1";
    }
    planArgs.push(arg);
  }
  return { planArgs, ...(out !== undefined ? { out } : {}), ...(chdir !== undefined ? { chdir } : {}), detailedExitcode };
}

/** The full argument list: `[-chdir=DIR] plan ARGS -out=FILE`. */
export function terraformPlanArgv(inv: PlanInvocation, chdir: string | undefined, outPath: string): string[] {
  return [...(chdir !== undefined ? [`-chdir=${chdir}`] : []), "plan", ...inv.planArgs, `-out=${outPath}`];
}

/** True when terraform's exit status means the plan was written. */
export function planSucceeded(status: number | null, detailedExitcode: boolean): boolean {
  return status === 0 || (detailedExitcode && status === 2);
}

/**
 * Terraform's error text for the diagnostic: ANSI colour and the box-drawing frame (`╷ │ ╵`) removed, the
 * "Error:" blocks kept (or the last lines when there are none), at most `maxLines`.
 */
export function terraformErrorSummary(stderr: string, maxLines = 12): string {
  const lines = stderr
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .split(/\r?\n/)
    .map((l) => l.replace(/^[╷│╵]\s?/, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trimEnd());
  const start = lines.findIndex((l) => /^Error: /.test(l));
  const nonEmpty = (start === -1 ? lines : lines.slice(start)).filter((l) => l.trim() !== "");
  return (start === -1 ? nonEmpty.slice(-maxLines) : nonEmpty.slice(0, maxLines)).join("\n");
}
