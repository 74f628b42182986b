// The analysis result: what the plan destroys, what goes down with it, why, and how bad it is.
// Produced by analyse() in analysis/index.ts; read by policy/ and report/.

import type { ChangeKind } from "../plan/actions.js";
import type { ResourceChange } from "../plan/model.js";

/** How sure a destroy is to lose data: certain (stateful, nothing saves it), avoidable (a snapshot/backup setting
 * or protection is on), none (stateless type), unknown (type not in the table: never "safe"). */
export type DataLossRisk = "certain" | "likely" | "avoidable" | "none" | "unknown";

export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** How a dependent of a destroyed resource is affected, from the plan itself (most severe first). */
export type Impact =
  | "replaced" // replaced too: a cascade
  | "deleted" // deleted in the same plan
  | "unknown-after" // an attribute becomes unknown because of the change: likely cascade at apply time
  | "updated" // updated in place
  | "reads" // a data source re-read
  | "dangling" // untouched, left pointing at something that will no longer exist
  | "none";

export interface RiskAssessment {
  dataLoss: DataLossRisk;
  /** Why, naming the attribute read (`skip_final_snapshot = true`), never a sensitive value. */
  reasons: string[];
  /** The table entry that matched (`aws_db_instance`), if any. */
  category?: string;
}

export interface BlastRadiusEntry {
  /** Instance address of the dependent. */
  address: string;
  depth: number;
  /** [destroyed change address, ..., this address]. */
  path: string[];
  /** Why each hop exists (path.length - 1 entries): `reference: environment`, `depends_on`, `module_input: vpc_id`. */
  via: string[];
  /** The dependent's own planned action kind (no-op when untouched). */
  action: ChangeKind;
  impact: Impact;
}

export interface DestructiveFinding {
  address: string;
  type: string;
  provider: string;
  kind: ChangeKind;
  actions: readonly string[];
  deposed?: string;
  actionReason?: string;
  explanation: string;
  replacePaths: string[];
  risk: RiskAssessment;
  /** `lifecycle { prevent_destroy = true }` from --tf-dir sources; undefined when unknown. */
  preventDestroy?: boolean;
  /** Dependents listed (capped), most affected first. */
  blastRadius: BlastRadiusEntry[];
  /** Every resource that transitively depends on this one. */
  radiusTotal: number;
  /** Dependents reached only through another destructive change, listed under that one. */
  radiusCovered?: number;
  /** Listed dependents left out by the cap. */
  radiusTruncated?: number;
  severity: Severity;
  change: ResourceChange;
}

export interface RootCause {
  /** What changed: `var.network_cidr`, a replaced resource address, or an attribute. */
  cause: string;
  kind: "variable" | "resource" | "attribute" | "module-removed" | "other";
  /** The destructive changes it explains. */
  addresses: string[];
  /** One line: "40 resources are replaced because `var.network_cidr` changed". */
  summary: string;
  /** The chain from the cause to the first affected resource. */
  chain: string[];
}

export interface Finding {
  /** Stable id, kebab-case (`environment-wide`, `missing-state`, `destroy-mode`, `module-removed`, `rename-without-moved`, `incomplete-plan`, `drift-on-destroyed`, `prevent-destroy`). */
  id: string;
  severity: Severity;
  message: string;
  addresses: string[];
  /** What to do instead, when there is something to suggest (a moved block, a sign-off). */
  suggestion?: string;
}

export interface Analysis {
  destructive: DestructiveFinding[];
  rootCauses: RootCause[];
  findings: Finding[];
  /** Managed resource instances in the prior state (or, without one, in the plan). */
  managedCount: number;
  /** Share (0..1) of managed resources the plan deletes or replaces. */
  destroyedShare: number;
  /** 0..100, documented in docs/score.md; higher is more dangerous. */
  score: number;
  severity: Severity;
  /** References the graph could not resolve (locals without sources, etc.), shown so nothing is silently dropped. */
  unresolved: { from: string; reference: string; why: string }[];
}
