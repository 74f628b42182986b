// What a limit is: an id (the file name), the JSON Schema of its maximum, and a measure over the counted changes.

import type { Analysis } from "../../analysis/types.js";
import type { Plan } from "../../plan/model.js";
import type { JsonSchema, Subject } from "../conditions/types.js";

/** What a limit measures: the changes a rule counted (after waivers and declared intent) within the plan. */
export interface LimitInput {
  counted: readonly Subject[];
  plan: Plan;
  analysis: Analysis;
}

/** A limit. The key in policy files is the id with `-` replaced by `_` (`max-blast-radius` → `max_blast_radius`). */
export interface Limit {
  /** kebab-case, equal to the file name and to the doc heading in docs/policy/conditions.md. */
  id: string;
  description: string;
  schema: JsonSchema;
  measure(input: LimitInput): number;
  /** Renders a measured or allowed value for messages (`12`, `40%`). */
  format(value: number): string;
  /** Names a formatted measured value in a message: `30 matching changes`, `plan score 95`. */
  phrase(value: string): string;
}
