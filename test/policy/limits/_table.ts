// Shared runner for limit tables: a plan, an analysis and a rule with one limit; expect the measure and the status.

import { expect, it } from "vitest";
import type { ResourceChange } from "../../../src/plan/model.js";
import { evaluatePolicies } from "../../../src/policy/evaluate.js";
import { analysisOf, context, NOW, planOf, policies, type AnalysisOptions } from "../helpers.js";

export interface LimitCase {
  name: string;
  changes: ResourceChange[];
  analysis?: AnalysisOptions;
  /** The limit's allowed maximum. */
  allowed: number;
  /** Extra `when` conditions, as YAML flow text (`{ resource_type: aws_db_* }`). */
  when?: string;
  measured: number;
  status: "pass" | "fail";
}

export function runLimitTable(key: string, cases: LimitCase[]): void {
  it.each(cases)("$name", async (c) => {
    const set = await policies({
      "p.yaml": `rules:\n  - name: r\n    severity: fail\n    description: d\n    when: ${c.when ?? "{}"}\n    limits: { ${key}: ${c.allowed} }\n`,
    });
    const plan = planOf(c.changes);
    const v = evaluatePolicies({ plan, analysis: analysisOf(plan, c.analysis), policies: set, context: context(), now: NOW });
    const r = v.results[0]!;
    expect(r.limit).toBe(key);
    expect(r.allowed).toBe(c.allowed);
    expect(r.measured).toBeCloseTo(c.measured, 6);
    expect(r.status).toBe(c.status);
  });
}
