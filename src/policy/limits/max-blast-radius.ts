// `max_blast_radius`: the largest allowed blast radius (resources that depend on a matching destructive change).

import type { DestructiveFinding } from "../../analysis/types.js";
import type { Limit } from "./types.js";

/** Every resource that transitively depends on the change; falls back to the listed entries. */
export function radiusOf(f: DestructiveFinding): number {
  const total = (f as { radiusTotal?: unknown }).radiusTotal;
  return typeof total === "number" ? total : f.blastRadius.length;
}

const limit: Limit = {
  id: "max-blast-radius",
  description: "the largest allowed blast radius of any matching change (resources that depend on it, transitively)",
  schema: { type: "integer", minimum: 0 },
  phrase: (v) => `largest blast radius ${v}`,
  measure: ({ counted }) => counted.reduce((m, s) => Math.max(m, s.finding ? radiusOf(s.finding) : 0), 0),
  format: (n) => String(n),
};
export default limit;
