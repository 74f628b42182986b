// `max_score`: the highest allowed plan score (0..100, docs/score.md), checked when the rule matches any change.

import type { Limit } from "./types.js";

const limit: Limit = {
  id: "max-score",
  description: "the highest allowed plan score (0 to 100); checked when the selector matches at least one change",
  schema: { type: "number", minimum: 0, maximum: 100 },
  phrase: (v) => `plan score ${v}`,
  measure: ({ analysis }) => analysis.score,
  format: (n) => String(n),
};
export default limit;
