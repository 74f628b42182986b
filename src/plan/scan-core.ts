// The splitter's byte scanner: passes over the inside of one JSON value (a string or a container) and stops where the
// splitter must look. Two implementations with one contract: WebAssembly (scan-core.c, compiled into
// scan-core-wasm.ts), used whenever WebAssembly is there, and the same loop in TypeScript (Node run with --jitless has
// no WebAssembly; the tests run both and compare them).
//
// Contract of scan(chunk, j, n, stop, limit): passes over chunk[j..n) from the state in `state` and `stack` and
// returns the index it stopped at, with state[REASON]:
// - CHUNK_END: all of chunk[j..n) was passed over (returns n);
// - VALUE_END: the value ended just before the returned index (its closing quote or bracket);
// - STOP: the byte at the returned index is one the caller's prune logic reads (depth <= stop, outside strings; see
//   scan-core.c for which): the caller reads it and calls scan again after it, having updated the state;
// - MISMATCH: the byte at the returned index closes a bracket that is not open (the stack's top says what was wanted);
// - TOO_DEEP: the byte at the returned index opens a bracket at depth `limit`.
// The state is one value's: depth (open brackets), whether the scan is inside a string, whether a backslash was the
// last byte read inside one, and the prune logic's OPEN_AT, KEY_AT, KEY1, KEY2 and IN_PARENT (see PruneState in
// splitter.ts; the scanner sets KEY1 and KEY2 itself at each ',' it passes); the stack holds the open brackets as their
// closing bytes.

import { SCAN_CORE_WASM } from "./scan-core-wasm.js";

export const CHUNK_END = 0;
export const VALUE_END = 1;
export const STOP = 2;
export const MISMATCH = 3;
export const TOO_DEEP = 4;

/** Indexes into ScanCore.state. */
export const DEPTH = 0;
export const IN_STRING = 1;
export const ESCAPE = 2;
export const REASON = 3;
export const OPEN_AT = 4;
export const KEY_AT = 5;
export const KEY1 = 6;
export const KEY2 = 7;
export const IN_PARENT = 8;
/** Set at a STOP on a key: the index of its closing quote, or -1 (an escape comes first, or the chunk ends first). */
export const KEY_END = 9;
const STATE_SIZE = 10;

export interface ScanCore {
  readonly kind: "wasm" | "js";
  /** A splitter's push is using it (its chunk is in the core's memory): another push on this thread must wait. */
  busy: boolean;
  /** depth, in string (0/1), escape pending (0/1), reason of the last scan, and the prune logic's fields. */
  readonly state: Int32Array;
  /** The open brackets of the value, as their closing bytes; its length bounds the depth of any value. */
  readonly stack: Uint8Array;
  /**
   * The memory scan reads: the caller's chunk copied into the core's memory (WebAssembly), or the chunk itself (at most
   * `room` bytes at a time).
   */
  load(chunk: Buffer): Buffer;
  readonly room: number;
  scan(chunk: Buffer, j: number, n: number, stop: number, limit: number): number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const STACK_BYTES = 1 << 20;

/** JSON's whitespace: space, line feed, carriage return, tab. */
export function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The scanner in TypeScript: scan-core.c's loop, byte by byte. */
class JsCore implements ScanCore {
  readonly kind = "js";
  busy = false;
  readonly state = new Int32Array(STATE_SIZE);
  readonly stack = new Uint8Array(STACK_BYTES);
  readonly room = Number.MAX_SAFE_INTEGER;

  load(chunk: Buffer): Buffer {
    return chunk;
  }

  scan(p: Buffer, j: number, n: number, stop: number, limit: number): number {
    const st = this.state;
    const stack = this.stack;
    let d = st[DEPTH]!;
    let s = st[IN_STRING]!;
    let e = st[ESCAPE]!;
    let reason = CHUNK_END;
    while (j < n) {
      const c = p[j]!;
      if (s !== 0) {
        if (e !== 0) e = 0;
        else if (c === BACKSLASH) e = 1;
        else if (c === QUOTE) {
          s = 0;
          if (d === 0) {
            j++;
            reason = VALUE_END;
            break;
          }
        }
        j++;
        continue;
      }
      if (d <= stop && !isWs(c) && this.stops(p, j, n, d)) {
        reason = STOP;
        break;
      }
      if (c === QUOTE) s = 1;
      else if (c === 0x7b || c === 0x5b) {
        if (d >= limit) {
          reason = TOO_DEEP;
          break;
        }
        stack[d++] = c + 2;
      } else if (c === 0x7d || c === 0x5d) {
        if (d === 0 || stack[d - 1] !== c) {
          reason = MISMATCH;
          break;
        }
        d--;
        if (d === 0) {
          j++;
          reason = VALUE_END;
          break;
        }
      }
      j++;
    }
    st[DEPTH] = d;
    st[IN_STRING] = s;
    st[ESCAPE] = e;
    st[REASON] = reason;
    return j;
  }

  /** Whether the byte p[j] outside strings at depth d (1 or 2) of a pruned value is the caller's to read. */
  private stops(p: Buffer, j: number, n: number, d: number): boolean {
    const st = this.state;
    const c = p[j]!;
    const open = d === st[OPEN_AT];
    if (c === QUOTE) {
      const key = (d === 1 && st[KEY1] !== 0) || (d === 2 && st[KEY2] !== 0);
      if (key) {
        let q = j + 1;
        while (q < n && p[q] !== QUOTE && p[q] !== BACKSLASH) q++;
        st[KEY_END] = q < n && p[q] === QUOTE ? q : -1;
      }
      return open || key;
    }
    if (c === 0x7b || c === 0x5b) return open || d === 1;
    if (c === 0x2c) {
      if (open) return true;
      if (this.stack[d - 1] === 0x7d) {
        if (d === 1) st[KEY1] = 1;
        else st[KEY2] = st[IN_PARENT]!;
      }
      return false;
    }
    if (c === 0x3a) return open || d === st[KEY_AT];
    return open;
  }
}

interface WasmExports {
  memory: WebAssembly.Memory;
  scan(j: number, n: number, stop: number, limit: number): number;
  chunk_ptr(): number;
  chunk_bytes(): number;
  stack_ptr(): number;
  stack_bytes(): number;
  state_ptr(): number;
}

/** The scanner compiled to WebAssembly; the chunk is copied into its memory (a memcpy: ~0.1 ms per 4 MiB). */
class WasmCore implements ScanCore {
  readonly kind = "wasm";
  busy = false;
  readonly state: Int32Array;
  readonly stack: Uint8Array;
  readonly room: number;
  private readonly area: Buffer;
  private readonly x: WasmExports;

  constructor(x: WasmExports) {
    this.x = x;
    // The memory never grows (the module asks for what it needs up front), so these views stay valid.
    this.state = new Int32Array(x.memory.buffer, x.state_ptr(), STATE_SIZE);
    this.stack = new Uint8Array(x.memory.buffer, x.stack_ptr(), x.stack_bytes());
    this.room = x.chunk_bytes();
    this.area = Buffer.from(x.memory.buffer, x.chunk_ptr(), this.room);
  }

  load(chunk: Buffer): Buffer {
    chunk.copy(this.area, 0, 0, chunk.length);
    return this.area.subarray(0, chunk.length);
  }

  scan(_chunk: Buffer, j: number, n: number, stop: number, limit: number): number {
    return this.x.scan(j, n, stop, limit);
  }
}

let wasm: WasmCore | null | undefined;

/**
 * The thread's scanner: one per thread, shared by its splitters (each saves its value's state when a push ends and
 * restores it when the next begins, so splitters may take turns). WebAssembly when it is there, else TypeScript.
 */
export function scanCore(kind?: "wasm" | "js"): ScanCore {
  if (kind !== "js") {
    if (wasm === undefined) {
      try {
        const module = new WebAssembly.Module(Buffer.from(SCAN_CORE_WASM, "base64"));
        wasm = new WasmCore(new WebAssembly.Instance(module).exports as unknown as WasmExports);
      } catch {
        // No WebAssembly (node --jitless) or no SIMD: the TypeScript scanner does the same job.
        wasm = null;
      }
    }
    if (wasm !== null) return wasm;
    if (kind === "wasm") throw new Error("WebAssembly is not available here");
  }
  return (js ??= new JsCore());
}

let js: JsCore | undefined;
