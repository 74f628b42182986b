// Preloaded into a measured program (`node --import .../rusage.js ...`): on exit, writes the process's peak RSS and
// uptime to the file named by BENCH_RUSAGE_OUT, so the CLI is measured as it is, with no change to it.

import { writeFileSync } from "node:fs";

const out = process.env.BENCH_RUSAGE_OUT;
if (out) {
  process.on("exit", (code) => {
    writeFileSync(out, JSON.stringify({ maxRssKB: process.resourceUsage().maxRSS, uptimeMs: performance.now(), code }));
  });
}
