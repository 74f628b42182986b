// The prior_state helper thread (see prior-helper.ts): finds where the plan's prior_state value starts, tells the main
// thread, reads the value with the builder's own code and sends the resources back. Any failure is reported as such;
// the main thread then reads the section itself.

import { open } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { packPrior, readPriorSection } from "./build.js";
import { isWs } from "./scan-core.js";

const CHUNK = 4 * 1024 * 1024;
const KEY = Buffer.from('"prior_state":');

/**
 * The offset of the first value written as `"prior_state": VALUE` after a '{' or ',' (a member key, not the end of a
 * string), or -1. It may be a nested key of that name: the main thread checks the offset against the top-level key's.
 */
async function findSection(fh: Awaited<ReturnType<typeof open>>, buf: Buffer): Promise<number> {
  let base = 0;
  // The last bytes of the previous window are kept at its start, so a key cut by a read is found whole.
  let kept = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, kept, buf.length - kept, base + kept);
    const n = kept + bytesRead;
    if (bytesRead === 0) return -1;
    let from = 0;
    for (;;) {
      const at = buf.indexOf(KEY, from);
      if (at < 0 || at + KEY.length >= n) break;
      let k = at - 1;
      while (k >= 0 && isWs(buf[k])) k--;
      if (k >= 0 && (buf[k] === 0x7b || buf[k] === 0x2c)) {
        let v = at + KEY.length;
        while (v < n && isWs(buf[v])) v++;
        if (v < n) return base + v;
      }
      from = at + 1;
    }
    // Keep enough to see a key and its separator again (whitespace runs longer than this are not Terraform's).
    kept = Math.min(n, 256);
    buf.copy(buf, 0, n - kept, n);
    base += n - kept;
  }
}

async function* chunksFrom(fh: Awaited<ReturnType<typeof open>>, at: number, buf: Buffer): AsyncGenerator<Buffer> {
  let pos = at;
  for (;;) {
    // One buffer read into again: the splitter keeps no view of a chunk once push returns, and the next read starts
    // only when the consumer asks for the next chunk.
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
  }
}

async function main(): Promise<void> {
  const { file } = workerData as { file: string };
  const fh = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const at = await findSection(fh, buf);
    if (at < 0) {
      parentPort!.postMessage({ type: "none" });
      return;
    }
    parentPort!.postMessage({ type: "at", offset: at });
    const { prior, length } = await readPriorSection(chunksFrom(fh, at, buf), file);
    // A scalar value (length 0) is not worth passing over: the main thread reads it.
    const packed = prior === undefined ? undefined : packPrior(prior);
    // The typed arrays are handed over, not copied.
    parentPort!.postMessage({ type: "done", prior: packed, end: length > 0 ? at + length : undefined }, packed === undefined ? [] : [packed.ends.buffer, packed.fields.buffer]);
  } finally {
    await fh.close();
  }
}

main().catch((e: unknown) => {
  parentPort!.postMessage({ type: "failed", why: e instanceof Error ? e.name : "error" });
});
