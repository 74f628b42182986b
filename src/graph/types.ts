// Types of the dependency graph: the Graph interface shared by both levels, edge reasons, lifecycle, sources.

/** Why an edge exists. `from` depends on `to` because of ... */
export type EdgeKind = "reference" | "depends_on" | "module_input" | "module_output" | "state" | "replace_triggered_by";

export const EDGE_KINDS: readonly EdgeKind[] = ["reference", "depends_on", "module_input", "module_output", "state", "replace_triggered_by"];

export interface EdgeVia {
  kind: EdgeKind;
  /** The attribute of the dependent block that holds the expression (`input`, `tags.Name`, `count`, `provisioner[0].command`). */
  attribute?: string;
  /** The first step of the reference as written (`terraform_data.a[1]`, `local.c`, `module.svc.endpoint`, `var.seed`). */
  detail?: string;
  /** The block whose expression names the dependency (`local.a`, `module.svc.output.endpoint`), when not the dependent itself. */
  owner?: string;
}

export interface GraphNode {
  /** `terraform graph` name (resource level) or `resource_changes` address (instance level). */
  address: string;
  /** Config-level address (no instance keys); equal to `address` at the resource level. */
  configAddress: string;
  mode: "managed" | "data" | "ephemeral";
  /** The module path without keys (`module.a.module.b`), empty at the root. */
  module: string;
  /** Set when the node has a block in the plan's configuration. */
  inConfig: boolean;
  /** Set when the node has an object in `prior_state`. */
  inState: boolean;
  /** Instance level: the deposed object's key when the node is a deposed object. */
  deposed?: string;
  /** Instance level: the planned change kind, when the node is in `resource_changes`. */
  change?: string;
}

export interface GraphJSON {
  level: "resource" | "instance";
  nodes: GraphNode[];
  edges: { from: string; to: string; via: EdgeVia }[];
}

/**
 * A dependency graph over dense integer node ids `0..size-1`. An edge goes from a node to one it depends on
 * (the direction of `terraform graph`). Edge ids are `0..edgeCount-1`.
 */
export interface Graph {
  readonly level: "resource" | "instance";
  readonly size: number;
  readonly edgeCount: number;
  addressOf(i: number): string;
  indexOf(address: string): number | undefined;
  node(i: number): GraphNode;
  /** Calls cb for each node j that depends on i (j -> i), with the edge id. */
  forEachDependent(i: number, cb: (j: number, edge: number) => void): void;
  /** Calls cb for each node j that i depends on (i -> j), with the edge id. */
  forEachDependency(i: number, cb: (j: number, edge: number) => void): void;
  edgeFrom(edge: number): number;
  edgeTo(edge: number): number;
  edgeVia(edge: number): EdgeVia;
  /** Every node that depends on one of `roots`, directly or not (roots excluded unless on a cycle). Cycle-safe. */
  transitiveDependents(roots: readonly number[]): number[];
  /** Every node one of `roots` depends on, directly or not. Cycle-safe. */
  transitiveDependencies(roots: readonly number[]): number[];
  /** Dependency cycles (strongly connected components with more than one node), as sorted address lists. */
  cycles(): string[][];
  toJSON(): GraphJSON;
}

/** `lifecycle` of a resource block, read from the `.tf` sources (the plan JSON has none of it). */
export interface Lifecycle {
  preventDestroy?: boolean;
  createBeforeDestroy?: boolean;
  /** References as written (`terraform_data.a[0]`, `terraform_data.b.output`). */
  replaceTriggeredBy?: string[];
  ignoreChanges?: string[] | "all";
  file?: string;
  line?: number;
}

export interface SourceLocation {
  file: string;
  line?: number;
}

/** A reference that could not be followed to a resource; reported instead of silently dropped. */
export interface Unresolved {
  /** Config address of the dependent resource. */
  from: string;
  /** The reference, module-qualified (`local.c`, `module.svc.local.labels`). */
  reference: string;
  why: string;
}

export interface DependencyGraphs {
  resource: Graph;
  instance: Graph;
  unresolved: Unresolved[];
  /** Lifecycle per config address (from sources only). */
  lifecycle: Map<string, Lifecycle>;
  /** Source location of each resource block (from sources only), by config address. */
  locations: Map<string, SourceLocation>;
  /** Dependency cycles at the resource level (hand-edited plans); empty for any plan Terraform wrote. */
  cycles: string[][];
}

// ---- sources (`--tf-dir`) ----------------------------------------------------------------------------

/** References of one attribute, as written in the sources. */
export interface SourceRefs {
  attribute: string;
  references: string[];
}

export interface SourceResource {
  /** Module-relative address (`aws_x.y`, `data.aws_z.w`). */
  address: string;
  file: string;
  line?: number;
  lifecycle?: Lifecycle;
  /** References the plan JSON does not carry: `dynamic` blocks and lifecycle conditions. */
  extraRefs: SourceRefs[];
}

export interface SourceLocal {
  references: string[];
  file: string;
}

export interface ModuleSources {
  /** Directory of the module, as found (relative to the tf dir's parent when given relative). */
  dir: string;
  locals: Map<string, SourceLocal>;
  /** References in each output's `precondition` blocks (the plan JSON has the output's value only). */
  outputConditions: Map<string, string[]>;
  resources: Map<string, SourceResource>;
  /** Child module calls: name -> `source` as written. */
  calls: Map<string, string>;
}

/** What `loadTfSources` read: per module path without keys (`""`, `module.a`, `module.a.module.b`). */
export interface TfSources {
  dir: string;
  modules: Map<string, ModuleSources>;
  /** Module paths whose sources could not be found (remote source, not installed), with why. */
  missing: Map<string, string>;
  /** Files parsed with hcl2json (the others were only scanned for block locations). */
  parsedFiles: string[];
}
