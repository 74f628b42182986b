// The check flow shared by `check`, `plan` and the CI entry points: load -> sources -> graph -> analysis -> report.
// Each stage is a named function so tests can inject a failure into any one of them and see the gate fail closed.

import type { Analysis } from "../analysis/types.js";
import { analyse } from "../analysis/index.js";
import { buildDependencyGraph } from "../graph/build.js";
import { loadTfSources } from "../graph/sources.js";
import type { DependencyGraphs, TfSources } from "../graph/types.js";
import type { Plan } from "../plan/model.js";
import { loadPlan, type LoadOptions } from "../plan/read.js";
import { baseVerdict, buildReport, type Report, type ReportPolicy, type Verdict } from "../report/document.js";
import { FORMATS, type FormatId, type RenderOptions } from "../report/formats/index.js";
import { VERSION } from "../version.js";

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
}

/** The result of policy evaluation for one plan, as the flow needs it. */
export interface PolicyOutcome {
  policy: ReportPolicy | null;
  /** Extra reasons the gate fails (policy rules that failed). */
  failReasons: string[];
}

export interface Stages {
  load(input: string, opts: LoadOptions): Promise<Plan>;
  sources(dir: string): Promise<TfSources>;
  graph(plan: Plan, sources: TfSources | undefined): DependencyGraphs;
  analyse(plan: Plan, graphs: DependencyGraphs): Analysis;
  policy(plan: Plan, analysis: Analysis): Promise<PolicyOutcome>;
  report(plan: Plan, analysis: Analysis, verdict: Verdict, policy: ReportPolicy | null): Report;
  /** Renders a report in a format (the CLI's last stage before writing). */
  render(report: Report, format: FormatId, options: RenderOptions): string;
}

export const STAGE_NAMES = ["load", "sources", "graph", "analyse", "policy", "report", "render"] as const satisfies readonly (keyof Stages)[];

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
  policy: () => Promise.resolve({ policy: null, failReasons: [] }),
  report: (plan, analysis, verdict, policy) => buildReport(plan, analysis, VERSION, verdict, policy),
  render: (report, format, options) => FORMATS[format].render(report, options),
};

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
  const out: PlanResult[] = [];
  for (const input of opts.plans) {
    step("reading plan");
    const plan = await stages.load(input, opts.load ?? {});
    step("building the dependency graph");
    const graphs = stages.graph(plan, sources);
    step("computing blast radius");
    const analysis = stages.analyse(plan, graphs);
    step("evaluating policies");
    const { policy, failReasons } = await stages.policy(plan, analysis);
    const base = baseVerdict(plan);
    const reasons = [...base.reasons, ...failReasons];
    const verdict: Verdict = { status: reasons.length > 0 ? "fail" : "pass", reasons };
    out.push({ plan, graphs, analysis, report: stages.report(plan, analysis, verdict, policy) });
  }
  return out;
}

/** 0 when every plan passes, else 1. */
export function exitCodeOf(results: readonly PlanResult[]): number {
  return results.every((r) => r.report.verdict.status === "pass") ? 0 : 1;
}
