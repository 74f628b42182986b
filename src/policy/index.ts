// The policy module's public surface: load policies and context at the edge, evaluate purely, fingerprint and approve.

export type {
  ApprovalCandidate,
  IntentDeclaration,
  LimitResult,
  PolicyContext,
  PolicyOrigin,
  PolicySet,
  PolicyVerdict,
  Rule,
  RuleResult,
  RuleSeverity,
  RuleStatus,
  WaivedAddress,
  Waiver,
} from "./model.js";
export { evaluatePolicies, exitCodeFor, verdictReasons, INTENT_RULE, type EvaluateInput } from "./evaluate.js";
export { compilePolicies, PolicyLoadError, type PolicySource } from "./compile.js";
export {
  loadPolicies,
  loadPolicyContext,
  readAllowDestroyFile,
  readCommitMessages,
  BUILTIN_POLICY_DIR,
  DEFAULT_ALLOW_DESTROY_FILE,
  type LoadPoliciesOptions,
  type PolicyContextOptions,
} from "./read.js";
export { fingerprint, shortFingerprint } from "./fingerprint.js";
export { createApproval, verifyApproval, approvalFileName, type ApprovalRecord, type ApprovalCheck } from "./approval.js";
export { readApprovals, writeApproval, DEFAULT_APPROVALS_DIR, APPROVAL_KEY_ENV } from "./store.js";
export { parseCommitMessage, parseCommitMessages, parseAllowDestroyFile, DEFAULT_AI_ASSISTANTS, type CommitContext } from "./context.js";
export { buildPolicySchema } from "./schema.js";
export { CONDITIONS } from "./conditions/index.js";
export { LIMITS } from "./limits/index.js";

import type { PolicyContext } from "./model.js";

/** A context with nothing declared, not AI-assisted and no approvals (library callers without git or files). */
export function emptyContext(): PolicyContext {
  return { intent: [], aiAssisted: false, aiEvidence: [], approvals: [], notes: [] };
}
