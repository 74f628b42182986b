// What every graph format gets: the graph plus what the build found beside it.

import type { Graph, Lifecycle, SourceLocation, Unresolved } from "../types.js";

export interface GraphRenderInput {
  graph: Graph;
  unresolved: readonly Unresolved[];
  cycles: readonly (readonly string[])[];
  lifecycle: ReadonlyMap<string, Lifecycle>;
  locations: ReadonlyMap<string, SourceLocation>;
}

export interface GraphFormat {
  id: string;
  /** Renders the whole document, ending with a newline. Deterministic: sorted by address. */
  render(input: GraphRenderInput): string;
}
