// Incremental JSON splitter: reads a document in byte chunks and JSON.parses only the sub-values a caller asks for.
//
// Why: Node 20 cannot hold a string over ~512 MiB, so whole-file JSON.parse fails on large plans, and the parsed tree
// of a plan costs ~4x the file. The splitter walks the structure byte by byte (jumping over strings with indexOf),
// descends into the containers the caller names, JSON.parses each selected value on its own and skips the rest
// without building anything.

import { constants } from "node:buffer";
import { locateJsonError } from "./json-error.js";
import { CHUNK_END, DEPTH, ESCAPE, IN_PARENT, IN_STRING, isWs, KEY1, KEY2, KEY_AT, KEY_END, MISMATCH, OPEN_AT, REASON, scanCore, STOP, VALUE_END, type ScanCore } from "./scan-core.js";

export type PathSegment = string | number;
/** descend: walk into this container; emit: parse this value and hand it over; skip: pass over it. */
export type Decision = "descend" | "emit" | "skip";

/**
 * Members of an emitted object that the handler will not read: the splitter replaces their values with `null` before
 * JSON.parse, so they cost a pass of the byte scanner and no parsing, allocation or garbage collection. The rest of the
 * value is parsed as written. A member is dropped only when its key is written plainly (no escapes) and, for `nested`,
 * once the condition member has been seen earlier in the same object with the JSON text given; any doubt (the condition
 * key twice in one object, an escape in a key or the condition, a key or condition cut by a chunk boundary) keeps the
 * member.
 */
export interface Prune {
  /** Keys of the value's own members whose values are dropped. */
  drop?: readonly string[];
  /**
   * Keys dropped inside the member `parent` (an object) once its member `when.key` was written as `when.raw` (compact
   * JSON without escapes; whitespace between tokens is allowed in the document).
   */
  nested?: { parent: string; drop: readonly string[]; when: { key: string; raw: string } };
}

export interface SplitterHandlers {
  /** Chooses what to do with the value at a path. The root is path []. `at`: the offset of its first byte. */
  decide(path: readonly PathSegment[], at: number): Decision;
  /** Members of the emitted object at this path that may be dropped unread (called once per emitted container). */
  prune?(path: readonly PathSegment[]): Prune | undefined;
  /** Receives each emitted value, parsed. May throw to stop reading (e.g. the document is not a plan). */
  onValue(path: readonly PathSegment[], value: unknown): void;
  /** Called for each key of a descended object before its value is handled. May throw to stop reading. */
  onKey?(path: readonly PathSegment[], key: string): void;
  /** Called when a descended container closes. */
  onClose?(path: readonly PathSegment[], end: number): void;
  /**
   * For a skipped container at `at`: the offset just past its end when the caller already knows it (another reader
   * has checked those bytes), so they are passed over unread; undefined to scan them.
   */
  skipTo?(path: readonly PathSegment[], at: number): number | undefined;
}

/**
 * Deepest nesting of objects and arrays the reader accepts in the values it parses and the containers it descends.
 * RFC 8259 §9 lets a parser limit depth; plans Terraform writes nest a few dozen levels, while code downstream
 * (configuration, masks, values) walks values recursively and the splitter's own paths grow with depth, so a hostile
 * 100k-level document would overflow the stack or exhaust memory. Skipped values may nest deeper, up to
 * SKIPPED_NESTING: they are passed over with a stack of one byte per level and nothing walks them.
 */
export const MAX_NESTING = 1000;
/** Deepest nesting of a skipped value (the scanner's bracket stack: 1 MiB). */
export const SKIPPED_NESTING = 1 << 20;

/** A syntax error at a byte offset, with line and column (1-based) and a description that quotes no input. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly pointer: string,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;


/** Escapes one JSON pointer segment (RFC 6901). */
function pointerSegment(s: PathSegment): string {
  return String(s).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function toPointer(path: readonly PathSegment[]): string {
  // Called for every resource change: plain segments (the usual case) skip the escaping regexes.
  let out = "";
  for (const s of path) out += typeof s === "number" || (s.indexOf("~") < 0 && s.indexOf("/") < 0) ? "/" + s : "/" + pointerSegment(s);
  return out;
}

interface Frame {
  kind: "object" | "array";
  path: PathSegment[];
  /** object: expecting 'key' | 'colon' | 'value' | 'comma'; array: 'value' | 'comma'. */
  state: "key" | "colon" | "value" | "comma";
  first: boolean;
  key: string;
  index: number;
}

/** A Prune as bytes, made once per Prune object. */
interface PruneBytes {
  drop: Buffer[];
  parent: Buffer | undefined;
  nestedDrop: Buffer[];
  whenKey: Buffer | undefined;
  whenRaw: Buffer | undefined;
}

const pruneBytes = new WeakMap<Prune, PruneBytes>();
function compilePrune(p: Prune): PruneBytes {
  let c = pruneBytes.get(p);
  if (c === undefined) {
    c = {
      drop: (p.drop ?? []).map((k) => Buffer.from(k)),
      parent: p.nested ? Buffer.from(p.nested.parent) : undefined,
      nestedDrop: (p.nested?.drop ?? []).map((k) => Buffer.from(k)),
      whenKey: p.nested ? Buffer.from(p.nested.when.key) : undefined,
      whenRaw: p.nested ? Buffer.from(p.nested.when.raw) : undefined,
    };
    pruneBytes.set(p, c);
  }
  return c;
}

/** True when chunk[from, to) holds exactly the bytes of `b`. */
function bytesAre(chunk: Buffer, from: number, to: number, b: Buffer): boolean {
  if (to - from !== b.length) return false;
  for (let k = 0; k < b.length; k++) if (chunk[from + k] !== b[k]) return false;
  return true;
}

/** True when chunk[from, to) is the JSON text `want` (written compactly, without escapes) give or take whitespace between tokens. */
function sameTokens(chunk: Buffer, from: number, to: number, want: Buffer): boolean {
  let k = 0;
  let inString = false;
  for (let i = from; i < to; i++) {
    const c = chunk[i]!;
    if (!inString && isWs(c)) continue;
    if (c === BACKSLASH) return false;
    if (c === QUOTE) inString = !inString;
    if (k >= want.length || want[k++] !== c) return false;
  }
  return k === want.length;
}

function anyIs(chunk: Buffer, from: number, to: number, list: readonly Buffer[]): boolean {
  for (const b of list) if (bytesAre(chunk, from, to, b)) return true;
  return false;
}

/**
 * The current parent object may hold the condition key twice (JSON.parse keeps the last, which may not be the one
 * read): what was dropped in it is kept after all, and nothing more in it is dropped.
 */
function doubt(p: PruneState): void {
  p.cuts.length = p.parentCuts;
  p.parentDoubt = true;
  p.whenMet = false;
}

function newPruneState(): PruneState {
  return { bytes: { drop: [], parent: undefined, nestedDrop: [], whenKey: undefined, whenRaw: undefined }, key1: false, key2: false, inParent: false, whenMet: false, whenSeen: 0, keyAt: 0, openAt: 0, memberFor: "drop", from: 0, cuts: [], started: false, inLiteral: false, abandoned: false, parentCuts: 0, parentDoubt: false };
}

/** Readies the splitter's one PruneState for the next emitted object (one value is scanned at a time). */
function startPrune(p: PruneState, bytes: PruneBytes): PruneState {
  p.bytes = bytes;
  p.key1 = true;
  p.key2 = false;
  p.inParent = false;
  p.whenMet = false;
  p.whenSeen = 0;
  p.keyAt = 0;
  p.openAt = 0;
  p.from = 0;
  p.cuts.length = 0;
  p.started = false;
  p.inLiteral = false;
  p.abandoned = false;
  p.parentCuts = 0;
  p.parentDoubt = false;
  return p;
}

/** A token begins at the top level of the open value: the second one makes the drop unsafe. */
function valueToken(p: PruneState): void {
  if (p.started) p.abandoned = true;
  p.started = true;
  p.inLiteral = false;
}

const NULL_TEXT = "null";

/** The text of `buf` (which starts at absolute offset `start`) with each [from, to) of `cuts` written as null. */
function withoutCuts(buf: Buffer, start: number, cuts: readonly number[]): string {
  let out = "";
  let at = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out += buf.toString("utf8", at, cuts[k]! - start) + NULL_TEXT;
    at = cuts[k + 1]! - start;
  }
  return out + buf.toString("utf8", at, buf.length);
}

/** Where a pruned scan is inside the emitted object (depths count the value's own brackets: its members are at 1). */
interface PruneState {
  bytes: PruneBytes;
  /** The next string at depth 1 / depth 2 is a key. */
  key1: boolean;
  key2: boolean;
  /** The current depth-1 member is `parent`. */
  inParent: boolean;
  /** The condition member was seen in the current parent object with the wanted bytes, and how often it was seen. */
  whenMet: boolean;
  whenSeen: number;
  /** The depth of a matched key waiting for its ':' (0: none). */
  keyAt: number;
  /** The depth of the matched member's value, from its ':' to the next ',' or '}' there (0: none). */
  openAt: number;
  /** What the matched member is: a value to drop, or the condition value to compare. */
  memberFor: "drop" | "when";
  /** The absolute offset just after the open member's ':'. */
  from: number;
  /** Absolute [from, to) ranges to replace with null, in order. */
  cuts: number[];
  /**
   * The open value's top level has begun (a string, bracket or literal seen at its depth), and a literal is under way.
   * A second token there is text JSON.parse would refuse (`"before":"a" "actions":["delete"]`): dropping it would hide
   * it, so the value is then parsed whole and refused.
   */
  started: boolean;
  inLiteral: boolean;
  /** Text JSON.parse would refuse: drop nothing in this value, so that parsing it whole says where. */
  abandoned: boolean;
  /** In the current parent object: the cuts made before it began, and whether its drops are off (see doubt()). */
  parentCuts: number;
  parentDoubt: boolean;
}

/** The bytes of a value or key read over chunks, and where it starts. */
interface Capture {
  pieces: Buffer[];
  /** Bytes in `pieces`, counted as it goes on over chunks. */
  bytes: number;
  startOffset: number;
  /** -1 until counted (see locate). */
  startLine: number;
  startColumn: number;
}

/** State of a value being scanned (captured for emit, or skipped). */
interface ValueScan extends Capture {
  capture: boolean;
  path: PathSegment[];
  kind: "container" | "string" | "literal";
  /**
   * The scanner's state for this value (see scan-core.ts) while another push may use the scanner: depth, in string,
   * escape pending, and the open brackets. Saved when a push ends inside the value, restored when the next begins.
   */
  saved: { depth: number; inString: number; escape: number; stack: Uint8Array } | undefined;
  /** Members to drop (emitted objects whose handler named some). */
  prune: PruneState | undefined;
}

/** The document nests objects and arrays deeper than MAX_NESTING (valid JSON, but more than the reader accepts). */
export class JsonDepthError extends JsonSyntaxError {
  constructor(
    offset: number,
    line: number,
    column: number,
    pointer: string,
    /** The limit passed: MAX_NESTING, or SKIPPED_NESTING in a skipped value. */
    readonly levels: number = MAX_NESTING,
  ) {
    super(`objects and arrays nest deeper than ${levels} levels`, offset, line, column, pointer);
    this.name = "JsonDepthError";
  }
}

export interface SplitterOptions {
  /** The byte scanner (scan-core.ts): WebAssembly by default when it is there, else TypeScript. */
  core?: "wasm" | "js";
  /** The most bytes of JSON text one handed-over value may have (default MAX_VALUE_BYTES; smaller in tests). */
  maxValueBytes?: number;
}

/**
 * The most bytes of JSON text one value handed to JSON.parse may have: the longest string V8 can hold (~512 MiB,
 * `buffer.constants.MAX_STRING_LENGTH`; in bytes, so a value of multi-byte text is refused a little early).
 */
export const MAX_VALUE_BYTES = constants.MAX_STRING_LENGTH;

/** One value's JSON text is longer than Node.js can hold in one string, so it cannot be parsed. */
export class JsonValueTooLargeError extends JsonSyntaxError {
  constructor(
    offset: number,
    line: number,
    column: number,
    pointer: string,
    /** The value's bytes (at least: counting stops once a value cannot be read). */
    readonly bytes: number,
    /** The limit passed. */
    readonly limit: number,
    /** A value, or an object key (whose pointer is its object's). */
    readonly what: "value" | "key" = "value",
  ) {
    super(`one ${what} is ${bytes} bytes of JSON, over the ${limit} one string can hold`, offset, line, column, pointer);
    this.name = "JsonValueTooLargeError";
  }
}

export class JsonSplitter {
  private readonly h: SplitterHandlers;
  private frames: Frame[] = [];
  private scan: ValueScan | undefined;
  /** The chunk push is reading (undefined between pushes). */
  private chunk: Buffer | undefined;
  /** Key being read in a descended object (may span chunks; starts at its opening quote). */
  private key: Capture | undefined;
  private keyEscapePending = false;
  private rootDone = false;
  private started = false;
  /** Bytes before this offset are passed over unread (a skipped value another reader has checked); 0: none. */
  private jumpTo = 0;
  /** The state of the pruned object being scanned, made once and reset for each (see startPrune). */
  private pruneState: PruneState | undefined;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  /** Lines counted up to `lineCursor` (absolute offset). */
  private line = 1;
  private lineStart = 0;
  private lineCursor = 0;
  private core: ScanCore;
  private readonly maxValueBytes: number;

  constructor(handlers: SplitterHandlers, opts: SplitterOptions = {}) {
    this.h = handlers;
    this.core = scanCore(opts.core);
    this.maxValueBytes = opts.maxValueBytes ?? MAX_VALUE_BYTES;
  }

  /** Which byte scanner this splitter uses. */
  get scanner(): "wasm" | "js" {
    return this.core.kind;
  }

  /**
   * Feeds the next chunk of bytes. The splitter keeps no view of the chunk once push returns (the part of a value
   * that goes on in the next chunk is copied), so the caller may read the next chunk into the same memory.
   */
  push(input: Buffer): void {
    // A chunk larger than the WebAssembly scanner's memory (4 MiB, the reader's chunk size; a caller's larger chunk or
    // UTF-16 decoded to UTF-8 can be larger) is read by the TypeScript scanner, from then on: cutting it into parts
    // would make boundaries the caller never made, where the prune keeps members it would drop. Between pushes a
    // value's state is saved (see save), so the next push restores it into the new scanner.
    if (input.length > this.core.room) this.core = scanCore("js");
    this.pushPart(input);
  }

  private pushPart(input: Buffer): void {
    // The scanner is the thread's, shared with other splitters that take turns; a handler that pushed to another
    // splitter during this push would overwrite this chunk in the scanner's memory.
    if (this.core.busy) throw new Error("a splitter's handler pushed to another splitter (they share one scanner)");
    this.core.busy = true;
    try {
      this.pushInto(this.core.load(input));
    } finally {
      this.core.busy = false;
    }
  }

  private pushInto(chunk: Buffer): void {
    // This value's scanner state comes back first (another splitter may have used the scanner since).
    if (this.scan?.saved) this.restore(this.scan);
    let i = 0;
    const n = chunk.length;
    this.chunk = chunk;
    while (i < n) {
      if (this.jumpTo > 0) {
        if (this.jumpTo >= this.base + n) {
          i = n;
          continue;
        }
        i = this.jumpTo - this.base;
        this.jumpTo = 0;
        this.afterValue();
        continue;
      }
      if (this.scan) {
        i = this.continueScan(chunk, i);
        continue;
      }
      if (this.key) {
        i = this.continueKey(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (isWs(c)) {
        i++;
        continue;
      }
      i = this.structural(chunk, i, c);
    }
    // A value or key parsed later that starts in this chunk: its start line, while the chunk is here to count it in.
    if (this.scan?.capture) this.locate(this.scan);
    if (this.key !== undefined) this.locate(this.key);
    if (this.scan !== undefined && this.scan.kind !== "literal") this.save(this.scan);
    this.chunk = undefined;
    this.advanceLines(chunk, n);
    this.base += n;
  }

  /** Signals the end of input; throws JsonSyntaxError when the document is incomplete. */
  end(): void {
    if (!this.started) throw this.syntaxError("the input is empty (no JSON document)", this.base, []);
    if (this.scan && this.scan.kind === "literal" && this.frames.length === 0) {
      this.finishScan(this.base);
    }
    if (this.scan || this.key || this.jumpTo > 0 || this.frames.length > 0 || !this.rootDone) {
      const path = this.scan?.path ?? this.frames[this.frames.length - 1]?.path ?? [];
      throw this.syntaxError("the JSON document ends early (truncated input?)", this.base, path);
    }
  }

  private save(s: ValueScan): void {
    const st = this.core.state;
    const depth = st[DEPTH]!;
    s.saved = { depth, inString: st[IN_STRING]!, escape: st[ESCAPE]!, stack: this.core.stack.slice(0, depth) };
  }

  private restore(s: ValueScan): void {
    const v = s.saved!;
    const st = this.core.state;
    st[DEPTH] = v.depth;
    st[IN_STRING] = v.inString;
    st[ESCAPE] = v.escape;
    this.core.stack.set(v.stack, 0);
    s.saved = undefined;
  }

  private advanceLines(chunk: Buffer, to: number): void {
    // Counts newlines between the cursor and `to` in this chunk; the cursor only moves forward.
    let from = this.lineCursor - this.base;
    if (from < 0) from = 0;
    // Search a view that ends at `to`: indexOf on the whole chunk would scan to the chunk's end on every call, and
    // this runs for every emitted value, which made reading one-line plans (terraform writes one line) quadratic.
    const view = to < chunk.length ? chunk.subarray(0, to) : chunk;
    while (from < to) {
      const j = view.indexOf(NEWLINE, from);
      if (j < 0) break;
      this.line++;
      this.lineStart = this.base + j + 1;
      from = j + 1;
    }
    this.lineCursor = this.base + to;
  }

  /**
   * Sets the line and column where a parsed value starts, once: only a syntax error inside it needs them, so they are
   * counted then, or when the chunk it starts in is done, not for each of the hundreds of thousands of values read.
   */
  private locate(s: Capture): void {
    if (s.startLine >= 0) return;
    const { line, column } = this.position(this.chunk, s.startOffset);
    s.startLine = line;
    s.startColumn = column;
  }

  private position(chunk: Buffer | undefined, at: number): { line: number; column: number } {
    if (chunk) this.advanceLines(chunk, at - this.base);
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  private depthError(at: number, path: readonly PathSegment[], chunk: Buffer, levels = MAX_NESTING): JsonDepthError {
    const { line, column } = this.position(chunk, at);
    return new JsonDepthError(at, line, column, toPointer(path), levels);
  }

  private syntaxError(message: string, at: number, path: readonly PathSegment[], chunk?: Buffer): JsonSyntaxError {
    const { line, column } = this.position(chunk, at);
    return new JsonSyntaxError(message, at, line, column, toPointer(path));
  }

  private childPath(frame: Frame): PathSegment[] {
    return [...frame.path, frame.kind === "object" ? frame.key : frame.index];
  }

  /** Handles one non-whitespace byte outside any scanned value. Returns the next index. */
  private structural(chunk: Buffer, i: number, c: number): number {
    const abs = this.base + i;
    if (this.rootDone) throw this.syntaxError("unexpected content after the end of the JSON document", abs, [], chunk);
    const frame = this.frames[this.frames.length - 1];
    if (!frame) {
      // Root value.
      this.started = true;
      return this.beginValue(chunk, i, c, []);
    }
    if (frame.kind === "object") {
      switch (frame.state) {
        case "key":
          if (c === RBRACE && frame.first) return this.closeFrame(i);
          if (c !== QUOTE) throw this.syntaxError(frame.first ? "expected an object key or '}'" : "expected an object key (a string)", abs, frame.path, chunk);
          this.key = { pieces: [], bytes: 0, startOffset: abs, startLine: -1, startColumn: 0 };
          this.keyEscapePending = false;
          return i + 1;
        case "colon":
          if (c !== COLON) throw this.syntaxError("expected ':' after an object key", abs, frame.path, chunk);
          frame.state = "value";
          return i + 1;
        case "value":
          return this.beginValue(chunk, i, c, this.childPath(frame));
        case "comma":
          if (c === COMMA) {
            frame.state = "key";
            frame.first = false;
            return i + 1;
          }
          if (c === RBRACE) return this.closeFrame(i);
          throw this.syntaxError("expected ',' or '}' in an object", abs, frame.path, chunk);
      }
    }
    // array
    if (frame.state === "value") {
      if (c === RBRACKET && frame.first) return this.closeFrame(i);
      return this.beginValue(chunk, i, c, this.childPath(frame));
    }
    if (c === COMMA) {
      frame.state = "value";
      frame.first = false;
      frame.index++;
      return i + 1;
    }
    if (c === RBRACKET) return this.closeFrame(i);
    throw this.syntaxError("expected ',' or ']' in an array", abs, frame.path, chunk);
  }

  private closeFrame(i: number): number {
    const frame = this.frames.pop()!;
    this.h.onClose?.(frame.path, this.base + i + 1);
    this.afterValue();
    return i + 1;
  }

  private afterValue(): void {
    const parent = this.frames[this.frames.length - 1];
    if (!parent) {
      this.rootDone = true;
      return;
    }
    parent.state = "comma";
  }

  private beginValue(chunk: Buffer, i: number, c: number, path: PathSegment[]): number {
    const decision = this.h.decide(path, this.base + i);
    const isContainer = c === LBRACE || c === LBRACKET;
    if (isContainer && this.frames.length >= MAX_NESTING) throw this.depthError(this.base + i, path, chunk);
    if (decision === "descend" && isContainer) {
      this.frames.push({ kind: c === LBRACE ? "object" : "array", path, state: c === LBRACE ? "key" : "value", first: true, key: "", index: 0 });
      return i + 1;
    }
    if (decision === "skip" && isContainer && this.h.skipTo) {
      const to = this.h.skipTo(path, this.base + i);
      if (to !== undefined && to > this.base + i) {
        this.jumpTo = to;
        return i;
      }
    }
    const startsLiteral =
      c === 0x2d || (c >= 0x30 && c <= 0x39) || (path.length > 0 ? c === 0x74 || c === 0x66 || c === 0x6e : /^(true|false|null)\b/.test(chunk.subarray(i, i + 6).toString("latin1")));
    if (!isContainer && c !== QUOTE && !startsLiteral) {
      throw this.syntaxError(path.length === 0 ? "expected a JSON value (the input does not start like JSON)" : "expected a value", this.base + i, path, chunk);
    }
    const abs = this.base + i;
    this.scan = {
      // Scalars under a descended container are tiny: always hand them over.
      capture: decision !== "skip",
      path,
      kind: isContainer ? "container" : c === QUOTE ? "string" : "literal",
      saved: undefined,
      pieces: [],
      bytes: 0,
      startOffset: abs,
      startLine: -1,
      startColumn: 0,
      prune: undefined,
    };
    if (isContainer && decision === "emit" && c === LBRACE && this.h.prune) {
      const p = this.h.prune(path);
      if (p !== undefined) {
        this.scan.prune = startPrune((this.pruneState ??= newPruneState()), compilePrune(p));
      }
    }
    if (isContainer || c === QUOTE) {
      const st = this.core.state;
      st[DEPTH] = isContainer ? 1 : 0;
      st[IN_STRING] = isContainer ? 0 : 1;
      st[ESCAPE] = 0;
      if (isContainer) this.core.stack[0] = c === LBRACE ? RBRACE : RBRACKET;
      return this.continueScan(chunk, i + 1, i);
    }
    return this.continueScan(chunk, i, i);
  }

  /** Scans the current value from index i; `from` is where this chunk's part of the value starts. */
  private continueScan(chunk: Buffer, i: number, from = i): number {
    const s = this.scan!;
    const n = chunk.length;
    if (s.kind === "literal") {
      let j = i;
      while (j < n) {
        const c = chunk[j]!;
        if (isWs(c) || c === COMMA || c === RBRACE || c === RBRACKET) break;
        j++;
      }
      if (s.capture) this.keep(s, j < n ? chunk.subarray(from, j) : Buffer.from(chunk.subarray(from, j)), s.path, "value", s.prune);
      if (j < n) this.finishScan(this.base + j);
      return j;
    }
    // The scanner passes over the value; with a prune, it stops at the bytes at depth 1 or 2 that pruneToken reads.
    const core = this.core;
    const st = core.state;
    const p = s.prune;
    const stop = p !== undefined ? 2 : 0;
    const limit = s.capture ? MAX_NESTING - this.frames.length : SKIPPED_NESTING;
    let j = i;
    // A literal read to the end of the last chunk ends here if whitespace follows (see pruneToken).
    if (p !== undefined && p.inLiteral && j < n && isWs(chunk[j])) p.inLiteral = false;
    for (;;) {
      if (p !== undefined) {
        st[OPEN_AT] = p.openAt;
        st[KEY_AT] = p.keyAt;
        st[KEY1] = p.key1 ? 1 : 0;
        st[KEY2] = p.key2 ? 1 : 0;
        st[IN_PARENT] = p.inParent ? 1 : 0;
      }
      j = core.scan(chunk, j, n, stop, limit);
      if (p !== undefined) {
        p.key1 = st[KEY1] !== 0;
        p.key2 = st[KEY2] !== 0;
      }
      let reason = st[REASON]!;
      if (reason === STOP) {
        j = this.pruneToken(s, p!, chunk, j, n);
        if (st[DEPTH] !== 0) continue;
        reason = VALUE_END;
      }
      if (reason === VALUE_END) {
        if (s.capture) this.keep(s, chunk.subarray(from, j), s.path, "value", s.prune);
        this.finishScan(this.base + j);
        return j;
      }
      if (reason === CHUNK_END) {
        if (s.capture) this.keep(s, Buffer.from(chunk.subarray(from, n)), s.path, "value", s.prune);
        return n;
      }
      if (reason === MISMATCH) throw this.mismatch(s, chunk, j);
      throw this.depthError(this.base + j, s.path, chunk, s.capture ? MAX_NESTING : SKIPPED_NESTING);
    }
  }

  /** A closing bracket at chunk[j] that does not match the open one. */
  private mismatch(s: ValueScan, chunk: Buffer, j: number): JsonSyntaxError {
    const depth = this.core.state[DEPTH]!;
    const want = depth > 0 ? this.core.stack[depth - 1] : undefined;
    const c = chunk[j];
    return this.syntaxError(
      want === undefined ? "unexpected closing bracket" : `expected '${want === RBRACE ? "}" : "]"}' but found '${c === RBRACE ? "}" : "]"}'`,
      this.base + j,
      s.path,
      chunk,
    );
  }

  /**
   * Reads the byte at chunk[j] of a pruned value where the scanner stopped (outside strings, at depth 1 or 2, where
   * the members the prune names and their keys are). Updates the scanner's state for it and returns where scanning
   * goes on; the value has ended when the depth is then 0.
   */
  private pruneToken(s: ValueScan, p: PruneState, chunk: Buffer, j: number, n: number): number {
    const st = this.core.state;
    const depth = st[DEPTH]!;
    const c = chunk[j]!;
    if (c === QUOTE) {
      if (p.openAt === depth) valueToken(p);
      if ((p.key1 && depth === 1) || (p.key2 && depth === 2)) {
        const end = this.pruneKey(p, chunk, j, depth);
        if (end > 0) return end;
      }
      st[IN_STRING] = 1;
      return j + 1;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (s.capture && this.frames.length + depth >= MAX_NESTING) throw this.depthError(this.base + j, s.path, chunk);
      if (p.openAt === depth) valueToken(p);
      this.core.stack[depth] = c === LBRACE ? RBRACE : RBRACKET;
      st[DEPTH] = depth + 1;
      if (depth + 1 === 2) {
        p.key2 = c === LBRACE && p.inParent;
        p.whenMet = false;
        p.whenSeen = 0;
        p.parentCuts = p.cuts.length;
        p.parentDoubt = false;
      }
      return j + 1;
    }
    if (c === COMMA || c === COLON) {
      this.prunePunct(p, chunk, j, c, depth);
      return j + 1;
    }
    if (c === RBRACE || c === RBRACKET) {
      if (p.openAt !== 0 && p.openAt === depth) this.pruneClose(p, chunk, j);
      if (this.core.stack[depth - 1] !== c) throw this.mismatch(s, chunk, j);
      st[DEPTH] = depth - 1;
      return j + 1;
    }
    // A literal (or a byte JSON.parse will refuse): read to its end here. At the top level of a value being dropped or
    // compared, it is a token, and a second one after whitespace is text JSON.parse would refuse (see valueToken).
    if (p.openAt === depth && !p.inLiteral) {
      valueToken(p);
      p.inLiteral = true;
    }
    let k = j + 1;
    while (k < n) {
      const b = chunk[k]!;
      if (b === QUOTE || b === COMMA || b === COLON || b === LBRACE || b === LBRACKET || b === RBRACE || b === RBRACKET) break;
      if (isWs(b)) {
        p.inLiteral = false;
        break;
      }
      k++;
    }
    return k;
  }

  /**
   * A string at key position in a pruned value, at `depth` (1 or 2), opening at chunk[j]. Returns the index after its
   * closing quote when it was read here, or 0 to let the ordinary string scan take it (an escape inside, or the key
   * goes on in the next chunk: such a key is kept).
   */
  private pruneKey(p: PruneState, chunk: Buffer, j: number, depth: number): number {
    if (depth === 1) p.key1 = false;
    else p.key2 = false;
    // The scanner found where the key ends, or that an escape or the chunk's end comes first: the ordinary string
    // scan then reads it.
    const q = this.core.state[KEY_END]!;
    if (q < 0) {
      this.unreadableKey(p, depth);
      return 0;
    }
    const b = p.bytes;
    if (depth === 1) {
      p.inParent = b.parent !== undefined && bytesAre(chunk, j + 1, q, b.parent);
      if (anyIs(chunk, j + 1, q, b.drop)) {
        p.keyAt = 1;
        p.memberFor = "drop";
      }
    } else if (p.inParent) {
      if (b.whenKey !== undefined && bytesAre(chunk, j + 1, q, b.whenKey)) {
        if (++p.whenSeen > 1) doubt(p);
        p.whenMet = false;
        p.keyAt = 2;
        p.memberFor = "when";
      } else if (p.whenMet && !p.parentDoubt && anyIs(chunk, j + 1, q, b.nestedDrop)) {
        p.keyAt = 2;
        p.memberFor = "drop";
      }
    }
    return q + 1;
  }

  /**
   * A key this scan cannot compare (an escape in it, or cut by the chunk's end). At depth 1 it is not the parent; at
   * depth 2 inside the parent it may be the condition key written again, which JSON.parse would take.
   */
  private unreadableKey(p: PruneState, depth: number): void {
    if (depth === 1) p.inParent = false;
    else if (p.inParent) doubt(p);
  }

  /** A ',' or ':' outside strings in a pruned value. */
  private prunePunct(p: PruneState, chunk: Buffer, j: number, c: number, depth: number): void {
    if (c === COLON) {
      // A ':' at the top level of an open value is not JSON (`"before":"a":1`).
      if (p.openAt !== 0 && p.openAt === depth) p.abandoned = true;
      if (p.keyAt !== 0 && p.keyAt === depth) {
        p.openAt = depth;
        p.from = this.base + j + 1;
        p.keyAt = 0;
        p.started = false;
        p.inLiteral = false;
      }
      return;
    }
    if (p.openAt !== 0 && p.openAt === depth) this.pruneClose(p, chunk, j);
    if (depth <= 2 && this.core.stack[depth - 1] === RBRACE) {
      if (depth === 1) p.key1 = true;
      else p.key2 = p.inParent;
    }
  }

  /** The dropped or compared value that began at p.from ends before chunk[j] (a ',' or '}' at its depth). */
  private pruneClose(p: PruneState, chunk: Buffer, j: number): void {
    const to = this.base + j;
    // No value at all (`"before":,`) is not JSON either.
    if (!p.started) p.abandoned = true;
    if (p.memberFor === "drop") p.cuts.push(p.from, to);
    else {
      const from = p.from - this.base;
      // A value cut by a chunk boundary is not compared: the condition is then not met. (A second condition key in
      // the object has already turned its drops off: see doubt().)
      p.whenMet = from >= 0 && p.bytes.whenRaw !== undefined && sameTokens(chunk, from, j, p.bytes.whenRaw);
    }
    p.openAt = 0;
  }

  /**
   * Adds a part of a captured value or key. One that will be too long to convert is refused as soon as that is
   * certain, before the rest of it is held: at once unless it has a prune, whose dropped members may bring it under
   * the limit (finishScan checks it at its end).
   */
  private keep(c: Capture, piece: Buffer, path: readonly PathSegment[], what: "value" | "key", prune?: PruneState): void {
    c.pieces.push(piece);
    c.bytes += piece.length;
    if (c.bytes > this.maxValueBytes && (prune === undefined || prune.abandoned)) throw this.tooLarge(c, path, what);
  }

  private tooLarge(c: Capture, path: readonly PathSegment[], what: "value" | "key" = "value"): JsonValueTooLargeError {
    this.locate(c);
    return new JsonValueTooLargeError(c.startOffset, c.startLine, c.startColumn, toPointer(path), c.bytes, this.maxValueBytes, what);
  }

  private finishScan(endOffset: number): void {
    const s = this.scan!;
    this.scan = undefined;
    if (s.capture) {
      let buf: Buffer;
      try {
        buf = s.pieces.length === 1 ? s.pieces[0]! : Buffer.concat(s.pieces);
      } catch (e) {
        if (e instanceof RangeError) throw this.tooLarge(s, s.path); // over the largest Buffer
        throw e;
      }
      let value: unknown;
      const cuts = s.prune !== undefined && !s.prune.abandoned ? s.prune.cuts : undefined;
      if (cuts !== undefined && cuts.length > 0) {
        try {
          value = JSON.parse(withoutCuts(buf, s.startOffset, cuts));
          this.h.onValue(s.path, value);
          this.afterValue();
          return;
        } catch {
          // Parsed again whole below, which says where the error is.
        }
      }
      if (s.bytes > this.maxValueBytes) throw this.tooLarge(s, s.path);
      let text: string;
      try {
        text = buf.toString("utf8");
      } catch (e) {
        if (e instanceof RangeError || (e instanceof Error && (e as { code?: unknown }).code === "ERR_STRING_TOO_LONG")) throw this.tooLarge(s, s.path);
        throw e;
      }
      try {
        value = JSON.parse(text);
      } catch {
        const problem = locateJsonError(text) ?? { offset: 0, message: "invalid JSON value" };
        this.locate(s);
        const before = text.slice(0, problem.offset);
        const nl = before.lastIndexOf("\n");
        const lines = before.split("\n").length - 1;
        const line = s.startLine + lines;
        const column = nl < 0 ? s.startColumn + Buffer.byteLength(before) : Buffer.byteLength(before.slice(nl + 1)) + 1;
        throw new JsonSyntaxError(problem.message, s.startOffset + Buffer.byteLength(before), line, column, toPointer(s.path));
      }
      this.h.onValue(s.path, value);
    }
    void endOffset;
    this.afterValue();
  }

  private continueKey(chunk: Buffer, i: number): number {
    const n = chunk.length;
    let j = i;
    while (j < n) {
      if (this.keyEscapePending) {
        this.keyEscapePending = false;
        j++;
        continue;
      }
      const q = chunk.indexOf(QUOTE, j);
      if (q < 0) {
        let k = n - 1;
        let run = 0;
        while (k >= j && chunk[k] === BACKSLASH) {
          run++;
          k--;
        }
        this.keyEscapePending = run % 2 === 1;
        this.keepKey(Buffer.from(chunk.subarray(i, n)));
        return n;
      }
      let k = q - 1;
      let run = 0;
      while (k >= j && chunk[k] === BACKSLASH) {
        run++;
        k--;
      }
      j = q + 1;
      if (run % 2 === 1) continue;
      const pieces = this.keepKey(chunk.subarray(i, q));
      const raw = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
      this.key = undefined;
      const frame = this.frames[this.frames.length - 1]!;
      let key: string;
      try {
        key = JSON.parse('"' + raw.toString("utf8") + '"') as string;
      } catch {
        throw this.syntaxError("invalid object key (bad escape or control character)", this.base + q, frame.path, chunk);
      }
      frame.key = key;
      frame.state = "colon";
      this.h.onKey?.(frame.path, key);
      return j;
    }
    this.keepKey(Buffer.from(chunk.subarray(i, n)));
    return n;
  }

  /** Adds a part of the key being read (a key too long to convert is refused at its opening quote); its pieces. */
  private keepKey(piece: Buffer): Buffer[] {
    const key = this.key!;
    this.keep(key, piece, this.frames[this.frames.length - 1]!.path, "key");
    return key.pieces;
  }
}
