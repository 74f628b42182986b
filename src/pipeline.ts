// The pure middle of the data flow: plan model -> dependency graph -> analysis. I/O stays at the edges.

import { analyse } from "./analysis/index.js";
import type { Analysis } from "./analysis/types.js";
import type { Plan } from "./plan/model.js";

export interface PipelineResult {
  analysis: Analysis;
}

export interface PipelineOptions {
  /** Most blast-radius entries listed per destructive change. */
  maxRadiusEntries?: number;
}

/** Analyses a loaded plan. */
export function analysePlan(plan: Plan, opts: PipelineOptions = {}): PipelineResult {
  const analysis = analyse(plan, { ...(opts.maxRadiusEntries !== undefined ? { maxRadiusEntries: opts.maxRadiusEntries } : {}) });
  return { analysis };
}
