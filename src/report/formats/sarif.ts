// `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run (GitHub rejects several runs of one
// tool and category in an upload), with a rule per change kind, finding and policy rule; results point at the `.tf`
// block when --tf-dir sources are known, else at the plan file (and say so). Waived and approved policy results
// are kept with an external suppression, so they stay visible without alerting.

import { asReportSet, planLabel } from "../report-set.js";
import { itemsOfSet, type ResultItem } from "../result-items.js";
import { pathToUri, safeJson } from "../text.js";
import type { ReportFormat } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[] };
}

function ruleName(id: string): string {
  // SARIF §3.49.7: a name is an identifier-like, human-readable form of the id.
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

function ruleOf(item: ResultItem): SarifRule {
  const kind = item.ruleId.split("/")[0]!;
  const help =
    kind === "change"
      ? "Destructive changes remove infrastructure and what depends on it. Check the reason; prefer a moved block, an in-place change or an explicit sign-off."
      : kind === "policy"
        ? "A blastgate policy rule; see the policy file for what it protects and who can waive it."
        : "A plan-wide blastgate finding; see docs/reports.md.";
  return {
    id: item.ruleId,
    name: ruleName(item.ruleId),
    shortDescription: { text: item.ruleText },
    fullDescription: { text: item.ruleText },
    help: { text: help },
    defaultConfiguration: { level: item.level },
    properties: { tags: ["terraform", "blastgate", kind] },
  };
}

export const sarif: ReportFormat = {
  id: "sarif",
  description: "SARIF 2.1.0 for GitHub code scanning (resource block locations with --tf-dir)",
  extension: "sarif",
  render(input, options) {
    const set = asReportSet(input);
    const items = itemsOfSet(set, options.sources);
    const rules = new Map<string, SarifRule>();
    for (const it of items) if (!rules.has(it.ruleId)) rules.set(it.ruleId, ruleOf(it));
    // A rule's default level is the most severe level among its results.
    const rank = { error: 0, warning: 1, note: 2 } as const;
    for (const it of items) {
      const r = rules.get(it.ruleId)!;
      if (rank[it.level] < rank[r.defaultConfiguration.level as keyof typeof rank]) r.defaultConfiguration.level = it.level;
    }
    const ruleIds = [...rules.keys()].sort();
    const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
    const results = items.map((it) => {
      const result: Record<string, unknown> = {
        ruleId: it.ruleId,
        ruleIndex: ruleIndex.get(it.ruleId),
        level: it.level,
        message: { text: it.message },
      };
      const physical =
        it.location.file === null
          ? undefined
          : {
              artifactLocation: { uri: pathToUri(it.location.file) },
              region: { startLine: it.location.line ?? 1 },
            };
      const location: Record<string, unknown> = {};
      if (physical) location.physicalLocation = physical;
      if (it.address !== undefined) location.logicalLocations = [{ fullyQualifiedName: it.address, kind: "resource" }];
      if (Object.keys(location).length > 0) result.locations = [location];
      result.partialFingerprints = { "blastgate/v1": it.fingerprint };
      if (it.suppressed) result.suppressions = [{ kind: "external", justification: `the policy result is ${it.suppressed}` }];
      result.properties = { severity: it.severity, plan: it.planLabel, locatedBy: it.location.from };
      return result;
    });
    const log = {
      $schema: SARIF_SCHEMA,
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: "blastgate",
              version: set.tool.version,
              semanticVersion: /^\d+\.\d+\.\d+/.test(set.tool.version) ? set.tool.version : undefined,
              rules: ruleIds.map((id) => rules.get(id)!),
            },
          },
          automationDetails: { id: "blastgate/" },
          results,
          properties: {
            verdict: set.verdict.status,
            verdictReasons: set.verdict.reasons,
            plans: set.reports.map((r, i) => ({ plan: planLabel(r, i), verdict: r.verdict.status, destructive: r.destructive.length })),
          },
        },
      ],
    };
    return safeJson(log, 2) + "\n";
  },
};
