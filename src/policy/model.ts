// The policy model: rules read from HCL, YAML or JSON files (all normalised to one shape), the change's context, and
// the verdict evaluation produces. Types only.

/** A rule's severity: `fail` makes the gate fail, `warn` is reported (and fails only with `--fail-on warn`). */
export type RuleSeverity = "fail" | "warn";

/** Where a rule (or a setting) came from, for messages: the policy file and the line of the rule. */
export interface PolicyOrigin {
  file: string;
  /** JSON pointer of the rule in the normalised document (`/rules/2`). */
  pointer: string;
  line?: number;
  /** True for rules of the built-in default set. */
  builtin: boolean;
}

/** An exemption of a rule for named addresses, with a reason and an expiry date. */
export interface Waiver {
  /** Address globs (see docs/policy.md#address-globs). */
  addresses: readonly string[];
  reason: string;
  /** As written: `2025-06-30` (valid through that day, UTC) or an ISO date-time. */
  expires: string;
  /** The first instant at which the waiver no longer applies. */
  expiresAt: Date;
}

export interface Rule {
  /** Unique across the loaded policy set; shown in every result. */
  name: string;
  severity: RuleSeverity;
  /** Shown to the reviewer: why the rule exists and what to do. */
  description: string;
  /**
   * The selector: condition key (`resource_type`, `before`, ...) to its argument, every one of which must hold.
   * Without `action`, a rule selects destructive changes only (see docs/policy.md#selector).
   */
  when: Readonly<Record<string, unknown>>;
  /** Limit key (`max_changes`, ...) to its allowed maximum; empty means `max_changes: 0`. */
  limits: Readonly<Record<string, number>>;
  /** A violation passes (status `approved`) when a valid approval exists for this exact plan. */
  requireApproval: boolean;
  /** Whether destroys inside a declared allow-destroy are exempt (default: true, false with require_approval). */
  allowIntent: boolean;
  waivers: readonly Waiver[];
  origin: PolicyOrigin;
}

/** An allow-destroy declaration: address globs plus where they were declared. */
export interface IntentDeclaration {
  /** `.blastgate/allow-destroy`, `commit trailer Allow-Destroy (abc1234)`, `--allow-destroy`, `policies/x.yaml`. */
  source: string;
  patterns: readonly string[];
}

/** Everything the policy files say, merged over every directory given. */
export interface PolicySet {
  rules: readonly Rule[];
  /** `allow_destroy` keys found in policy files. */
  allowDestroy: readonly IntentDeclaration[];
  /** Extra names that mark a co-author as a coding assistant (added to the built-in list). */
  aiAssistants: readonly string[];
  /** The policy files read, in order (relative paths as given; built-in files as `builtin:<name>`). */
  files: readonly string[];
}

/** An approval record as found in the approvals directory (not yet verified). */
export interface ApprovalCandidate {
  /** Where it was read, for messages. */
  file: string;
  /** The parsed JSON, unverified; `undefined` when the file was not valid JSON. */
  record: unknown;
  /** Why it could not be read, when it could not. */
  problem?: string;
}

/** What is known about the change being planned, gathered at the edge (git, files, flags). */
export interface PolicyContext {
  intent: readonly IntentDeclaration[];
  /** Whether the commit(s) being planned are marked as AI-assisted. */
  aiAssisted: boolean;
  /** The trailer or co-author line that said so. */
  aiEvidence: readonly string[];
  /** Approval records for this plan's fingerprint (and any that claim to be), verified during evaluation. */
  approvals: readonly ApprovalCandidate[];
  /** Where approvals were looked for and what was found, shown on a rule that needs a sign-off and has none. */
  approvalNotes?: readonly string[];
  /** Key for HMAC-signed approval records; when set, unsigned records are rejected. */
  approvalKey?: string;
  /** Context notes to carry into the verdict (no commit message found, ...). */
  notes: readonly string[];
}

/** A rule's status: fail/warn when violated, waived when a waiver made the difference, approved by a sign-off. */
export type RuleStatus = "pass" | "warn" | "fail" | "waived" | "approved";

/** One limit of a rule: the allowed maximum and the measured value. */
export interface LimitResult {
  limit: string;
  allowed: number;
  measured: number;
  exceeded: boolean;
}

export interface WaivedAddress {
  address: string;
  reason: string;
  expires: string;
}

export interface RuleResult {
  rule: string;
  severity: RuleSeverity;
  status: RuleStatus;
  description: string;
  /** One sentence: what was found against what is allowed. */
  message: string;
  /** Addresses the rule counted (after waivers and declared intent), sorted. */
  matched: string[];
  /** Addresses a live waiver took out. */
  waived: WaivedAddress[];
  /** Addresses taken out because they are inside the declared allow-destroy. */
  allowedByIntent: string[];
  /** The first exceeded limit (else the first limit) and its measured value. */
  limit: string;
  allowed: number;
  measured: number;
  /** `allowed` and `measured` as reports show them (`50%`, `12`). */
  allowedText: string;
  measuredText: string;
  limits: LimitResult[];
  /** Expired waivers, rejected approvals, values that could not be compared, ... */
  notes: string[];
  source: { file: string; line?: number; builtin: boolean };
}

export interface PolicyVerdict {
  status: "pass" | "warn" | "fail";
  results: RuleResult[];
  /** Destroyed addresses inside a declared allow-destroy. */
  allowedByIntent: string[];
  /** Destroyed addresses outside it (empty when nothing was declared). */
  outsideIntent: string[];
  /** The plan's fingerprint (what an approval binds to). */
  fingerprint: string;
  /** Notes about the evaluation as a whole (AI-assisted evidence, intent sources, context problems). */
  notes: string[];
}
