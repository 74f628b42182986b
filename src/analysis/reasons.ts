// Terraform's `action_reason` values, each explained in plain English for reviewers.

import { SENSITIVE_STEP } from "../plan/build.js";

/** Every action_reason Terraform and OpenTofu write (shared/PLAN_FORMAT.md §2), with what it means. */
export const ACTION_REASONS: Readonly<Record<string, string>> = Object.freeze({
  replace_because_tainted: "the object is tainted (a create or provisioner failed, or `terraform taint` marked it), so Terraform replaces it",
  replace_because_cannot_update: "an attribute changed that the provider cannot update in place, so the object must be destroyed and created again",
  replace_by_request: "replacement was requested with `-replace=ADDRESS`",
  replace_by_triggers: "a `replace_triggered_by` reference in its lifecycle block changed",
  delete_because_no_resource_config: "its resource block is no longer in the configuration",
  delete_because_wrong_repetition: "the resource switched between count, for_each and neither, so this instance key no longer fits",
  delete_because_count_index: "its count index is no longer within the new count",
  delete_because_each_key: "its for_each key is no longer in the for_each collection",
  delete_because_no_module: "the module instance that contained it is no longer in the configuration",
  delete_because_no_move_target: "a `moved` block moved it to an address that has no configuration",
  delete_because_enabled_false: "its `lifecycle { enabled = false }` turned it off (OpenTofu)",
  read_because_config_unknown: "the data source's configuration has values unknown until apply, so it is read during apply",
  read_because_dependency_pending: "the data source depends on a resource with pending changes, so it is read during apply",
  read_because_check_nested: "the data source is nested in a check block and is always read during apply",
  forgot_because_lifecycle_destroy_in_state: "the state says `lifecycle { destroy = false }`, so the object leaves Terraform's management but keeps running (OpenTofu)",
  forgot_because_lifecycle_destroy_in_config: "its configuration says `lifecycle { destroy = false }`, so the object leaves management but keeps running (OpenTofu)",
});

/** Explains an action_reason; an unknown value is passed through with a note rather than dropped. */
export function explainReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  // Own keys only: an action_reason such as `constructor` must not find an inherited member.
  return (Object.hasOwn(ACTION_REASONS, reason) ? ACTION_REASONS[reason] : undefined) ?? `Terraform gave the reason "${reason}", which blastgate does not know yet`;
}

/**
 * Renders a replace path (`["tags","Name"]`) as `tags["Name"]`. The JSON loses whether a string step is an attribute
 * or a map key; a string after an index is taken as an attribute of that element, any other string after the
 * first step as a map key.
 */
export function renderPath(path: readonly (string | number)[]): string {
  let out = "";
  path.forEach((step, i) => {
    if (typeof step === "number") out += `[${step}]`;
    else if (i > 0 && step === SENSITIVE_STEP) out += "[(sensitive)]";
    else if (i === 0) out += step;
    else if (typeof path[i - 1] === "number") out += `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  });
  return out;
}
