// How every command reads a plan: the terraform/tofu program for binary plans (--terraform-bin), read progress for
// commands that show it, and the heap's growth capped once the plan is large (../../heap.ts), so `graph`,
// `fingerprint` and `approve` of a 1 GiB plan hold the same memory as `check` of it.

import type { LoadOptions } from "../../../plan/read.js";
import { heapTuner, type HeapTuner } from "../../heap.js";
import type { Progress } from "../../progress.js";

/** `heap`: the tuner told the bytes read (a test's own, so that it sets no V8 flag in the test's process). */
export function planLoadOptions(args: { "terraform-bin"?: string | undefined }, progress?: Progress, heap: HeapTuner = heapTuner()): LoadOptions {
  const load: LoadOptions = {};
  if (args["terraform-bin"] !== undefined) load.terraformBin = args["terraform-bin"];
  load.onProgress = (read, total) => {
    progress?.bytes(read, total);
    heap.bytesRead(read);
  };
  return load;
}
