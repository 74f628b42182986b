#!/usr/bin/env node
// Thin shim: all behaviour lives in dist/cli (built from src/cli).
//
// Last resort: anything that escapes main() (an 'error' event nobody listens to, a rejection after main returned,
// a dist/ that fails to load) would make Node exit 1, which reads as "the gate failed" rather than "could not
// analyse". Exit 2 instead, with a BG9000 line; the handlers are installed before dist/ is imported.
const lastResort = (e) => {
  try {
    const name = e instanceof Error ? String(e.name).replace(/[^\w.-]/g, "").slice(0, 80) : "non-Error value";
    const missing = e instanceof Error && e.code === "ERR_MODULE_NOT_FOUND";
    const fix = missing ? "blastgate's compiled files (dist/) are missing: run `npm run build` in a checkout, or reinstall the package" : "run again with --debug and report the stack trace";
    // The module Node could not find (its path, quoted in the message): the file to restore.
    const where = missing ? /'([^']+)'/.exec(String(e.message))?.[1] : undefined;
    process.stderr.write(`error[BG9000]: internal error outside the command: ${name}\n${where ? `  --> ${where}\n` : ""}   = why: blastgate hit a bug or is installed incompletely; the plan was not analysed, so the gate does not pass\n   = fix: ${fix}\n`);
    if (process.argv.includes("--debug") && e instanceof Error && typeof e.stack === "string") process.stderr.write(e.stack + "\n");
  } catch {
    // stderr itself failed: the exit code still says it.
  }
  process.exit(2);
};
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);

const { main } = await import("../dist/bundle/cli.js");
process.exitCode = await main(process.argv.slice(2));
// Everything main() started is done when it returns. Leave now rather than through Node's full teardown of the heap
// (40-60 ms after a 10k-change plan), but only once stdout and stderr hold nothing unwritten: output written in
// several pieces to a pipe nobody is reading yet stays queued (`ci github` annotations, test/hardening/epipe.test.ts),
// and leaving then would cut it short. Otherwise Node exits when they drain.
if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit();
