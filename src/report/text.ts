// Text safety for every report format: plan data (addresses, instance keys, messages built from them) is untrusted
// and may hold control characters, markup or newlines. One escaper per output language, each citing its rules.

import { DeferredArray, pendingArray } from "./deferred.js";

/**
 * Characters that must never reach an output as themselves: C0 and C1 controls (ANSI escapes start with ESC or
 * CSI), DEL, the Unicode line and paragraph separators (a line break to many readers), and the bidirectional
 * controls that can make displayed text differ from its bytes (CVE-2021-42574, "Trojan Source").
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Lone UTF-16 surrogates: not characters; XML and many JSON readers reject them. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replaces unsafe characters with a visible escape (`\x1b`, `\u202e`) so the text stays on one line and inert. */
export function visible(s: string): string {
  return s
    .replace(UNSAFE, (c) => {
      const cp = c.charCodeAt(0);
      return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
    })
    .replace(LONE_SURROGATE, "\ufffd");
}

/** Shortens to at most `max` characters (an ellipsis marks the cut), never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  // Plan data is untrusted: a hand-edited plan can put an array where Terraform writes a string.
  const s = typeof text === "string" ? text : String(text);
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return s.slice(0, cut) + "…";
}

/** `1 thing`, `2 things`. */
export function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Markdown (CommonMark + GitHub Flavored Markdown) inline text, never placed at the start of a line: the punctuation
 * that starts inline markup is backslash-escaped (CommonMark §2.4), `|` included so table cells stay whole
 * (GFM §4.10: "include a pipe in a cell's content by escaping it, including inside other inline spans"); `&`, `<`
 * and `>` become entities so no HTML survives; `$` is escaped against GitHub's math; `@` gets a zero-width space
 * so no one is mentioned (the same trick Renovate and Dependabot use). Newlines and controls become visible first.
 */
export function md(s: string): string {
  return visible(s)
    .replace(/[\\`*_[\]|~$]/g, (c) => "\\" + c)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/@/g, "@&#8203;");
}

/** An address or other identifier in Markdown: inline HTML `<code>` (a code span could be closed by a backtick). */
export function mdCode(s: string): string {
  return `<code>${md(s)}</code>`;
}

/** XML 1.0 text and attribute values: the five predefined entities; controls (not allowed in XML 1.0) made visible. */
export function xml(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}
const XML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** HTML text and double- or single-quoted attribute values (HTML Living Standard §13.1.2.6 and 13.2.5). */
export const html = xml;

/**
 * JSON for an HTML `<script type="application/json">` block: `<`, `>` and `&` as \u escapes so `</script>` or `<!--`
 * in the data cannot end the block, and U+2028/2029 escaped for older JavaScript parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A Graphviz DOT double-quoted string (DOT language: `\"` is the only escape; `\\` keeps label escapes like `\N` inert). */
export function dotString(s: string): string {
  return `"${visible(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * A Mermaid label, in double quotes: every character other than letters, digits and `space . _ / -` becomes a
 * Mermaid entity code (`#35;`), so quotes, brackets, pipes, `<`, backticks and `%%` cannot end the label, start
 * markup or a comment, or close a Markdown code fence.
 */
export function mermaidLabel(s: string): string {
  let out = "";
  for (const ch of visible(s)) {
    out += /^[A-Za-z0-9 ._/-]$/.test(ch) ? ch : `#${ch.codePointAt(0)!};`;
  }
  return `"${out}"`;
}

/**
 * GitHub Actions workflow command data (the message after `::`): `%`, CR and LF are percent-encoded, as the runner's
 * own toolkit does (actions/toolkit: packages/core/src/command.ts, escapeData). Other controls made visible.
 */
export function ghData(s: string): string {
  return s
    .replace(/%/g, "%25")
    .replace(/\r/g, "%0D")
    .replace(/\n/g, "%0A")
    .replace(UNSAFE, (c) => visible(c));
}

/** GitHub Actions workflow command property values: as data, plus `:` and `,` which end a property (escapeProperty). */
export function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** A path as a URI reference (RFC 3986): each segment percent-encoded, `/` kept; backslashes read as separators. */
export function pathToUri(p: string): string {
  return p
    .replace(/\\/g, "/")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/**
 * JSON text whose strings carry no raw C1 control, line separator or bidi control: JSON.stringify escapes only
 * U+0000-001F, and a C1 CSI (U+009B) or U+202E reaching a terminal through `cat report.json` would act. The \u
 * escapes parse to the same value.
 */
export function safeJson(value: unknown, indent?: number): string {
  return escapeJsonText(jsonText(value, indent));
}

/** JSON.stringify's text; a value with none (undefined, a function) is an error, not "undefined" in a report. */
function jsonText(value: unknown, indent?: number | string): string {
  const text = JSON.stringify(value, null, indent) as string | undefined;
  if (text === undefined) throw new TypeError("the value has no JSON text");
  return text;
}

// Two classes, not one: V8 runs a regular expression interpreted the first time, and over a long one-byte string
// the interpreter takes the single class mixing Latin-1 and wider ranges about ten times slower.
const JSON_UNSAFE = /[\x7f-\x9f]|[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_ALL = new RegExp(JSON_UNSAFE.source, "g");

/**
 * The escaping of safeJson on JSON text. A test first: replace copies even when it finds nothing, test does not. And
 * before the expression, a native count: text whose UTF-8 is as long as it is holds only ASCII, where DEL (\x7f) is
 * the one character to escape (the expression costs 0.7-1 ns a character, the count and the search ~0.2: 0.3 s of a
 * 380 MiB report).
 */
function escapeJsonText(text: string): string {
  if (Buffer.byteLength(text, "utf8") === text.length && !text.includes("\x7f")) return text;
  return JSON_UNSAFE.test(text) ? text.replace(JSON_UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : text;
}

/** Short text is joined into pieces of at least this many characters; longer text is a piece by itself. */
const PIECE_CHARS = 1 << 16;
/** Characters per JSON.stringify call over a run of array elements, which grows or shrinks to about this. */
const BATCH_CHARS = 1 << 16;
/** Text at least this long is not joined to the short texts around it. */
const LONE_CHARS = BATCH_CHARS / 4;
/**
 * A container with more array elements than this within three levels (a destructive change's blast radius and its
 * paths, a rule's addresses) is walked below `depth`: stringified whole it was one string of up to megabytes, which
 * V8 keeps in memory of its own, mapped fresh (page faults) and unmapped again each time (docs/performance.md, item 32).
 */
const BIG_ARRAY = 256;
/** Elements of a deferred array made at a time while it is written. */
const DEFERRED_WINDOW = 1024;

function hasToJSON(v: unknown): boolean {
  return v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function";
}

function isPlainContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== "object" || hasToJSON(v)) return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * safeJson(value, indent) as pieces, made as they are asked for, whose concatenation is exactly that text: a large
 * report is written piece by piece and never held as one string (a string over ~512 MiB cannot exist at all), and each
 * piece is garbage once written. Plain objects and arrays are walked `depth` levels deep; below that JSON.stringify
 * does the work, on runs of array elements and of an object's other members at once. Each run is stringified inside
 * as many wrapping arrays as it is nested, so JSON.stringify itself writes the indentation, and the wrapping is cut
 * off again. `indent` must be at least 1 (the cuts are at line breaks).
 */
export function* safeJsonPieces(value: unknown, indent: number, depth: number, bigArray = BIG_ARRAY): Generator<string, void, undefined> {
  if (!(indent >= 1)) throw new RangeError("safeJsonPieces needs an indent of at least 1");
  const gap = " ".repeat(Math.min(10, Math.floor(indent)));
  const pad: string[] = [""];
  const padOf = (level: number): string => (pad[level] ??= padOf(level - 1) + gap);
  /**
   * The members of `container` (its elements or `"key": value` lines) as JSON.stringify writes them when the
   * container's brackets are at nesting `level` - 1: from the first member's indentation to the last member's end;
   * "" when it has none. JSON.stringify decides everything (toJSON, undefined, escapes), as in the whole document.
   */
  const members = (container: object, level: number): string => {
    let wrapped: unknown = container;
    for (let i = 1; i < level; i++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, gap);
    // Before the members, per level: indentation, an opening bracket and "\n"; after them: "\n", indentation and a
    // closing bracket. An empty container is "[]" or "{}" instead.
    let edge = 0;
    for (let i = 0; i < level; i++) edge += padOf(i).length + 2;
    if (text.charCodeAt(edge - 1) !== 10) return "";
    return text.slice(edge, text.length - edge);
  };
  /**
   * The text of element `index` of an array at nesting `level` - 1 that has a toJSON method: toJSON is told its key,
   * the index, so it is stringified as that member of an object (an element without text is null, as in an array).
   */
  const keyedElement = (v: unknown, index: number, level: number): string => {
    const key = String(index);
    const m = members({ [key]: v }, level);
    return m === "" ? "null" : m.slice(padOf(level).length + JSON.stringify(key).length + 2);
  };
  /** The elements of the plain arrays in `v` down to `levels` levels below it, counted until past `budget`. */
  const weight = (v: unknown, levels: number, budget: number): number => {
    if (!isPlainContainer(v)) return 0;
    let n = 0;
    if (Array.isArray(v)) {
      n = v.length;
      if (n > budget || levels === 0) return n;
      for (const x of v) if ((n += weight(x, levels - 1, budget - n)) > budget) return n;
      return n;
    }
    if (levels === 0) return 0;
    for (const key in v) if ((n += weight(v[key], levels - 1, budget - n)) > budget) return n;
    return n;
  };
  const big = (v: unknown): boolean => weight(v, 3, bigArray) > bigArray;
  /** How deep to walk a big container at `level`: an array's elements, or an object's members' elements, are batched. */
  const bigLimit = (v: unknown, level: number): number => level + (Array.isArray(v) ? 1 : 2);
  /**
   * The text of `v`, enclosed in `level` containers (element `index` when in an array), in order; containers are
   * walked down to level `limit` (`depth`, or two levels below a big one).
   */
  function* walk(v: unknown, level: number, index: number, limit: number): Generator<string, void, undefined> {
    // A deferred array is only passed down above `limit` (walkObject), and walkArray writes one at any level.
    if (v instanceof DeferredArray || (level < limit && Array.isArray(v))) yield* walkArray(v, level, limit);
    else if (level < limit && isPlainContainer(v)) yield* walkObject(v as Record<string, unknown>, level, limit);
    else if (level === 0) yield jsonText(v, gap);
    else if (hasToJSON(v)) yield keyedElement(v, index, level);
    // A value inside an array: its text as an element at this nesting (undefined becomes null).
    else yield members([v], level).slice(padOf(level).length);
  }
  /** An array (or a deferred one: its elements are made a window at a time, and are garbage once written). */
  function* walkArray(v: unknown[] | DeferredArray, level: number, limit: number): Generator<string, void, undefined> {
    const n = v.length;
    if (n === 0) {
      yield "[]";
      return;
    }
    const inner = padOf(level + 1);
    yield "[\n";
    const windowSize = Array.isArray(v) ? n : DEFERRED_WINDOW;
    for (let w0 = 0; w0 < n; w0 += windowSize) {
      const els = Array.isArray(v) ? v : v.slice(w0, Math.min(n, w0 + windowSize));
      if (level + 1 < limit) {
        for (let i = 0; i < els.length; i++) {
          yield w0 + i === 0 ? inner : ",\n" + inner;
          yield* walk(els[i], level + 1, w0 + i, limit);
        }
        continue;
      }
      let count = 64;
      for (let i = 0; i < els.length; ) {
        if (w0 + i > 0) yield ",\n";
        // A run of elements up to the next one with a toJSON method (which is told its own index) or a big one, and
        // of at most bigArray array elements within them (elements of a few kilobytes each would overshoot the
        // count, made from the run before).
        let end = Math.min(els.length, i + count);
        let inRun = 0;
        for (let j = i; j < end; j++) {
          const x = els[j];
          const w = hasToJSON(x) ? Infinity : weight(x, 3, bigArray);
          if (w > bigArray || (j > i && (inRun += w) > bigArray)) end = j;
          else if (j === i) inRun = w;
        }
        if (end === i) {
          const x = els[i];
          if (hasToJSON(x)) yield inner + keyedElement(x, w0 + i, level + 1);
          else {
            yield inner;
            yield* walk(x, level + 1, w0 + i, bigLimit(x, level + 1));
          }
          i++;
          continue;
        }
        const m = members(els.slice(i, end), level + 1);
        yield m;
        count = Math.max(1, Math.min(16_384, Math.round((BATCH_CHARS * (end - i)) / Math.max(1, m.length))));
        i = end;
      }
    }
    yield "\n" + padOf(level) + "]";
  }
  /** A plain object's members. */
  function* walkObject(v: Record<string, unknown>, level: number, limit: number): Generator<string, void, undefined> {
    const inner = padOf(level + 1);
    // Deferred arrays among the walked members are walked without being made (reading the property would make it).
    const defers = level + 1 < limit;
    let opened = false;
    // Members that are not walked are stringified together, in their order (keys as JSON.stringify lists them).
    let rest: Record<string, unknown> | undefined;
    for (const key of [...Object.keys(v), undefined]) {
      const x = key === undefined ? undefined : ((defers ? pendingArray(v, key) : undefined) ?? v[key]);
      const deeper = key !== undefined && level + 1 >= limit && big(x);
      const walked = key !== undefined && (level + 1 < limit || deeper) && (x instanceof DeferredArray || isPlainContainer(x));
      if (key !== undefined && !walked) {
        rest ??= Object.create(null) as Record<string, unknown>;
        rest[key] = x;
        continue;
      }
      if (rest !== undefined) {
        const m = members(rest, level + 1);
        rest = undefined;
        if (m !== "") {
          yield opened ? ",\n" + m : "{\n" + m;
          opened = true;
        }
      }
      if (key === undefined) break;
      yield (opened ? ",\n" : "{\n") + inner + JSON.stringify(key) + ": ";
      opened = true;
      yield* walk(x, level + 1, 0, deeper ? bigLimit(x, level + 1) : limit);
    }
    yield opened ? "\n" + padOf(level) + "}" : "{}";
  }
  // Short texts are joined; each piece is escaped on its own (every character escaped is one UTF-16 unit). A run of
  // members JSON.stringify wrote (about BATCH_CHARS) is a piece by itself: joining it to the short texts around it
  // copied the whole report once more (0.6 s of a 580k-change plan's 379 MiB report).
  let parts: string[] = [];
  let chars = 0;
  for (const text of walk(value, 0, 0, depth)) {
    if (text.length >= LONE_CHARS) {
      if (chars > 0) yield escapeJsonText(parts.join(""));
      parts = [];
      chars = 0;
      yield escapeJsonText(text);
      continue;
    }
    parts.push(text);
    chars += text.length;
    if (chars >= PIECE_CHARS) {
      yield escapeJsonText(parts.join(""));
      parts = [];
      chars = 0;
    }
  }
  if (chars > 0) yield escapeJsonText(parts.join(""));
}
