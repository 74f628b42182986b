// Fuzz: real plans (examples/ and the shared corpus) mutated structurally and byte by byte, run through the whole
// pipeline. Each case ends in a report or a BlastgateError within a time bound, pollutes no prototype, and a
// report that passes lists every destructive row of the (valid) JSON it read. Fixed seed; BLASTGATE_FUZZ_RUNS for
// a long run.

import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { acceptsInvalidJson, assertNoPollution, COLLECT, count, describeCrash, failOpen, failure, inheritedMemberIn, listFailures, runPipeline, runs, SEED, seedPlans, summaryLine, tally } from "./harness.js";
import { applyByteOp, applyTreeOp, byteOp, treeOp } from "./mutate.js";
import { HAS_CORPUS, CORPUS } from "../helpers/paths.js";

if (!HAS_CORPUS) console.warn(`fuzz: ${CORPUS} is absent, so only the examples/ plans are mutated`);

const SEEDS = seedPlans();
const t = tally();
/** Cases where blastgate read a file JSON.parse rejects (the corrupted part was in a section it does not read). */
let acceptedInvalid = 0;
const CASE_MS = 10_000;

afterAll(() => {
  console.log(summaryLine("fuzz (mutated real plans)", t, `${SEEDS.length} seed plans, invalid JSON accepted ${acceptedInvalid}`));
  if (t.failures.size > 0) console.log(`distinct failures:\n${listFailures(t)}`);
});

/** Destructive rows (address and deposed key) of each unmutated seed, by the same independent rule as failOpen. */
const seedDestructive = new Map<string, Set<string>>();
function destructiveOf(seedText: string): Set<string> {
  const hit = seedDestructive.get(seedText);
  if (hit) return hit;
  const rows = (JSON.parse(seedText) as { resource_changes?: unknown }).resource_changes;
  const out = new Set<string>();
  for (const r of Array.isArray(rows) ? (rows as { address?: unknown; deposed?: unknown; change?: { actions?: unknown } }[]) : []) {
    const a = r?.change?.actions;
    if (typeof r?.address !== "string" || !Array.isArray(a)) continue;
    if (a.length === 0 || a.some((x) => typeof x !== "string" || !["no-op", "create", "read", "update"].includes(x))) out.add(`${r.address}\u0000${typeof r.deposed === "string" ? r.deposed : ""}`);
  }
  seedDestructive.set(seedText, out);
  return out;
}

async function check(text: Buffer, chunkSize: number, example: string, seedText?: string): Promise<void> {
  const o = await runPipeline(text, { chunkSize });
  count(t, o);
  if (o.kind === "crash") return failure(t, describeCrash(o), example);
  if (o.ms > CASE_MS) {
    t.hangs++;
    return failure(t, `took ${Math.round(o.ms)} ms (bound ${CASE_MS} ms)`, example);
  }
  try {
    assertNoPollution();
  } catch (e) {
    t.pollution++;
    return failure(t, String(e), example);
  }
  if (o.kind === "report") {
    const inherited = inheritedMemberIn(o.outputs);
    if (inherited) return failure(t, `an inherited Object.prototype member reached the output: ${inherited}`, example);
  }
  const str = text.toString("utf8");
  const open = failOpen(str, o);
  if (open) {
    t.failOpen++;
    return failure(t, `fail-open: ${open}`, example);
  }
  if (acceptsInvalidJson(str, o)) {
    acceptedInvalid++;
    // Read although corrupted: the corruption must have stayed in a section blastgate does not read, so every
    // destructive row of the seed is still reported (a shifted string boundary must not hide resource_changes).
    if (seedText !== undefined && o.kind === "report") {
      const listed = new Set(o.report.destructive.map((d) => `${d.address}\u0000${d.deposed ?? ""}`));
      const lost = [...destructiveOf(seedText)].filter((k) => !listed.has(k));
      if (lost.length > 0) {
        t.failOpen++;
        return failure(t, `fail-open: corrupted JSON was read and ${lost.length} destructive rows of the seed are missing`, example);
      }
    }
  }
}

describe("fuzz: mutated real plans", () => {
  it("has seed plans", () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(10);
  });

  it("structural mutations (deleted keys, wrong types, nulls, duplicate rows, hostile names and strings)", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(treeOp, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0, 2),
        fc.constantFrom(7, 4096, 65536),
        async (pick, ops, indent, chunkSize) => {
          const seed = SEEDS[pick % SEEDS.length]!;
          const doc = JSON.parse(seed.text) as unknown;
          for (const op of ops) applyTreeOp(doc, op);
          await check(Buffer.from(JSON.stringify(doc, null, indent)), chunkSize, `${seed.name} ${JSON.stringify(ops)}`);
        },
      ),
      { seed: SEED, numRuns: runs(1500) },
    );
  });

  it("byte mutations (truncation, flips, inserted structure, cuts, repeats)", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(byteOp, { minLength: 1, maxLength: 3 }), fc.constantFrom(5, 4096, 65536), async (pick, ops, chunkSize) => {
        const seed = SEEDS[pick % SEEDS.length]!;
        let buf: Buffer = Buffer.from(seed.text);
        for (const op of ops) buf = applyByteOp(buf, op);
        await check(buf, chunkSize, `${seed.name} ${JSON.stringify(ops)}`, seed.text);
      }),
      { seed: SEED + 1, numRuns: runs(1500) },
    );
  });

  it.runIf(COLLECT)("collected no failures", () => {
    expect(listFailures(t)).toBe("");
  });

  it("every seed plan, unmutated, gives a report", async () => {
    for (const s of SEEDS) {
      const o = await runPipeline(Buffer.from(s.text));
      count(t, o);
      if (o.kind === "crash") throw new Error(`${s.name}: ${describeCrash(o)}`);
      expect(o.kind, s.name).toBe("report");
      assertNoPollution();
    }
  });
});
