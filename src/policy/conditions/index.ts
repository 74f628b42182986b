// The selector conditions, one per file, by id (sorted). A new condition is one file plus one line here.

import action from "./action.js";
import actionReason from "./action-reason.js";
import address from "./address.js";
import aiAssisted from "./ai-assisted.js";
import before from "./before.js";
import dataLoss from "./data-loss.js";
import environmentWide from "./environment-wide.js";
import preventDestroy from "./prevent-destroy.js";
import provider from "./provider.js";
import resourceType from "./resource-type.js";
import { keyOf, type Condition } from "./types.js";

export const CONDITIONS = {
  action,
  "action-reason": actionReason,
  address,
  "ai-assisted": aiAssisted,
  before,
  "data-loss": dataLoss,
  "environment-wide": environmentWide,
  "prevent-destroy": preventDestroy,
  provider,
  "resource-type": resourceType,
} as const satisfies Record<string, Condition>;

export type ConditionId = keyof typeof CONDITIONS;

/** Conditions by their policy-file key (`resource_type`). */
export const CONDITIONS_BY_KEY: ReadonlyMap<string, Condition> = new Map(Object.values(CONDITIONS).map((c: Condition) => [keyOf(c.id), c]));

export { keyOf, type Condition, type EvalContext, type Subject } from "./types.js";
