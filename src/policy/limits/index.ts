// The limits, one per file, by id (sorted). A new limit is one file plus one line here.

import maxBlastRadius from "./max-blast-radius.js";
import maxChanges from "./max-changes.js";
import maxDestroyedShare from "./max-destroyed-share.js";
import maxScore from "./max-score.js";
import { keyOf } from "../conditions/types.js";
import type { Limit } from "./types.js";

export const LIMITS = {
  "max-blast-radius": maxBlastRadius,
  "max-changes": maxChanges,
  "max-destroyed-share": maxDestroyedShare,
  "max-score": maxScore,
} as const satisfies Record<string, Limit>;

export type LimitId = keyof typeof LIMITS;

/** Limits by their policy-file key (`max_blast_radius`). */
export const LIMITS_BY_KEY: ReadonlyMap<string, Limit> = new Map(Object.values(LIMITS).map((l: Limit) => [keyOf(l.id), l]));

export type { Limit, LimitInput } from "./types.js";
