// Starts the prior_state helper thread (prior-worker.ts) for a large plan file. On a plan Terraform writes, prior_state
// is about a third of the bytes and is read independently of the rest, so the two parts are read on two cores at once.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PackedPrior, PriorHelper } from "./build.js";

/**
 * Files from this size on get a helper. Below it the thread costs what it saves or more: measured on the benchmark's
 * plans (library loadPlan, three runs each), 21 MiB 670-752 ms with it against 608-701 alone, 64 MiB 1.42-1.50 s
 * against 1.23-1.42, 128 MiB 2.13-2.32 s against 2.30-2.42, 256 MiB 3.12-3.72 s against 3.49-3.99.
 */
export const PRIOR_HELPER_MIN_BYTES = 96 * 1024 * 1024;

type Message = { type: "at"; offset: number } | { type: "done"; prior: PackedPrior | undefined; end: number | undefined } | { type: "none" } | { type: "failed"; why: string };

/** A helper reading `file`'s prior_state, or undefined when the helper's code is not there (running from the sources). */
export function startPriorHelper(file: string): PriorHelper | undefined {
  const script = fileURLToPath(new URL("./prior-worker.js", import.meta.url));
  if (!existsSync(script)) return undefined;
  let offset: number | undefined;
  let end: number | undefined;
  let worker: Worker | undefined;
  try {
    worker = new Worker(script, { workerData: { file } });
  } catch {
    return undefined; // no thread to be had: the reader reads it all
  }
  // The main thread never waits on the helper unless it uses its result.
  worker.unref();
  let settleFound!: () => void;
  const found = new Promise<void>((resolve) => (settleFound = resolve));
  const result = new Promise<PackedPrior | undefined>((resolve, reject) => {
    worker!.on("message", (m: Message) => {
      if (m.type === "at") {
        offset = m.offset;
        settleFound();
      } else if (m.type === "done") {
        end = m.end;
        resolve(m.prior);
      } else reject(new Error(m.type === "none" ? "no prior_state found" : `the helper failed (${m.why})`));
    });
    worker!.on("error", reject);
    worker!.on("exit", (code) => reject(new Error(`the helper exited (${code})`)));
  });
  // Read only when used; whichever way it ends, found() is settled too.
  result.then(settleFound, settleFound);
  return {
    offset: () => offset,
    found: () => {
      worker?.ref();
      return found;
    },
    end: () => end,
    result: () => {
      // Waited on now: the thread must keep the process alive until it answers.
      worker?.ref();
      return result;
    },
    stop: () => {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
