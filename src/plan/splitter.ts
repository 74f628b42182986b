// Incremental JSON splitter: reads a document in byte chunks and JSON.parses only the sub-values a caller asks for.
//
// Why: Node 20 cannot hold a string over ~512 MiB, so whole-file JSON.parse fails on large plans, and the parsed tree
// of a plan costs ~4x the file. The splitter walks the structure byte by byte (jumping over strings with indexOf),
// descends into the containers the caller names, JSON.parses each selected value on its own and skips the rest
// without building anything.

import { locateJsonError } from "./json-error.js";

export type PathSegment = string | number;
/** descend: walk into this container; emit: parse this value and hand it over; skip: pass over it. */
export type Decision = "descend" | "emit" | "skip";

export interface SplitterHandlers {
  /** Chooses what to do with the value at a path. The root is path []. */
  decide(path: readonly PathSegment[]): Decision;
  /** Receives each emitted value, parsed. May throw to stop reading (e.g. the document is not a plan). */
  onValue(path: readonly PathSegment[], value: unknown): void;
  /** Called for each key of a descended object before its value is handled. May throw to stop reading. */
  onKey?(path: readonly PathSegment[], key: string): void;
  /** Called when a descended container closes. */
  onClose?(path: readonly PathSegment[]): void;
}

/**
 * Deepest nesting of objects and arrays the reader accepts in the values it parses and the containers it descends.
 * RFC 8259 §9 lets a parser limit depth; plans Terraform writes nest a few dozen levels, while code downstream
 * (configuration, masks, values) walks values recursively and the splitter's own paths grow with depth, so a hostile
 * 100k-level document would overflow the stack or exhaust memory. Skipped values may nest deeper: they are passed
 * over with a bracket counter and nothing walks them.
 */
export const MAX_NESTING = 1000;

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

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

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

/** State of a value being scanned (captured for emit, or skipped). */
interface ValueScan {
  capture: boolean;
  path: PathSegment[];
  kind: "container" | "string" | "literal";
  /** Open brackets inside a container value, as their closing byte. */
  brackets: number[];
  inString: boolean;
  /** The previous chunk ended in the middle of an escape (an odd run of backslashes) inside a string. */
  escapePending: boolean;
  pieces: Buffer[];
  startOffset: number;
  /** -1 until counted (see locate). */
  startLine: number;
  startColumn: number;
}

/** The document nests objects and arrays deeper than MAX_NESTING (valid JSON, but more than the reader accepts). */
export class JsonDepthError extends JsonSyntaxError {
  constructor(offset: number, line: number, column: number, pointer: string) {
    super(`objects and arrays nest deeper than ${MAX_NESTING} levels`, offset, line, column, pointer);
    this.name = "JsonDepthError";
  }
}

export class JsonSplitter {
  private readonly h: SplitterHandlers;
  private frames: Frame[] = [];
  private scan: ValueScan | undefined;
  /** The chunk push is reading (undefined between pushes). */
  private chunk: Buffer | undefined;
  /** Key being read in a descended object (may span chunks). */
  private keyPieces: Buffer[] | undefined;
  private keyEscapePending = false;
  private rootDone = false;
  private started = false;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  /** Lines counted up to `lineCursor` (absolute offset). */
  private line = 1;
  private lineStart = 0;
  private lineCursor = 0;

  constructor(handlers: SplitterHandlers) {
    this.h = handlers;
  }

  /**
   * Feeds the next chunk of bytes. The splitter keeps no view of the chunk once push returns (the part of a value
   * that goes on in the next chunk is copied), so the caller may read the next chunk into the same memory.
   */
  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    this.chunk = chunk;
    while (i < n) {
      if (this.scan) {
        i = this.continueScan(chunk, i);
        continue;
      }
      if (this.keyPieces) {
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
    // A value parsed later that starts in this chunk: its start line, while the chunk is here to count it in.
    if (this.scan?.capture) this.locate(this.scan);
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
    if (this.scan || this.keyPieces || this.frames.length > 0 || !this.rootDone) {
      const path = this.scan?.path ?? this.frames[this.frames.length - 1]?.path ?? [];
      throw this.syntaxError("the JSON document ends early (truncated input?)", this.base, path);
    }
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
  private locate(s: ValueScan): void {
    if (s.startLine >= 0) return;
    const { line, column } = this.position(this.chunk, s.startOffset);
    s.startLine = line;
    s.startColumn = column;
  }

  private position(chunk: Buffer | undefined, at: number): { line: number; column: number } {
    if (chunk) this.advanceLines(chunk, at - this.base);
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  private depthError(at: number, path: readonly PathSegment[], chunk: Buffer): JsonDepthError {
    const { line, column } = this.position(chunk, at);
    return new JsonDepthError(at, line, column, toPointer(path));
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
          this.keyPieces = [];
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
    this.h.onClose?.(frame.path);
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
    const decision = this.h.decide(path);
    const isContainer = c === LBRACE || c === LBRACKET;
    if (isContainer && this.frames.length >= MAX_NESTING) throw this.depthError(this.base + i, path, chunk);
    if (decision === "descend" && isContainer) {
      this.frames.push({ kind: c === LBRACE ? "object" : "array", path, state: c === LBRACE ? "key" : "value", first: true, key: "", index: 0 });
      return i + 1;
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
      brackets: [],
      inString: false,
      escapePending: false,
      pieces: [],
      startOffset: abs,
      startLine: -1,
      startColumn: 0,
    };
    if (isContainer) {
      this.scan.brackets.push(c === LBRACE ? RBRACE : RBRACKET);
      return this.continueScan(chunk, i + 1, i);
    }
    if (c === QUOTE) {
      this.scan.inString = true;
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
      if (s.capture) s.pieces.push(j < n ? chunk.subarray(from, j) : Buffer.from(chunk.subarray(from, j)));
      if (j < n) this.finishScan(this.base + j);
      return j;
    }
    let j = i;
    while (j < n) {
      if (s.inString) {
        if (s.escapePending) {
          s.escapePending = false;
          j++;
          continue;
        }
        const q = chunk.indexOf(QUOTE, j);
        if (q < 0) {
          // The string goes on in the next chunk; remember whether the chunk ends in an unfinished escape.
          let k = n - 1;
          let run = 0;
          while (k >= j && chunk[k] === BACKSLASH) {
            run++;
            k--;
          }
          s.escapePending = run % 2 === 1;
          j = n;
          break;
        }
        let k = q - 1;
        let run = 0;
        while (k >= j && chunk[k] === BACKSLASH) {
          run++;
          k--;
        }
        j = q + 1;
        if (run % 2 === 1) continue; // escaped quote
        s.inString = false;
        if (s.kind === "string") {
          if (s.capture) s.pieces.push(chunk.subarray(from, j));
          this.finishScan(this.base + j);
          return j;
        }
        continue;
      }
      const c = chunk[j]!;
      if (c === QUOTE) {
        s.inString = true;
      } else if (c === LBRACE || c === LBRACKET) {
        if (s.capture && this.frames.length + s.brackets.length >= MAX_NESTING) throw this.depthError(this.base + j, s.path, chunk);
        s.brackets.push(c === LBRACE ? RBRACE : RBRACKET);
      } else if (c === RBRACE || c === RBRACKET) {
        const want = s.brackets.pop();
        if (want !== c) {
          throw this.syntaxError(
            want === undefined ? "unexpected closing bracket" : `expected '${want === RBRACE ? "}" : "]"}' but found '${c === RBRACE ? "}" : "]"}'`,
            this.base + j,
            s.path,
            chunk,
          );
        }
        if (s.brackets.length === 0) {
          j++;
          if (s.capture) s.pieces.push(chunk.subarray(from, j));
          this.finishScan(this.base + j);
          return j;
        }
      }
      j++;
    }
    if (s.capture) s.pieces.push(Buffer.from(chunk.subarray(from, n)));
    return n;
  }

  private finishScan(endOffset: number): void {
    const s = this.scan!;
    this.scan = undefined;
    if (s.capture) {
      const buf = s.pieces.length === 1 ? s.pieces[0]! : Buffer.concat(s.pieces);
      const text = buf.toString("utf8");
      let value: unknown;
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
        this.keyPieces!.push(Buffer.from(chunk.subarray(i, n)));
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
      this.keyPieces!.push(chunk.subarray(i, q));
      const raw = this.keyPieces!.length === 1 ? this.keyPieces![0]! : Buffer.concat(this.keyPieces!);
      this.keyPieces = undefined;
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
    this.keyPieces!.push(Buffer.from(chunk.subarray(i, n)));
    return n;
  }
}
