// `environment_wide`: whether the change is part of what the analysis calls an environment-wide destroy or recreation.

import type { Analysis } from "../../analysis/types.js";
import { isDestructive } from "../../plan/actions.js";
import { addressSetMatcher } from "../glob.js";
import { defineCondition } from "./types.js";

/** Per analysis: whether an address is in the environment-wide finding (built once; the finding can list thousands). */
const matchers = new WeakMap<Analysis, (address: string) => boolean>();

function inFinding(analysis: Analysis, address: string): boolean {
  let m = matchers.get(analysis);
  if (m === undefined) {
    const findings = analysis.findings.filter((f) => f.id === "environment-wide");
    // A finding without addresses covers the whole plan.
    const whole = findings.some((f) => f.addresses.length === 0);
    const set = addressSetMatcher(findings.flatMap((f) => f.addresses));
    m = whole ? () => true : set;
    matchers.set(analysis, m);
  }
  return m(address);
}

export default defineCondition<boolean>({
  id: "environment-wide",
  description: "true selects destructive changes that are part of an environment-wide destroy or recreation (the analysis's environment-wide finding)",
  schema: { type: "boolean" },
  evaluate(arg, { change }, { analysis }) {
    const hit = (isDestructive(change.kind) || change.kind === "unknown") && inFinding(analysis, change.address);
    return arg ? hit : !hit;
  },
});
