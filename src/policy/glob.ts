// Globs for addresses, resource types and providers: `*` matches any run of characters, `?` one, the rest is literal.

// Addresses hold `[`, `]` and `"` (`module.app["eu"].aws_db_instance.main[0]`), which picomatch and minimatch read
// as character classes and quotes, so a glob library would misread the most common address patterns. Only `*` and `?`
// are special here; everything else, brackets included, matches itself.

const cache = new Map<string, RegExp>();
const MAX_CACHE = 10_000;

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\/]/g, "\\$&");
}

function body(pattern: string): string {
  let out = "";
  for (const c of pattern) {
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else out += escape(c);
  }
  // `**` is accepted as a synonym for `*` (which already crosses dots and brackets).
  return out.replace(/(?:\[\\s\\S\]\*)+/g, "[\\s\\S]*");
}

function compiled(key: string, source: string): RegExp {
  let re = cache.get(key);
  if (re === undefined) {
    re = new RegExp(source, "u");
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Whole-string glob match (resource types, providers, reasons). */
export function globMatch(pattern: string, text: string): boolean {
  return compiled(`g:${pattern}`, `^${body(pattern)}$`).test(text);
}

/**
 * Address glob match, like `-target`: the pattern matches the address itself or anything inside it, so `module.old`
 * matches `module.old.aws_s3_bucket.logs` and `module.old["eu"].x.y`, and `aws_instance.web` matches
 * `aws_instance.web[0]`, but `module.old` does not match `module.older.x.y`.
 */
export function addressMatch(pattern: string, address: string): boolean {
  return compiled(`a:${pattern}`, `^${body(pattern)}(?:[.[][\\s\\S]*)?$`).test(address);
}

/**
 * A matcher for many address patterns at once, equivalent to `patterns.some((p) => addressMatch(p, a))` but fast
 * for long lists of literal addresses (an analysis finding lists thousands): literals are looked up in a set, with
 * every prefix of the address that ends before a `.` or `[`.
 */
export function addressSetMatcher(patterns: readonly string[]): (address: string) => boolean {
  const literals = new Set<string>();
  const globs: string[] = [];
  for (const p of patterns) {
    if (p.includes("*") || p.includes("?")) globs.push(p);
    else literals.add(p);
  }
  return (address) => {
    if (literals.size > 0) {
      if (literals.has(address)) return true;
      for (let i = 1; i < address.length; i++) {
        const c = address[i];
        if ((c === "." || c === "[") && literals.has(address.slice(0, i))) return true;
      }
    }
    return globs.some((g) => addressMatch(g, address));
  };
}

export function anyAddressMatch(patterns: readonly string[], address: string): string | undefined {
  return patterns.find((p) => addressMatch(p, address));
}

/** A value written as one string or a list of them, as a list. */
export function asList(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}
