// The terminal report: verdict first, wrapped to the width, plan data cannot drive the terminal, policy section,
// several plans with one verdict.

import { describe, expect, it } from "vitest";
import { terminal } from "../../src/report/formats/terminal.js";
import { buildReportSet } from "../../src/report/report-set.js";
import { exampleReport, incidentPolicy } from "./helpers.js";

describe("terminal", () => {
  it("wraps every line to the width (only a single word longer than the width may overflow)", async () => {
    const base = await exampleReport("incident");
    const report = await exampleReport("incident", { policy: incidentPolicy(base) });
    for (const width of [40, 60, 80, 120]) {
      for (const color of [false, true]) {
        const out = terminal.render(report, { color, width });
        for (const line of out.split("\n")) {
          const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
          if (plain.length > width) expect(plain.trim().includes(" "), `width ${width}: ${plain}`).toBe(false);
        }
      }
    }
  });

  it("puts the verdict first and shows failing and warning policy rules, counting the rest", async () => {
    const base = await exampleReport("incident");
    const out = terminal.render(await exampleReport("incident", { policy: incidentPolicy(base), verdict: { status: "fail", reasons: ["a policy rule fails"] } }), { color: false, width: 100 });
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^STOP/);
    expect(out).toContain("Policy: FAIL (5 rules: 2 fail, 1 warn, 1 waived, 1 pass)");
    expect(out).toContain("FAIL protect-databases");
    expect(out).not.toContain("no-forget"); // passing rules are only counted
  });

  it("several plans: one overall verdict, then a section per plan", async () => {
    const set = buildReportSet([await exampleReport("safe"), await exampleReport("prevent-destroy")]);
    const out = terminal.render(set, { color: false, width: 100 });
    expect(out.split("\n")[0]).toMatch(/^STOP .*\(2 plans, 1 failing\)/);
    expect(out).toContain("== Plan 1 of 2: examples/safe/plan.json ==");
    expect(out).toContain("== Plan 2 of 2: examples/prevent-destroy/plan.json ==");
    expect(out).toContain("- examples/prevent-destroy/plan.json: Terraform reported errors");
  });

  it("one plan renders exactly as a set of one", async () => {
    const r = await exampleReport("deletes");
    expect(terminal.render(buildReportSet([r]), { color: false, width: 100 })).toBe(terminal.render(r, { color: false, width: 100 }));
  });
});
