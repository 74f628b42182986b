// `environment_wide`: whether the change is part of what the analysis calls an environment-wide destroy or recreation.

import { isDestructive } from "../../plan/actions.js";
import { defineCondition, inFinding } from "./types.js";

export default defineCondition<boolean>({
  id: "environment-wide",
  description: "true selects destructive changes that are part of an environment-wide destroy or recreation (the analysis's environment-wide finding)",
  schema: { type: "boolean" },
  evaluate(arg, { change }, { analysis }) {
    // A finding without addresses covers the whole plan.
    const hit = (isDestructive(change.kind) || change.kind === "unknown") && inFinding(analysis, "environment-wide", change.address, true);
    return arg ? hit : !hit;
  },
});
