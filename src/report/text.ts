// Text safety for every report format: plan data (addresses, instance keys, messages built from them) is untrusted
// and may hold control characters, markup or newlines. One escaper per output language, each citing its rules.

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
  return JSON.stringify(value, null, indent).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
