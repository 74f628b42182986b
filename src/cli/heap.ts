// How far the CLI lets V8's heap grow between full collections once a plan is large.
//
// Why: V8 lets the old generation grow up to about four times what the last full collection left alive before the
// next one, when collecting costs little next to the program's own work, as it does here. A 1.2 GiB plan keeps
// ~800 MiB alive at the end of a run, so its heap reached 1.5-1.6 GiB with garbage before V8 collected it (most runs
// above the 1.5 GiB target). A factor of two (V8's `--heap-growing-percent=100`, read by V8's heap controller each
// time it sets the next limit, so it applies when set at run time) held it at 1.1-1.25 GiB, for about 2 s more of
// collecting in a 30 s run (docs/performance.md, item 18). Set here, in the CLI process, and only once the plan read
// passes LARGE_PLAN_BYTES: the library never changes its host's V8 settings, and small plans keep V8's own limit.
//
// The young generation is held at the size it has when reading starts (1-2 MiB a semi-space) until the plan read
// passes YOUNG_HOLD_BYTES. V8 doubles it up to 16 MiB a semi-space while a run keeps many of its objects, as
// reading a plan does, and each new page costs a fault (11-15 µs on this VM): a 10k-change plan's run made 23.5k
// faults, 17.6k with the young generation held, and took 10% less time and 13 MiB less memory (docs/performance.md,
// item 31). Large plans need the large young generation (a 580k-change run with it small for the whole run, by
// `--max-semi-space-size=4`: 34.5 s instead of 26.4 s), so past 64 MiB of plan it grows as V8 likes; from 60k
// changes up the two measured alike. V8 reads `--semi-space-growth-factor` each time it grows the young generation,
// so it applies when set at run time (the semi-space sizes themselves are fixed when the heap is made:
// `--max-semi-space-size` set then does nothing).

import v8 from "node:v8";

/** Bytes of plan read after which the heap's growth is capped. */
export const LARGE_PLAN_BYTES = 128 * 1024 * 1024;

export const HEAP_FLAG = "--heap-growing-percent=100";

/** Bytes of plan read after which the young generation is released. */
export const YOUNG_HOLD_BYTES = 64 * 1024 * 1024;

/** Holds the young generation at its size; released (V8's default factor, 2) past YOUNG_HOLD_BYTES. */
export const YOUNG_HOLD_FLAG = "--semi-space-growth-factor=1";
export const YOUNG_RELEASE_FLAG = "--semi-space-growth-factor=2";

/**
 * V8 majors whose heap controller reads the flag (Node 20: 11, 22: 12, 24: 13; tested here on Node 20): an unknown
 * flag would print "unrecognized flag" on stderr, so another V8 keeps its defaults until it is checked.
 */
function knownV8(major: number): boolean {
  return major >= 11 && major <= 13;
}

/** The young generation's growth was measured on V8 11 (Node 20) only, whose default factor YOUNG_RELEASE_FLAG restores. */
function youngKnownV8(major: number): boolean {
  return major === 11;
}

export interface HeapTuner {
  /**
   * Told the bytes of plan read so far (any plan, any number of times): holds the young generation at the first call,
   * and past the threshold releases it and caps the heap's growth, once each.
   */
  bytesRead(read: number): void;
}

/**
 * The V8 options Node was started with, which the tuner leaves alone when the user gave them: its command line, and
 * NODE_OPTIONS (which accepts `--max-semi-space-size`, and refuses the growth percent and the other young ones).
 */
const HEAP_GROWTH_OPTION = /^--heap[-_]growing[-_]percent(=|$)/;
const YOUNG_OPTION = /^--(semi[-_]space[-_]growth[-_]factor|min[-_]semi[-_]space[-_]size|max[-_]semi[-_]space[-_]size)(=|$)/;

export interface HeapTunerEnv {
  set?: (flags: string) => void;
  v8Version?: string;
  execArgv?: readonly string[];
  /** NODE_OPTIONS as Node read it at start. */
  nodeOptions?: string | undefined;
}

export function heapTuner(env: HeapTunerEnv = {}): HeapTuner {
  const set = env.set ?? ((f: string) => v8.setFlagsFromString(f));
  const major = Number((env.v8Version ?? process.versions.v8).split(".")[0]);
  const nodeOptions = "nodeOptions" in env ? env.nodeOptions : process.env.NODE_OPTIONS;
  const userOptions = [...(env.execArgv ?? process.execArgv), ...(nodeOptions ?? "").split(/\s+/)];
  const userGave = (option: RegExp): boolean => userOptions.some((arg) => option.test(arg));
  let held: boolean | undefined;
  let done = false;
  return {
    bytesRead(read) {
      if (held === undefined) {
        held = read < YOUNG_HOLD_BYTES && youngKnownV8(major) && !userGave(YOUNG_OPTION);
        if (held) set(YOUNG_HOLD_FLAG);
      }
      if (held && read >= YOUNG_HOLD_BYTES) {
        held = false;
        set(YOUNG_RELEASE_FLAG);
      }
      if (done || read < LARGE_PLAN_BYTES) return;
      done = true;
      if (!knownV8(major) || userGave(HEAP_GROWTH_OPTION)) return;
      set(HEAP_FLAG);
    },
  };
}
