// `prevent_destroy`: whether the resource has `lifecycle { prevent_destroy = true }` (as far as the analysis knows).

import { addressMatch } from "../glob.js";
import { defineCondition } from "./types.js";

export default defineCondition<boolean>({
  id: "prevent-destroy",
  description: "true selects resources known to have lifecycle prevent_destroy = true; false selects the others",
  schema: { type: "boolean" },
  evaluate(arg, { change, finding }, { analysis }) {
    const known =
      finding?.preventDestroy === true ||
      analysis.findings.some((f) => f.id === "prevent-destroy" && f.addresses.some((a) => addressMatch(a, change.address)));
    return arg ? known : !known;
  },
});
