// Where a finding points: the `.tf` block when `--tf-dir` sources are known, else the plan file (and the formats say
// so), else nowhere (a plan read from standard input).

import type { Report } from "./document.js";
import { lookupSource, type SourceIndex } from "./source-locations.js";

export interface FindingLocation {
  /** Repository-relative path, `/`-separated; null when the plan came from standard input. */
  file: string | null;
  /** 1-based line of the resource block; null when pointing at the plan. */
  line: number | null;
  from: "source" | "plan" | "none";
}

/** The plan file as a location, or none for standard input. */
export function planLocation(report: Report): FindingLocation {
  const p = report.plan.source.path;
  if (!p || report.plan.source.kind === "stdin" || p === "<stdin>") return { file: null, line: null, from: "none" };
  return { file: p.replace(/\\/g, "/"), line: null, from: "plan" };
}

/** Locates a resource instance (or module call) address. */
export function locate(report: Report, sources: SourceIndex | undefined, address: string | undefined): FindingLocation {
  const hit = address === undefined ? undefined : lookupSource(sources, address);
  return hit ? { file: hit.file, line: hit.line, from: "source" } : planLocation(report);
}

/** Words for a location: `examples/x/main.tf:12`, or `the plan examples/x/plan.json (pass --tf-dir ...)`. */
export function describeLocation(loc: FindingLocation): string {
  if (loc.from === "source") return `${loc.file}:${loc.line}`;
  if (loc.from === "plan") return `the plan ${loc.file} (pass --tf-dir for the .tf file and line)`;
  return "the plan from standard input (pass --tf-dir for the .tf file and line)";
}
