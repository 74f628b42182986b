// The pure middle of the data flow for library users: plan model -> dependency graph -> analysis.

import { analyse } from "./analysis/index.js";
import type { Analysis } from "./analysis/types.js";
import { buildDependencyGraph } from "./graph/build.js";
import type { DependencyGraphs, TfSources } from "./graph/types.js";
import type { Plan } from "./plan/model.js";

export interface PipelineResult {
  graphs: DependencyGraphs;
  analysis: Analysis;
}

export interface PipelineOptions {
  /** `.tf` sources read with loadTfSources (locals, lifecycle). */
  sources?: TfSources;
  /** Most blast-radius entries listed per destructive change. */
  maxRadiusEntries?: number;
}

/** Builds the dependency graph of a loaded plan and analyses it. Pure. */
export function analysePlan(plan: Plan, opts: PipelineOptions = {}): PipelineResult {
  const graphs = buildDependencyGraph(plan, opts.sources ? { sources: opts.sources } : {});
  const analysis = analyse(plan, {
    graph: graphs.instance,
    unresolved: graphs.unresolved,
    preventDestroy: (addr) => graphs.lifecycle.get(addr)?.preventDestroy,
    ...(opts.maxRadiusEntries !== undefined ? { maxRadiusEntries: opts.maxRadiusEntries } : {}),
  });
  return { graphs, analysis };
}
