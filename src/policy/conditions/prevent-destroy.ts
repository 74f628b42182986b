// `prevent_destroy`: whether the resource has `lifecycle { prevent_destroy = true }` (as far as the analysis knows).

import type { Analysis } from "../../analysis/types.js";
import { addressSetMatcher } from "../glob.js";
import { defineCondition } from "./types.js";

/** Per analysis: the addresses of its prevent-destroy finding, as a matcher built once. */
const matchers = new WeakMap<Analysis, (address: string) => boolean>();

function inFinding(analysis: Analysis, address: string): boolean {
  let m = matchers.get(analysis);
  if (m === undefined) {
    m = addressSetMatcher(analysis.findings.filter((f) => f.id === "prevent-destroy").flatMap((f) => f.addresses));
    matchers.set(analysis, m);
  }
  return m(address);
}

export default defineCondition<boolean>({
  id: "prevent-destroy",
  description: "true selects resources known to have lifecycle prevent_destroy = true; false selects the others",
  schema: { type: "boolean" },
  evaluate(arg, { change, finding }, { analysis }) {
    const known = finding?.preventDestroy === true || inFinding(analysis, change.address);
    return arg ? known : !known;
  },
});
