// The floor: readFile + JSON.parse of the whole plan, in its own process so its peak RSS is its own.
// Prints one JSON line: { ms, readMs, parseMs, cpuMs, maxRssKB } or { error } (e.g. the string-length limit).

import { readFile } from "node:fs/promises";

async function main(file: string): Promise<void> {
  const t0 = performance.now();
  let readMs = 0;
  try {
    const text = await readFile(file, "utf8");
    readMs = performance.now() - t0;
    const tree = JSON.parse(text) as unknown;
    const ms = performance.now() - t0;
    // Keep the tree alive up to here so the peak includes it, as it does for any tool holding the parsed plan.
    if (tree === undefined) throw new Error("unreachable");
    const u = process.resourceUsage();
    process.stdout.write(JSON.stringify({ ms, readMs, parseMs: ms - readMs, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKB: u.maxRSS }) + "\n");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const limit = err.code === "ERR_STRING_TOO_LONG" || /Invalid string length|Cannot create a string longer/.test(err.message);
    process.stdout.write(JSON.stringify({ error: limit ? "string limit" : err.message, ms: performance.now() - t0, maxRssKB: process.resourceUsage().maxRSS }) + "\n");
  }
}

void main(process.argv[2] ?? "");
