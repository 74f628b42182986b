// Shared runner for condition tables: each case is a change (plus analysis options), an argument and the expectation.

import { expect, it } from "vitest";
import type { ResourceChange } from "../../../src/plan/model.js";
import { CONDITIONS_BY_KEY, keyOf } from "../../../src/policy/conditions/index.js";
import type { PolicyContext } from "../../../src/policy/model.js";
import { analysisOf, context, NOW, planOf, type AnalysisOptions } from "../helpers.js";

export interface Case {
  name: string;
  arg: unknown;
  change: ResourceChange;
  analysis?: AnalysisOptions;
  context?: Partial<PolicyContext>;
  expected: boolean;
  /** Substring expected in a note. */
  note?: string;
}

export function runTable(id: string, cases: Case[]): void {
  const condition = CONDITIONS_BY_KEY.get(keyOf(id))!;
  it.each(cases)("$name", (c) => {
    expect(condition, `condition ${id} is registered`).toBeDefined();
    const plan = planOf([c.change]);
    const analysis = analysisOf(plan, c.analysis);
    const notes: string[] = [];
    const finding = analysis.destructive.find((f) => f.address === c.change.address);
    const got = condition.evaluate(c.arg, finding ? { change: c.change, finding } : { change: c.change }, {
      plan,
      analysis,
      context: context(c.context),
      now: NOW,
      note: (m) => notes.push(m),
    });
    expect(got).toBe(c.expected);
    if (c.note !== undefined) expect(notes.join("\n")).toContain(c.note);
  });
}
