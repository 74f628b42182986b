// Graph formats by id: one file each, one line here; the CLI's --format choices come from this map.

import { dot } from "./dot.js";
import { json } from "./json.js";
import { mermaid } from "./mermaid.js";

export const GRAPH_FORMATS = { dot, json, mermaid } as const;
export type GraphFormatId = keyof typeof GRAPH_FORMATS;
export const GRAPH_FORMAT_IDS = Object.keys(GRAPH_FORMATS) as GraphFormatId[];
export type { GraphFormat, GraphRenderInput } from "./types.js";
