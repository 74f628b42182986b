// How far the CLI lets V8's heap grow between full collections once a plan is large.
//
// Why: V8 lets the old generation grow up to about four times what the last full collection left alive before the
// next one, when collecting costs little next to the program's own work, as it does here. A 1.2 GiB plan keeps
// ~800 MiB alive at the end of a run, so its heap reached 1.5-1.6 GiB with garbage before V8 collected it (most runs
// above the 1.5 GiB target). A factor of two (V8's `--heap-growing-percent=100`, read by V8's heap controller each
// time it sets the next limit, so it applies when set at run time) held it at 1.1-1.25 GiB, for about 2 s more of
// collecting in a 30 s run (docs/performance.md, item 18). Set here, in the CLI process, and only once the plan read
// passes LARGE_PLAN_BYTES: the library never changes its host's V8 settings, and small plans keep V8's own choice.

import v8 from "node:v8";

/** Bytes of plan read after which the heap's growth is capped. */
export const LARGE_PLAN_BYTES = 128 * 1024 * 1024;

export const HEAP_FLAG = "--heap-growing-percent=100";

/**
 * V8 majors whose heap controller reads the flag (Node 20: 11, 22: 12, 24: 13; tested here on Node 20): an unknown
 * flag would print "unrecognized flag" on stderr, so another V8 keeps its defaults until it is checked.
 */
function knownV8(version: string): boolean {
  const major = Number(version.split(".")[0]);
  return major >= 11 && major <= 13;
}

export interface HeapTuner {
  /** Told the bytes of plan read so far (any plan, any number of times); sets the flag once, past the threshold. */
  bytesRead(read: number): void;
}

/**
 * Whether Node was started with the flag already (`node --heap-growing-percent=N blastgate ...`): then the user's value
 * stands. (Node refuses V8 flags in NODE_OPTIONS, so the command line is the only place it can come from.)
 */
function givenByUser(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
}

export interface HeapTunerEnv {
  set?: (flags: string) => void;
  v8Version?: string;
  execArgv?: readonly string[];
}

export function heapTuner(env: HeapTunerEnv = {}): HeapTuner {
  const set = env.set ?? ((f: string) => v8.setFlagsFromString(f));
  let done = false;
  return {
    bytesRead(read) {
      if (done || read < LARGE_PLAN_BYTES) return;
      done = true;
      if (!knownV8(env.v8Version ?? process.versions.v8)) return;
      if (givenByUser(env.execArgv ?? process.execArgv)) return;
      set(HEAP_FLAG);
    },
  };
}
