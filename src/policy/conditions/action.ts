// `action`: the change's normalised kind (delete, replace-delete-first, ...) or a group of kinds (destructive, replace).

import { CHANGE_KINDS, destroysObject, isDestructive, isReplace, type ChangeKind } from "../../plan/actions.js";
import { asList } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

/** Groups a policy can name instead of listing kinds. */
export const ACTION_GROUPS: Readonly<Record<string, (k: ChangeKind) => boolean>> = {
  /** Anything that destroys an object or takes it out of management, plus unrecognised actions. */
  destructive: (k) => isDestructive(k) || k === "unknown",
  /** Destroys the object (delete or either replace order); forget keeps it running. */
  destroy: (k) => destroysObject(k),
  replace: (k) => isReplace(k),
  any: () => true,
};

function accepts(arg: string | string[], kind: ChangeKind): boolean {
  return asList(arg).some((a) => (ACTION_GROUPS[a] ? ACTION_GROUPS[a](kind) : a === kind));
}

export const ACTION_VALUES: readonly string[] = [...CHANGE_KINDS, ...Object.keys(ACTION_GROUPS)];

export default defineCondition<string | string[]>({
  id: "action",
  description: "the change's kind (delete, replace-delete-first, forget, ...) or a group (destructive, destroy, replace, any); default destructive",
  schema: stringOrList("an action kind or group", { type: "string", enum: ACTION_VALUES }),
  evaluate(arg, { change }) {
    return accepts(arg, change.kind);
  },
  kinds(arg) {
    return CHANGE_KINDS.filter((k) => accepts(arg, k));
  },
});
