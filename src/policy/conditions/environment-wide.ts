// `environment_wide`: whether the change is part of what the analysis calls an environment-wide destroy or recreation.

import { isDestructive } from "../../plan/actions.js";
import { addressMatch } from "../glob.js";
import { defineCondition } from "./types.js";

export default defineCondition<boolean>({
  id: "environment-wide",
  description: "true selects destructive changes that are part of an environment-wide destroy or recreation (the analysis's environment-wide finding)",
  schema: { type: "boolean" },
  evaluate(arg, { change }, { analysis }) {
    const hit =
      (isDestructive(change.kind) || change.kind === "unknown") &&
      analysis.findings.some(
        // A finding without addresses covers the whole plan.
        (f) => f.id === "environment-wide" && (f.addresses.length === 0 || f.addresses.some((a) => addressMatch(a, change.address))),
      );
    return arg ? hit : !hit;
  },
});
