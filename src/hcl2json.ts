// One loader for @cdktf/hcl2json, which the policy reader and the .tf source reader share. It parses HCL in
// WebAssembly (a Go runtime, ~350 ms to start), so it is imported only when HCL is read; and where Node has no
// WebAssembly (run with --jitless) it is refused with a clear error instead of failing inside as a ReferenceError.

import { fail } from "./diagnostics/index.js";

export type Hcl2Json = typeof import("@cdktf/hcl2json");

let loaded: Promise<Hcl2Json> | undefined;

/** The HCL parser, to read `file` (named in the error when it cannot be loaded). */
export function hcl2json(file: string): Promise<Hcl2Json> {
  if (typeof WebAssembly === "undefined") {
    return Promise.reject(
      fail("BG9001", "this Node.js has no WebAssembly, which reading HCL needs", {
        location: { file },
        why: "blastgate parses HCL (.hcl policies, .tf sources) with @cdktf/hcl2json, a WebAssembly module; Node run with --jitless has no WebAssembly",
        fix: "run blastgate without --jitless (check NODE_OPTIONS too), or write the policies in YAML or JSON",
      }),
    );
  }
  return (loaded ??= import("@cdktf/hcl2json"));
}
