// `prevent_destroy`: whether the resource has `lifecycle { prevent_destroy = true }` (as far as the analysis knows).

import { defineCondition, inFinding } from "./types.js";

export default defineCondition<boolean>({
  id: "prevent-destroy",
  description: "true selects resources known to have lifecycle prevent_destroy = true; false selects the others",
  schema: { type: "boolean" },
  evaluate(arg, { change, finding }, { analysis }) {
    const known = finding?.preventDestroy === true || inFinding(analysis, "prevent-destroy", change.address);
    return arg ? known : !known;
  },
});
