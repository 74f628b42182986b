// `max_destroyed_share`: the largest allowed share (0..1) of the environment's managed resources that matching
// changes delete or replace.

import { isReplace } from "../../plan/actions.js";
import type { Limit } from "./types.js";

const limit: Limit = {
  id: "max-destroyed-share",
  description: "the largest allowed share (0 to 1) of managed resources that matching changes delete or replace",
  schema: { type: "number", minimum: 0, maximum: 1 },
  phrase: (v) => `${v} of managed resources deleted or replaced`,
  measure: ({ counted, analysis }) => {
    const hit = new Set<string>();
    for (const { change } of counted) {
      // A deposed object is an extra object of the same resource, not another resource of the environment.
      if (change.mode === "managed" && change.deposed === undefined && (change.kind === "delete" || isReplace(change.kind))) hit.add(change.address);
    }
    if (hit.size === 0) return 0;
    return analysis.managedCount > 0 ? Math.min(1, hit.size / analysis.managedCount) : 1;
  },
  format: (n) => `${Math.round(n * 1000) / 10}%`,
};
export default limit;
