// `action_reason`: Terraform's reason for the action (`delete_because_no_resource_config`, ...); `none` for no reason.

import { asList, globMatch } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

export default defineCondition<string | string[]>({
  id: "action-reason",
  description: "Terraform's action_reason (globs allowed, e.g. delete_because_*); none matches a change without a reason",
  schema: stringOrList("an action_reason (or none)"),
  evaluate(arg, { change }) {
    const reason = change.actionReason ?? "none";
    return asList(arg).some((p) => globMatch(p, reason));
  },
});
