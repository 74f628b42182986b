// Data-loss risk of one destructive change, read from the prior object's attributes through the sensitive masks.

import { destroysObject } from "../plan/actions.js";
import type { ResourceChange } from "../plan/model.js";
import { isStateless, STATEFUL_TYPES, type ProtectionRule } from "./data-loss-table.js";
import type { RiskAssessment } from "./types.js";

function ruleMatches(rule: ProtectionRule, change: ResourceChange): boolean | undefined {
  const read = change.values?.before(rule.path);
  if (!read || read.state === "absent") return rule.equals === "unset" ? true : false;
  if (read.state !== "value") return undefined; // sensitive or unknown: cannot tell
  const v = read.value;
  if (rule.equals === "set") return v !== null && v !== "" && v !== false && !(Array.isArray(v) && v.length === 0);
  if (rule.equals === "unset") return v === null || v === "";
  return v === rule.equals;
}

/** Assesses how likely a destructive change is to lose data. Forget destroys nothing. */
export function assessRisk(change: ResourceChange): RiskAssessment {
  if (!destroysObject(change.kind) && change.kind !== "unknown") {
    return { dataLoss: "none", reasons: ["the object is not destroyed (it leaves Terraform's management)"] };
  }
  // Own keys only: a resource type named `constructor` or `__proto__` must not find an inherited member.
  const entry = Object.hasOwn(STATEFUL_TYPES, change.type) ? STATEFUL_TYPES[change.type] : undefined;
  if (!entry) {
    if (isStateless(change.type)) return { dataLoss: "none", reasons: [`${change.type} holds no data of its own`] };
    return { dataLoss: "unknown", reasons: [`${change.type} is not in blastgate's table of stateful types, so data loss cannot be ruled out`] };
  }
  const reasons: string[] = [];
  for (const rule of entry.rules) {
    const m = ruleMatches(rule, change);
    if (m === undefined) {
      reasons.push(`${rule.path.join(".")} is sensitive or unknown, so its protection cannot be checked`);
      continue;
    }
    if (m) return { dataLoss: rule.outcome, reasons: [rule.reason, ...reasons], category: entry.category };
  }
  reasons.unshift(
    entry.default === "certain"
      ? `a ${entry.category} (${change.type}): its data is destroyed with it`
      : `a ${entry.category} (${change.type}): no protection or final snapshot setting was found, so its data is likely lost`,
  );
  return { dataLoss: entry.default, reasons, category: entry.category };
}
