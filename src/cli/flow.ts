// The check flow shared by `check`, `plan` and the CI entry points: load -> sources -> graph -> analysis -> report.
// Each stage is a named function so tests can inject a failure into any one of them and see the gate fail closed.

import type { Analysis } from "../analysis/types.js";
import { analyse } from "../analysis/index.js";
import { buildDependencyGraph } from "../graph/build.js";
import { loadTfSources } from "../graph/sources.js";
import type { DependencyGraphs, TfSources } from "../graph/types.js";
import type { Plan } from "../plan/model.js";
import { loadPlan, type LoadOptions } from "../plan/read.js";
import { evaluatePolicies } from "../policy/evaluate.js";
import type { PolicySet, PolicyVerdict } from "../policy/model.js";
import { loadPolicies, loadPolicyContext, readCommitMessages, type CommitMessages } from "../policy/read.js";
import { baseVerdict, buildReport, type Report, type ReportPolicy, type Verdict } from "../report/document.js";
import { renderForOutput, type FormatId, type RenderOptions } from "../report/formats/index.js";
import type { ReportInput } from "../report/report-set.js";
import { VERSION } from "../version.js";

/** Policy options of a run (the `check` flags). */
export interface FlowPolicyOptions {
  /** Policy directories (`--policies`, repeatable); empty: ./policies when present, else the built-in set. */
  dirs: string[];
  /** `--follow-policy-symlinks`: follow symlinks that lead out of a policy directory (default: refuse, BG2004). */
  followPolicySymlinks?: boolean;
  /** `--fail-on warn` makes warnings fail the gate. */
  failOn: "fail" | "warn";
  /** `--allow-destroy GLOB` values. */
  allowDestroy: string[];
  allowDestroyFile?: string;
  approvalsDir?: string;
  gitRange?: string;
  aiAssisted?: boolean;
  /** Commit messages given directly (skips git). */
  commitMessages?: string[];
  /** Commit messages already being read by the `commits` stage (runFlow starts git before reading the plan). */
  commits?: Promise<CommitMessages>;
  cwd?: string;
  now: Date;
}

export interface FlowOptions {
  /** Plan inputs: paths or `-`. */
  plans: string[];
  load?: LoadOptions;
  /** Directory of the root module's `.tf` sources (locals, lifecycle, source locations). */
  tfDir?: string;
  /** Most blast-radius entries listed per change. */
  maxRadiusEntries?: number;
  /** Told the name of each stage as it starts (progress display). */
  onStage?: (stage: string) => void;
  /** Policy evaluation; the default (absent) evaluates ./policies or the built-in set with default options. */
  policy?: FlowPolicyOptions;
}

/** The result of policy evaluation for one plan, as the flow needs it. */
export interface PolicyOutcome {
  policy: ReportPolicy | null;
  /** Extra reasons the gate fails (policy rules that failed). */
  failReasons: string[];
  /** Warnings that do not fail the gate (shown with the verdict). */
  warnReasons?: string[];
}

export interface Stages {
  load(input: string, opts: LoadOptions): Promise<Plan>;
  sources(dir: string): Promise<TfSources>;
  graph(plan: Plan, sources: TfSources | undefined): DependencyGraphs;
  analyse(plan: Plan, graphs: DependencyGraphs): Analysis;
  policies(opts: FlowPolicyOptions): Promise<PolicySet>;
  /** Reads the commit messages whose trailers policies read (git log), unless the options give them. */
  commits(opts: FlowPolicyOptions): Promise<CommitMessages>;
  policy(plan: Plan, analysis: Analysis, policies: PolicySet, opts: FlowPolicyOptions): Promise<PolicyOutcome>;
  report(plan: Plan, analysis: Analysis, verdict: Verdict, policy: ReportPolicy | null): Report;
  /**
   * Renders a report in a format (the CLI's last stage before writing): one string, or pieces written in order
   * (made while they are written, for a large JSON report).
   */
  render(input: ReportInput, format: FormatId, options: RenderOptions): string | Iterable<string>;
}

export const STAGE_NAMES = ["load", "sources", "graph", "analyse", "policies", "commits", "policy", "report", "render"] as const satisfies readonly (keyof Stages)[];

export const DEFAULT_STAGES: Stages = {
  load: (input, opts) => loadPlan(input, opts),
  sources: (dir) => loadTfSources(dir),
  graph: (plan, sources) => buildDependencyGraph(plan, sources ? { sources } : {}),
  analyse: (plan, graphs) =>
    analyse(plan, {
      graph: graphs.instance,
      unresolved: graphs.unresolved,
      preventDestroy: (addr) => graphs.lifecycle.get(addr)?.preventDestroy,
    }),
  policies: (opts) =>
    loadPolicies(opts.dirs, { ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}), ...(opts.followPolicySymlinks === true ? { followSymlinks: true } : {}) }),
  commits: (opts) => readCommitMessages({ cwd: opts.cwd, range: opts.gitRange }),
  policy: async (plan, analysis, policies, opts) => {
    const context = await loadPolicyContext({
      plan,
      policies,
      allowDestroy: opts.allowDestroy,
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      ...(opts.allowDestroyFile !== undefined ? { allowDestroyFile: opts.allowDestroyFile } : {}),
      ...(opts.approvalsDir !== undefined ? { approvalsDir: opts.approvalsDir } : {}),
      ...(opts.gitRange !== undefined ? { gitRange: opts.gitRange } : {}),
      ...(opts.aiAssisted !== undefined ? { aiAssisted: opts.aiAssisted } : {}),
      ...(opts.commitMessages !== undefined ? { commitMessages: opts.commitMessages } : {}),
      ...(opts.commits !== undefined ? { commits: opts.commits } : {}),
    });
    const verdict = evaluatePolicies({ plan, analysis, policies, context, now: opts.now });
    return policyOutcome(verdict, opts.failOn);
  },
  report: (plan, analysis, verdict, policy) => buildReport(plan, analysis, VERSION, verdict, policy),
  render: (report, format, options) => renderForOutput(report, format, options),
};

/** Maps a policy verdict to the report's policy section and the reasons it fails the gate. */
export function policyOutcome(verdict: PolicyVerdict, failOn: "fail" | "warn"): PolicyOutcome {
  const policy: ReportPolicy = {
    status: verdict.status,
    results: verdict.results.map((r) => ({
      rule: r.rule,
      severity: r.severity,
      status: r.status,
      description: r.description,
      message: r.message,
      addresses: r.matched,
      limit: r.limit ? `${r.limit}: ${r.allowedText}` : null,
      measured: r.limit ? r.measuredText : null,
      notes: [...r.notes, ...r.waived.map((w) => `waived for ${w.address}: ${w.reason}`), ...(r.allowedByIntent.length ? [`inside the declared allow-destroy: ${r.allowedByIntent.join(", ")}`] : [])],
    })),
    allowed_by_intent: verdict.allowedByIntent,
    outside_intent: verdict.outsideIntent,
    fingerprint: verdict.fingerprint,
    notes: [...verdict.notes],
  };
  const failing = verdict.results.filter((r) => r.status === "fail" || (failOn === "warn" && r.status === "warn"));
  return { policy, failReasons: failing.map((r) => `policy rule "${r.rule}" ${r.status === "warn" ? "warns (--fail-on warn)" : "fails"}: ${r.message}`), warnReasons: verdict.results.filter((r) => r.status === "warn" && failOn !== "warn").map((r) => `warning from rule "${r.rule}": ${r.message}`) };
}

export interface PlanResult {
  plan: Plan;
  graphs: DependencyGraphs;
  analysis: Analysis;
  report: Report;
}

/** Runs the flow for every plan. Throws BlastgateError (exit 2) on any input problem; never returns a pass on error. */
export async function runFlow(opts: FlowOptions, stages: Stages = DEFAULT_STAGES): Promise<PlanResult[]> {
  const step = opts.onStage ?? (() => undefined);
  step("reading .tf sources");
  const sources = opts.tfDir !== undefined ? await stages.sources(opts.tfDir) : undefined;
  const policyOpts: FlowPolicyOptions = opts.policy ?? { dirs: [], failOn: "fail", allowDestroy: [], now: new Date() };
  step("reading policies");
  const policies = await stages.policies(policyOpts);
  // git runs in its own process while the plan is read, so its answer is ready when the policy stage asks. A
  // failure is kept for that stage to throw (handled here so it is never an unhandled rejection meanwhile).
  let withCommits = policyOpts;
  if (policyOpts.commitMessages === undefined && policyOpts.commits === undefined) {
    const commits = stages.commits(policyOpts);
    commits.catch(() => undefined);
    withCommits = { ...policyOpts, commits };
  }
  const out: PlanResult[] = [];
  for (const input of opts.plans) {
    step("reading plan");
    const plan = await stages.load(input, opts.load ?? {});
    step("building the dependency graph");
    const graphs = stages.graph(plan, sources);
    step("computing blast radius");
    const analysis = stages.analyse(plan, graphs);
    step("evaluating policies");
    const outcome = await stages.policy(plan, analysis, policies, withCommits);
    out.push({ plan, graphs, analysis, report: stages.report(plan, analysis, verdictOf(plan, outcome), outcome.policy) });
  }
  return out;
}

/** The gate's verdict for a plan: the plan's own reasons and the failing rules fail it; warnings are listed after. */
export function verdictOf(plan: Plan, outcome: PolicyOutcome): Verdict {
  const reasons = [...baseVerdict(plan).reasons, ...outcome.failReasons];
  return { status: reasons.length > 0 ? "fail" : "pass", reasons: [...reasons, ...(outcome.warnReasons ?? [])] };
}

/** 0 when every plan passes, else 1. */
export function exitCodeOf(results: readonly PlanResult[]): number {
  return results.every((r) => r.report.verdict.status === "pass") ? 0 : 1;
}
