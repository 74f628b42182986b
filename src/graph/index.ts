// The dependency graph's public surface: build both levels from a plan, read sources, render. Re-exports only.

export { buildDependencyGraph, instanceNodeAddress, type BuildOptions } from "./build.js";
export { loadTfSources } from "./sources.js";
export { toGraphlib } from "./graphlib.js";
export { GRAPH_FORMATS, GRAPH_FORMAT_IDS, type GraphFormatId } from "./formats/index.js";
export type {
  DependencyGraphs,
  EdgeKind,
  EdgeVia,
  Graph,
  GraphJSON,
  GraphNode,
  Lifecycle,
  ModuleSources,
  SourceLocation,
  TfSources,
  Unresolved,
} from "./types.js";
