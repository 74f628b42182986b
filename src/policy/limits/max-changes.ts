// `max_changes`: how many matching changes are allowed (0: none). The default when a rule names no limit.

import type { Limit } from "./types.js";

const limit: Limit = {
  id: "max-changes",
  description: "how many matching changes are allowed; a rule without limits means max_changes = 0",
  schema: { type: "integer", minimum: 0 },
  phrase: (v) => `${v} matching ${v === "1" ? "change" : "changes"}`,
  measure: ({ counted }) => counted.length,
  format: (n) => String(n),
};
export default limit;
