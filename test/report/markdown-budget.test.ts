// The Markdown comment's size budget: a 5,000-resource plan fits GitHub's 65,536 characters and smaller limits by
// option, filling in order of importance and saying what was left out and where the full report is.

import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/document.js";
import { COMMENT_LIMITS, MARKDOWN_MARKER, parseCommentLimit, renderMarkdown } from "../../src/report/formats/markdown.js";
import { jobSummary, JOB_SUMMARY_MAX_CHARS } from "../../src/report/formats/github.js";
import { buildReportSet } from "../../src/report/report-set.js";
import { ROOT } from "../helpers/paths.js";
import { planFromJson, reportFromPlan } from "./helpers.js";

/** The incident's plan scaled to `n` resource changes: its rows copied under new module addresses. */
export function scaledIncident(n: number): string {
  const plan = JSON.parse(readFileSync(path.join(ROOT, "examples/incident/plan.json"), "utf8")) as { resource_changes: Record<string, unknown>[]; prior_state?: unknown; configuration?: unknown };
  const rows = plan.resource_changes;
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < n; k++) {
    const base = rows[k % rows.length]!;
    const copy = Math.floor(k / rows.length);
    const moduleAddress = `module.copy${copy}`;
    out.push({ ...base, address: `${moduleAddress}.${String(base.type)}.${String(base.name)}_${k}`, module_address: moduleAddress, name: `${String(base.name)}_${k}`, index: undefined });
  }
  plan.resource_changes = out;
  delete plan.prior_state;
  delete plan.configuration;
  return JSON.stringify(plan);
}

let big: Report;
beforeAll(async () => {
  big = reportFromPlan(await planFromJson(scaledIncident(5000), "generated/5000/plan.json"));
}, 120_000);

const OPTS = { color: false, width: 100 };

describe("markdown size budget", () => {
  it("a 5,000-resource plan fits GitHub's 65,536 characters, verdict first, and names what was left out", () => {
    expect(big.destructive.length).toBe(5000);
    const md = renderMarkdown(big, OPTS);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMITS.github);
    expect(md.length).toBeGreaterThan(COMMENT_LIMITS.github * 0.8); // filled, not just cut to the head
    expect(md.startsWith(`${MARKDOWN_MARKER}\n## `)).toBe(true);
    expect(md).toContain("5000 destructive changes");
    expect(md).toMatch(/Left out to fit the 65,536-character comment limit:.*of 5000 destructive changes/);
    expect(md).toContain("The full report: ");
    // Table rows are whole: the last row before the left-out note ends with its closing pipe.
    const rows = md.split("\n").filter((l) => l.startsWith("| "));
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.endsWith(" |")).toBe(true);
    // <details> blocks are balanced.
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });

  it("fits Bitbucket's 32,768 and any smaller limit, down to a bare verdict", () => {
    for (const limit of [COMMENT_LIMITS.bitbucket, 10_000, 2_000, 700, 120, 10]) {
      const md = renderMarkdown(big, { ...OPTS, maxChars: limit });
      expect(md.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
      if (limit >= 120) expect(md).toContain("blastgate");
    }
  });

  it("names the full report given by the CLI", () => {
    const md = renderMarkdown(big, { ...OPTS, maxChars: 20_000, fullReport: "https://ci.example/run/42/artifacts/report.html" });
    expect(md).toContain("https://ci.example/run/42/artifacts/report.html");
  });

  it("GitLab's larger limit shows many more destructive changes, and the root causes", () => {
    const rows = (md: string): number => md.split("\n").filter((l) => l.startsWith("| ") && l.includes("<code>")).length;
    const md = renderMarkdown(big, { ...OPTS, maxChars: COMMENT_LIMITS.gitlab });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMITS.gitlab);
    expect(rows(md)).toBeGreaterThan(3 * rows(renderMarkdown(big, OPTS)));
    expect(md).toContain("<summary>Root causes (5000)</summary>");
  });

  it("several large plans share one budget; each plan's summary comes first", () => {
    const md = renderMarkdown(buildReportSet([big, big]), { ...OPTS, maxChars: COMMENT_LIMITS.bitbucket });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMITS.bitbucket);
    expect(md).toContain("### Plan 1 of 2");
    expect(md).toContain("### Plan 2 of 2");
  });

  it("the job summary uses the larger step-summary limit", () => {
    const s = jobSummary(big);
    expect(s.length).toBeLessThanOrEqual(JOB_SUMMARY_MAX_CHARS);
    expect(s.length).toBeGreaterThan(COMMENT_LIMITS.github);
  });

  it.each([
    ["github", 65_536],
    ["GitLab", 1_000_000],
    ["bitbucket", 32_768],
    ["40000", 40_000],
    ["40_000", 40_000],
    ["0", undefined],
    ["lots", undefined],
  ])("--comment-limit %s", (value, expected) => {
    expect(parseCommentLimit(value)).toBe(expected);
  });
});
