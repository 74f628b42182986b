// The benchmark's scaling line (bench/scaling.ts): the fit recovers a known growth, and the target judges linear,
// stepped and quadratic stages as issue 9 asks.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { growthExponent, MAX_STAGE_EXPONENT, stageScaling, type ScalingInput } from "../../bench/scaling.js";

const SIZES = [984, 10_014, 29_999, 59_994, 119_984];

/** Generated plans whose stages take `msOf(stage, changes)`. */
function plans(stages: Record<string, (n: number) => number>, sizes = SIZES): ScalingInput[] {
  return sizes.map((n) => ({
    name: `gen-${Math.round(n / 1000)}k`,
    kind: "generated",
    resourceChanges: n,
    stages: Object.entries(stages).map(([name, f]) => ({ name, status: "ok", ms: f(n) })),
  }));
}

const judged = (rs: ScalingInput[]) => stageScaling(rs).find((t) => t.target.startsWith("scaling:"));
const info = (rs: ScalingInput[]) => stageScaling(rs).find((t) => t.pass === "info");

describe("growthExponent", () => {
  it("recovers k from times c * n^k exactly", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 0.3, max: 2.5, noNaN: true }),
        // Sizes at least 2^(1/4) apart, as a benchmark's are: two nearly equal sizes make any slope ill-conditioned.
        fc.uniqueArray(fc.integer({ min: 0, max: 53 }), { minLength: 2, maxLength: 6 }),
        (c, k, steps) => {
          const ns = steps.map((e) => Math.round(1000 * 2 ** (e / 4)));
          expect(growthExponent(ns.map((n) => ({ changes: n, ms: c * n ** k })))).toBeCloseTo(k, 9);
        },
      ),
    );
  });
});

describe("stageScaling", () => {
  it("passes linear stages and fails a quadratic one, naming it", () => {
    const linear = plans({ model: (n) => n * 0.03, graph: (n) => n * 0.004 });
    expect(judged(linear)?.pass).toBe(true);
    expect(judged(linear)?.measured).toBe("model 1.00, graph 1.00");
    const quadratic = plans({ model: (n) => n * 0.03, analyse: (n) => 1e-7 * n * n + 20 });
    expect(judged(quadratic)?.pass).toBe(false);
    expect(judged(quadratic)?.measured).toMatch(/analyse 1\.[6-9]/);
  });

  it("fails n^1.2 and passes n^1.1 (the line is 1.5x per change over 12x)", () => {
    expect(MAX_STAGE_EXPONENT).toBeCloseTo(1.163, 3);
    expect(judged(plans({ graph: (n) => 0.001 * n ** 1.2 }))?.pass).toBe(false);
    expect(judged(plans({ graph: (n) => 0.002 * n ** 1.1 }))?.pass).toBe(true);
  });

  it("fits from 30k up: a step between 10k and 30k is shown beside the target, not judged", () => {
    const stepped = plans({ render: (n) => (n < 20_000 ? 0.002 : 0.0036) * n });
    expect(judged(stepped)?.pass).toBe(true);
    expect(judged(stepped)?.target).toContain("gen-30k..gen-120k");
    expect(info(stepped)?.measured).toBe("render 1.80");
  });

  it("leaves out sizes where a stage is under 20 ms, and does not judge a stage with too few left", () => {
    const NOT = "not judged (fewer than two sizes of 20 ms or more, 3x apart)";
    // report: 15 ms at 30k (left out), then 60k and 120k: only 2x apart, so not judged.
    const rs = plans({ model: (n) => n * 0.03, report: (n) => n * 0.0005 });
    expect(judged(rs)?.measured).toBe(`model 1.00; ${NOT}: report`);
    // Under 20 ms at 30k and 60k: one size left.
    const one = plans({ model: (n) => n * 0.03, report: (n) => n * 0.0003 });
    expect(judged(one)?.measured).toBe(`model 1.00; ${NOT}: report`);
    // A size under 20 ms is left out, not counted: 19 ms at 30k would make this linear stage's fit 0.8.
    const sizes = [...SIZES, 579_989];
    const noisy = plans({ policy: (n) => (n === 29_999 ? 19 : n * 0.0004) }, sizes);
    expect(judged(noisy)?.measured).toBe("policy 1.00");
    expect(judged(noisy)?.target).toContain("gen-30k..gen-580k");
  });

  it("reads only generated plans, and needs two of them from 30k up", () => {
    const real: ScalingInput = { name: "real-3084", kind: "real", resourceChanges: 300_000, stages: [{ name: "graph", status: "ok", ms: 1e6 }] };
    expect(judged([...plans({ graph: (n) => n * 0.004 }), real])?.pass).toBe(true);
    expect(judged(plans({ graph: (n) => n * 0.004 }, [10_014, 119_984]))).toBeUndefined();
  });

  it("skips stages that failed or were not built", () => {
    const rs = plans({ graph: (n) => n * 0.004 }).map((r, i) => (i === 3 ? { ...r, stages: [{ name: "graph", status: "error" }] } : r));
    // 60k failed: 30k and 120k are left, 4x apart.
    expect(judged(rs)?.measured).toBe("graph 1.00");
  });
});
