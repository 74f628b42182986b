// The check flow's order of work: git (commit trailers) is started before the plan is read, once per run, and its
// answer reaches the policy stage; commit messages given as options skip git.

import { describe, expect, it } from "vitest";
import { DEFAULT_STAGES, runFlow, type FlowPolicyOptions, type Stages } from "../../src/cli/flow.js";

const POLICY: FlowPolicyOptions = { dirs: [], failOn: "fail", allowDestroy: [], now: new Date("2026-11-27T00:00:00Z") };

function recording(log: string[], commits: () => Promise<{ messages: readonly string[] }>): { stages: Stages; seen: (FlowPolicyOptions | undefined)[] } {
  const seen: (FlowPolicyOptions | undefined)[] = [];
  const stages: Stages = {
    ...DEFAULT_STAGES,
    commits: () => {
      log.push("commits");
      return commits().then((r) => (log.push("commits answered"), r));
    },
    load: async (input, opts) => {
      log.push("load");
      return DEFAULT_STAGES.load(input, opts);
    },
    policy: async (plan, analysis, policies, opts) => {
      log.push("policy");
      seen.push(opts);
      return DEFAULT_STAGES.policy(plan, analysis, policies, opts);
    },
  };
  return { stages, seen };
}

describe("runFlow", () => {
  it("starts reading commit messages before the plan and hands them to the policy stage, once for all plans", async () => {
    const log: string[] = [];
    const { stages, seen } = recording(log, async () => ({ messages: ["fix: x\n\nAllow-Destroy: terraform_data.*"] }));
    const results = await runFlow({ plans: ["examples/deletes/plan.json", "examples/safe/plan.json"], policy: POLICY }, stages);
    expect(log.indexOf("commits")).toBeLessThan(log.indexOf("load"));
    expect(log.filter((l) => l === "commits")).toHaveLength(1);
    expect(seen).toHaveLength(2);
    expect(seen.every((o) => o?.commits !== undefined)).toBe(true);
    // The trailer read by the early git call is what the policy saw: it declares the deletes as intended.
    expect(results[0]!.report.policy?.allowed_by_intent).toContain("terraform_data.gone");
  });

  it("does not run git when the commit messages are given", async () => {
    const log: string[] = [];
    const { stages } = recording(log, async () => ({ messages: [] }));
    await runFlow({ plans: ["examples/safe/plan.json"], policy: { ...POLICY, commitMessages: ["chore: nothing"] } }, stages);
    expect(log).not.toContain("commits");
  });

  it("a failure reading commits fails the flow at the policy stage, even when it happened while the plan was read", async () => {
    const log: string[] = [];
    const { stages } = recording(log, () => Promise.reject(new Error("git exploded")));
    await expect(runFlow({ plans: ["examples/safe/plan.json"], policy: POLICY }, stages)).rejects.toThrow("git exploded");
    expect(log).toContain("load");
  });
});
