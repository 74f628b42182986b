// Finds the top-level blocks of a `.tf` file without parsing it, so only the blocks the graph needs (locals,
// module calls, resources with lifecycle or dynamic blocks) go through hcl2json, which costs about 1 ms per
// block after a ~350 ms start. Comments, quoted templates and heredocs are skipped so braces inside them do not
// count. Blocks left out are blanked to spaces, keeping every line and column where it was for error messages.

export interface TopBlock {
  /** Offset of the block's first header character. */
  start: number;
  /** Offset just past its closing brace. */
  end: number;
  /** `resource "aws_x" "y"`, `locals`, `module "m"`. */
  header: string;
}

/** Index just past a quoted template starting at s[i] === '"'. */
function skipQuoted(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "\\") i += 2;
    else if (ch === '"') return i + 1;
    else if (ch === "\n") return i; // unterminated on this line: let the parser report it
    else if ((ch === "$" || ch === "%") && s[i + 1] === "{" && s[i - 1] !== ch) i = skipCode(s, i + 2, "}");
    else i++;
  }
  return i;
}

/** Index just past a heredoc whose `<<` is at s[i]; undefined when it is not a heredoc opener. */
function skipHeredoc(s: string, i: number): number | undefined {
  const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(s.slice(i, i + 200));
  if (!m) return undefined;
  const marker = m[1]!;
  let p = i + m[0].length;
  while (p < s.length) {
    const nl = s.indexOf("\n", p);
    const line = s.slice(p, nl < 0 ? s.length : nl);
    if (line.trim() === marker) return nl < 0 ? s.length : nl;
    if (nl < 0) return s.length;
    p = nl + 1;
  }
  return s.length;
}

/** Skips code until the closing character at depth 0 (returns the index just past it). */
function skipCode(s: string, i: number, close: string): number {
  let depth = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "#" || (ch === "/" && s[i + 1] === "/")) {
      const nl = s.indexOf("\n", i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    if (ch === "/" && s[i + 1] === "*") {
      const e = s.indexOf("*/", i + 2);
      i = e < 0 ? s.length : e + 2;
      continue;
    }
    if (ch === '"') {
      i = skipQuoted(s, i);
      continue;
    }
    if (ch === "<" && s[i + 1] === "<") {
      const h = skipHeredoc(s, i);
      if (h !== undefined) {
        i = h;
        continue;
      }
    }
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    else if (ch === "}" || ch === "]" || ch === ")") {
      if (depth === 0 && ch === close) return i + 1;
      depth--;
    }
    i++;
  }
  return i;
}

/** The top-level blocks of a file; undefined when the braces do not balance (let hcl2json report the error). */
export function topLevelBlocks(s: string): TopBlock[] | undefined {
  const out: TopBlock[] = [];
  let i = 0;
  let headerStart = -1;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "#" || (ch === "/" && s[i + 1] === "/")) {
      const nl = s.indexOf("\n", i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    if (ch === "/" && s[i + 1] === "*") {
      const e = s.indexOf("*/", i + 2);
      i = e < 0 ? s.length : e + 2;
      continue;
    }
    if (ch === '"') {
      if (headerStart < 0) headerStart = i;
      i = skipQuoted(s, i);
      continue;
    }
    if (ch === "{") {
      if (headerStart < 0) return undefined;
      const end = skipCode(s, i + 1, "}");
      if (end > s.length || s[end - 1] !== "}") return undefined;
      out.push({ start: headerStart, end, header: s.slice(headerStart, i).trim() });
      headerStart = -1;
      i = end;
      continue;
    }
    if (ch === "=" || ch === "}") return undefined; // a top-level attribute or a stray brace: not for us to judge
    if (!/\s/.test(ch) && headerStart < 0) headerStart = i;
    i++;
  }
  return headerStart < 0 ? out : undefined;
}

/**
 * The file with only the blocks `keep` accepts; every other character except newlines becomes a space.
 * Undefined when no block is kept. When the file cannot be split, the whole text (the parser reports errors).
 */
export function keepBlocks(s: string, keep: (b: TopBlock, text: string) => boolean): string | undefined {
  const blocks = topLevelBlocks(s);
  if (!blocks) return s;
  const kept = blocks.filter((b) => keep(b, s.slice(b.start, b.end)));
  if (kept.length === 0) return undefined;
  let out = "";
  let at = 0;
  const blank = (t: string): string => t.replace(/[^\n]/g, " ");
  for (const b of kept) {
    out += blank(s.slice(at, b.start)) + s.slice(b.start, b.end);
    at = b.end;
  }
  return out + blank(s.slice(at));
}
