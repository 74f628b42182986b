// hcl2json gives every expression as a template string (`"${local.a}-b"`, `"${[for p in x : p.id]}"`). This
// finds the expressions inside one: each `${...}` interpolation and the collection/condition of each `%{...}`
// directive, with nesting and quoted strings followed. `$${` and `%%{` are literal text.

/** Index just past the quoted string starting at s[i] === '"' (interpolations inside it are followed). */
function skipString(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === '"') return i + 1;
    if ((ch === "$" || ch === "%") && s[i + 1] === "{") {
      i = skipBraces(s, i + 1);
      continue;
    }
    i++;
  }
  return i;
}

/** Index just past the `}` matching the `{` at s[i]. */
function skipBraces(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') {
      i = skipString(s, i);
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** The expressions (without `${` `}`) inside a template string; [] when it has none. */
export function templateExpressions(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if ((ch === "$" || ch === "%") && s[i + 1] === ch && s[i + 2] === "{") {
      i += 3; // `$${` / `%%{`: literal
      continue;
    }
    if ((ch === "$" || ch === "%") && s[i + 1] === "{") {
      const end = skipBraces(s, i + 1);
      const inner = s.slice(i + 2, Math.max(i + 2, end - 1)).trim();
      if (ch === "$") out.push(inner.replace(/^~|~$/g, "").trim());
      else {
        const d = inner.replace(/^~|~$/g, "").trim();
        const f = /^for\s+[A-Za-z_][\w-]*(?:\s*,\s*[A-Za-z_][\w-]*)?\s+in\s+([\s\S]+)$/.exec(d);
        const c = /^(?:if|else\s+if)\s+([\s\S]+)$/.exec(d);
        if (f) out.push(f[1]!.trim());
        else if (c) out.push(c[1]!.trim());
      }
      i = end;
      continue;
    }
    i++;
  }
  return out.filter((e) => e.length > 0);
}

/** Every string inside a JSON value (hcl2json output), depth first. */
export function* stringsIn(v: unknown): Generator<string> {
  if (typeof v === "string") yield v;
  else if (Array.isArray(v)) for (const x of v) yield* stringsIn(x);
  else if (v !== null && typeof v === "object") for (const x of Object.values(v)) yield* stringsIn(x);
}

/** `${expr}` -> `expr` when the whole string is one interpolation; undefined otherwise. */
export function soleExpression(s: string): string | undefined {
  if (!s.startsWith("${")) return undefined;
  if (skipBraces(s, 1) !== s.length) return undefined;
  return s.slice(2, -1).trim();
}
