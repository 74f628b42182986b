// Public library API: load a plan, get the model, build the report. Re-exports only.

export { loadPlan, type LoadOptions } from "./plan/read.js";
export { buildPlan } from "./plan/build.js";
export type { Plan, ResourceChange, PlanSource, OutputChange, PriorResource, Variable } from "./plan/model.js";
export { kindOf, isDestructive, isReplace, CHANGE_KINDS, type ChangeKind } from "./plan/actions.js";
export { parseAddress, formatAddress, configAddress, type ResourceAddress } from "./plan/address.js";
export { SensitiveValues, type AttributeRead } from "./plan/values.js";
export { destructiveChanges, type DestructiveChange } from "./analysis/destructive.js";
export { ACTION_REASONS, explainReason } from "./analysis/reasons.js";
export { buildReport, type Report, type Verdict } from "./report/document.js";
export { FORMATS, type FormatId } from "./report/formats/index.js";
export { BlastgateError, renderDiagnostic, type Diagnostic } from "./diagnostics/index.js";
export { buildDependencyGraph, loadTfSources, instanceNodeAddress, toGraphlib, GRAPH_FORMATS, type GraphFormatId } from "./graph/index.js";
export type { DependencyGraphs, Graph, GraphNode, GraphJSON, EdgeVia, EdgeKind, Lifecycle, SourceLocation, TfSources, Unresolved } from "./graph/index.js";
export { evaluatePolicies, exitCodeFor, verdictReasons, loadPolicies, loadPolicyContext, compilePolicies, PolicyLoadError, emptyContext } from "./policy/index.js";
export { fingerprint, createApproval, verifyApproval, parseCommitMessage, parseCommitMessages } from "./policy/index.js";
export type { PolicySet, PolicyContext, PolicyVerdict, RuleResult, RuleStatus, Rule, LimitResult, IntentDeclaration, ApprovalRecord, EvaluateInput, PolicyContextOptions } from "./policy/index.js";
export { analysePlan, type PipelineResult, type PipelineOptions } from "./pipeline.js";
export { analyse } from "./analysis/index.js";
export type { Analysis, DestructiveFinding, BlastRadiusEntry, RootCause, Finding, RiskAssessment, DataLossRisk, Impact, Severity } from "./analysis/types.js";
export { runFlow, type FlowOptions, type PlanResult } from "./cli/flow.js";
export { ciContext } from "./integrations/context.js";
