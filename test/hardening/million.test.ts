// One million no-op changes, streamed into buildPlan as the JSON is generated (never held whole), then analysed,
// reported and rendered in every format: it must finish in bounded time and memory. Prints the numbers. A million
// takes about 90 s on a shared 2-CPU machine, so CI streams 100,000 (the same code, linear) and the long run
// (BLASTGATE_FUZZ_RUNS set) or BLASTGATE_MILLION=1 the full million.

import { afterAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.js";
import { analysePlan } from "../../src/pipeline.js";
import { baseVerdict, buildReport } from "../../src/report/document.js";
import { VERSION } from "../../src/version.js";
import { assertNoPollution, LONG_RUN, renderAll } from "./harness.js";

const ROWS = LONG_RUN || process.env.BLASTGATE_MILLION === "1" ? 1_000_000 : 100_000;
const MB = 1024 * 1024;
const lines: string[] = [];
afterAll(() => {
  for (const l of lines) console.log(l);
});

/** The plan JSON, generated in ~1 MB chunks: a header, the rows, a prior state of the same resources, a footer. */
async function* planChunks(rows: number, counter: { bytes: number }): AsyncGenerator<Buffer> {
  const emit = (s: string): Buffer => {
    const b = Buffer.from(s);
    counter.bytes += b.length;
    return b;
  };
  yield emit('{"format_version":"1.2","terraform_version":"1.9.8","applyable":false,"complete":true,"errored":false,"resource_changes":[');
  const row = (i: number): string =>
    `{"address":"module.m[${i % 100}].aws_s3_bucket.b[${i}]","module_address":"module.m[${i % 100}]","mode":"managed","type":"aws_s3_bucket","name":"b","index":${i},` +
    `"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["no-op"],"before":{"id":"b-${i}","tags":{"n":"${i}"}},"after":{"id":"b-${i}","tags":{"n":"${i}"}},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}`;
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(row(i));
    if (batch.length === 4000) {
      yield emit((i < 4000 ? "" : ",") + batch.join(","));
      batch = [];
      // Let timers run between chunks, as a file or pipe read would.
      if (i % 100_000 === 3999) await new Promise((r) => setImmediate(r));
    }
  }
  if (batch.length > 0) yield emit((rows > batch.length ? "," : "") + batch.join(","));
  yield emit('],"configuration":{"root_module":{"module_calls":{"m":{"source":"./m","module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","expressions":{}}]}}}}}}');
}

describe("a million no-op changes", () => {
  it(`reads, analyses, reports and renders ${ROWS.toLocaleString("en")} no-op changes in bounded time and memory`, { timeout: 600_000 }, async () => {
    const counter = { bytes: 0 };
    const rss0 = process.memoryUsage().rss;
    const maxRss0 = process.resourceUsage().maxRSS * 1024;
    let t = performance.now();
    const plan = await buildPlan(planChunks(ROWS, counter), { kind: "stdin", path: "<generated>", encoding: "utf-8" }, { file: "<generated>" });
    const load = performance.now() - t;
    const heapAfterLoad = process.memoryUsage().heapUsed;
    expect(plan.changes.length).toBe(ROWS);
    t = performance.now();
    const { analysis } = analysePlan(plan);
    const analyse = performance.now() - t;
    t = performance.now();
    const report = buildReport(plan, analysis, VERSION, baseVerdict(plan));
    const reportMs = performance.now() - t;
    expect(report.destructive).toEqual([]);
    expect(report.verdict.status).toBe("pass");
    t = performance.now();
    const outputs = renderAll(report);
    const render = performance.now() - t;
    const outSizes = Object.entries(outputs)
      .map(([id, s]) => `${id} ${s.length >= MB ? `${Math.round(s.length / MB)} MB` : `${Math.round(s.length / 1024)} KB`}`)
      .join(", ");
    const peak = process.resourceUsage().maxRSS * 1024;
    assertNoPollution();
    lines.push(
      `[blastgate hardening] ${ROWS.toLocaleString("en")} no-op changes: ${Math.round(counter.bytes / MB)} MB of JSON streamed; ` +
        `read ${(load / 1000).toFixed(1)} s, graph+analysis ${(analyse / 1000).toFixed(1)} s, report ${(reportMs / 1000).toFixed(1)} s, render (all formats) ${(render / 1000).toFixed(1)} s; ` +
        `heap after read ${Math.round(heapAfterLoad / MB)} MB, rss ${Math.round(rss0 / MB)} -> ${Math.round(process.memoryUsage().rss / MB)} MB, peak rss ${Math.round(Math.max(peak, maxRss0) / MB)} MB; outputs: ${outSizes}`,
    );
    // Bounds: generous for a shared CI machine; the read is linear and the model ~0.5 KB per change.
    expect(load + analyse + reportMs + render).toBeLessThan(LONG_RUN ? 600_000 : 300_000);
    expect(peak).toBeLessThan(4096 * MB);
  });
});
