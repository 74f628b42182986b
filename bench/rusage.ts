// Preloaded into a measured program (`node --import .../rusage.js ...`): on exit, writes the process's peak RSS and
// uptime and CPU time to the file named by BENCH_RUSAGE_OUT, so the CLI is measured as it is, with no change to it.

import { writeFileSync } from "node:fs";

const out = process.env.BENCH_RUSAGE_OUT;
if (out) {
  process.on("exit", (code) => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, uptimeMs: performance.now(), code }));
  });
}
