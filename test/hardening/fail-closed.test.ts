// Fail closed: a failure injected into any stage of the flow ends in exit 2 with a message, never 0.

import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { fail } from "../../src/diagnostics/index.js";
import { STAGE_NAMES, type Stages } from "../../src/cli/flow.js";
import { main } from "../../src/cli/main.js";

function thrower(kind: "blastgate" | "bug" | "string", stage: string): (...args: unknown[]) => never {
  return () => {
    if (kind === "blastgate") throw fail("BG9999", `injected failure in ${stage}`);
    if (kind === "bug") throw new TypeError(`injected bug in ${stage}`);
    throw `injected ${stage}`;
  };
}

describe("fail closed", () => {
  it("every stage, every kind of failure: exit 2 and a message on stderr (property)", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STAGE_NAMES),
          fc.constantFrom("blastgate" as const, "bug" as const, "string" as const),
          fc.constantFrom("examples/incident/plan.json", "examples/safe/plan.json"),
          fc.constantFrom("terminal", "json"),
          async (stage, kind, plan, format) => {
            stderr.mockClear();
            const stages: Partial<Stages> = { [stage]: thrower(kind, stage) };
            const args = ["check", plan, "--format", format, ...(stage === "sources" ? ["--tf-dir", "examples/incident"] : [])];
            const code = await main(args, { stages });
            expect(code).toBe(2);
            const text = stderr.mock.calls.map((c) => String(c[0])).join("");
            expect(text).toMatch(/^error\[BG\d{4}\]/);
          },
        ),
        { seed: 11, numRuns: 120 },
      );
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("the safe example passes when nothing fails (the property above is not vacuous)", async () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["check", "examples/safe/plan.json", "--format", "json"])).toBe(0);
    } finally {
      stdout.mockRestore();
    }
  });
});
