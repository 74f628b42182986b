// The plan model: a slim, typed, immutable view of a plan that keeps what analysis needs and hides values.

import type { Diagnostic } from "../diagnostics/index.js";
import type { InstanceKey, ModuleStep } from "./address.js";
import type { ChangeKind } from "./actions.js";
import type { SensitiveValues } from "./values.js";
import type { Configuration } from "./configuration.js";

/** Where the plan came from. */
export interface PlanSource {
  kind: "file" | "stdin" | "binary";
  /** The path as the user gave it (never made absolute, so reports stay stable). */
  path?: string;
  /** Bytes of JSON read (after decoding). */
  bytes: number;
  /** The text encoding the JSON was read in (utf-8, utf-16le, utf-16be). */
  encoding: string;
  /** For binary plans: the program that converted it. */
  converter?: string;
}

/** One row of `resource_changes` (or `resource_drift`), slimmed. */
export interface ResourceChange {
  /** Instance address, exactly as in the plan (`module.a["k"].aws_x.y[0]`). */
  address: string;
  /** Config-level address without instance keys (`module.a.aws_x.y`), as `terraform graph` names nodes. */
  configAddress: string;
  /** Module instance path (`module.a["k"]`, empty at the root). */
  moduleAddress: string;
  module: readonly ModuleStep[];
  mode: "managed" | "data" | "ephemeral";
  type: string;
  name: string;
  index?: InstanceKey;
  /** Provider address as written in the plan (`registry.terraform.io/hashicorp/aws`, or `aws` in 0.12 plans). */
  provider: string;
  /** Deposed object key, when the row is about a deposed object. */
  deposed?: string;
  /** The raw `actions`, kept verbatim. */
  actions: readonly string[];
  /** One normalised kind. */
  kind: ChangeKind;
  actionReason?: string;
  /** Attribute paths that force replacement, each a list of steps (never values). */
  replacePaths: readonly (readonly (string | number)[])[];
  /** Set when the change imports an existing object. */
  importing: boolean;
  /** Set when the resource was moved from another address (a `moved` block). */
  previousAddress?: string;
  /** Attribute paths whose planned value is unknown until apply (from `after_unknown`), capped. */
  unknownAfter: readonly string[];
  /** Top-level attributes whose value changes (update/replace), capped; names only. */
  changedAttributes: readonly string[];
  /**
   * Before/after values with their sensitive masks. Kept only for destructive changes (delete, replace, forget):
   * reports never print values, policies read attributes through the SensitiveValues accessors.
   */
  values?: SensitiveValues;
  /** JSON pointer of the row in the plan (`/resource_changes/3`), for diagnostics. */
  pointer: string;
}

export interface OutputChange {
  name: string;
  actions: readonly string[];
  kind: ChangeKind;
  sensitive: boolean;
}

export interface DeferredChange {
  address: string;
  reason: string;
  actions: readonly string[];
}

export interface CheckResult {
  address: string;
  kind: string;
  status: string;
}

/** A resource as recorded in `prior_state` (no values). */
export interface PriorResource {
  address: string;
  configAddress: string;
  mode: string;
  type: string;
  /** Config-level addresses this resource depended on at the last apply or refresh. */
  dependsOn: readonly string[];
  tainted: boolean;
  deposedKey?: string;
}

export interface Variable {
  name: string;
  sensitive: boolean;
}

export type PlanTool = "terraform" | "opentofu" | "unknown";

export interface Plan {
  source: PlanSource;
  formatVersion: string;
  terraformVersion?: string;
  /** Which program wrote the plan, as far as the plan tells. */
  tool: PlanTool;
  timestamp?: string;
  /** Absent in plans older than Terraform 1.8 and in OpenTofu plans. */
  complete?: boolean;
  applyable?: boolean;
  errored?: boolean;
  changes: readonly ResourceChange[];
  drift: readonly ResourceChange[];
  outputs: readonly OutputChange[];
  deferred: readonly DeferredChange[];
  checks: readonly CheckResult[];
  variables: readonly Variable[];
  /** `prior_state` resources; undefined when the plan has no prior_state. */
  priorState?: readonly PriorResource[];
  /** The configuration section with values removed (references only); undefined when absent. */
  configuration?: Configuration;
  relevantAttributes: readonly { resource: string; attribute: readonly (string | number)[] }[];
  /** Notes and warnings found while reading (unknown minor version, unknown actions, ...). */
  notes: readonly Diagnostic[];
}
