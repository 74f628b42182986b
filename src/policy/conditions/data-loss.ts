// `data_loss`: the analysis's data-loss risk of a destructive change (certain, likely, avoidable, none, unknown).

import type { DataLossRisk } from "../../analysis/types.js";
import { isDestructive } from "../../plan/actions.js";
import { asList } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

export const DATA_LOSS_VALUES: readonly DataLossRisk[] = ["certain", "likely", "avoidable", "none", "unknown"];

export default defineCondition<string | string[]>({
  id: "data-loss",
  description: "data-loss risk of a destructive change: certain, likely, avoidable, none or unknown",
  schema: stringOrList("a data-loss risk", { type: "string", enum: DATA_LOSS_VALUES }),
  evaluate(arg, { change, finding }) {
    if (!isDestructive(change.kind) && change.kind !== "unknown") return false;
    // A destructive change the analysis did not assess is of unknown risk, never "none".
    const risk = finding?.risk.dataLoss ?? "unknown";
    return asList(arg).includes(risk);
  },
});
