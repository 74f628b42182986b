// Locates the first JSON syntax error in a text and describes it without quoting the input (which may hold secrets).

export interface JsonSyntaxProblem {
  /** Index into the text (UTF-16 code units) where the problem is. */
  offset: number;
  /** What was expected and what was found, by kind only: never the input's own characters beyond one punctuation mark. */
  message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function describe(text: string, i: number): string {
  if (i >= text.length) return "the end of the input";
  const c = text[i]!;
  if ("{}[],:".includes(c)) return `'${c}'`;
  if (c === '"') return "a string";
  if (/[0-9-]/.test(c)) return "a number";
  if (/[A-Za-z]/.test(c)) return "a bare word";
  const code = c.charCodeAt(0);
  if (code < 0x20) return `a control character (U+${code.toString(16).padStart(4, "0").toUpperCase()})`;
  return "an unexpected character";
}

/**
 * Walks the text as JSON and returns the first problem, or undefined when it is valid JSON.
 * Iterative (explicit stack) so hostile nesting depth cannot overflow the call stack.
 */
export function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const n = text.length;
  const skipWs = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const err = (expected: string): JsonSyntaxProblem => ({ offset: i, message: `expected ${expected}, found ${describe(text, i)}` });

  const scanString = (): JsonSyntaxProblem | undefined => {
    // text[i] === '"'
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) break;
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: "invalid \\u escape in a string" };
          i += 6;
        } else if ('"\\/bfnrt'.includes(e)) i += 2;
        else return { offset: i, message: "invalid escape sequence in a string" };
        continue;
      }
      if (c < 0x20) return { offset: i, message: "unescaped control character in a string" };
      i++;
    }
    return { offset: n, message: "unterminated string (the input ends inside a string: truncated?)" };
  };
  const scanScalar = (): JsonSyntaxProblem | undefined => {
    const c = text[i];
    if (c === '"') return scanString();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return err("a value");
    i += m[0].length;
    return undefined;
  };

  // Stack of open containers: '{' or '['; state per container handled inline.
  const stack: string[] = [];
  skipWs();
  if (i >= n) return { offset: 0, message: "the input is empty" };
  // state: 'value' (expect a value), 'afterValue' (expect , or close), 'key' (expect key or close when first), 'colon'
  let state: "value" | "afterValue" | "key" | "keyOrClose" | "valueOrClose" = "value";
  for (;;) {
    skipWs();
    if (state === "value" || state === "valueOrClose") {
      if (state === "valueOrClose" && text[i] === "]") {
        i++;
        stack.pop();
        state = "afterValue";
        continue;
      }
      const c = text[i];
      if (c === "{") {
        stack.push("{");
        i++;
        state = "keyOrClose";
        continue;
      }
      if (c === "[") {
        stack.push("[");
        i++;
        state = "valueOrClose";
        continue;
      }
      if (i >= n) return err("a value");
      const p = scanScalar();
      if (p) return p;
      state = "afterValue";
      continue;
    }
    if (state === "key" || state === "keyOrClose") {
      if (state === "keyOrClose" && text[i] === "}") {
        i++;
        stack.pop();
        state = "afterValue";
        continue;
      }
      if (text[i] !== '"') return err("an object key (a string)");
      const p = scanString();
      if (p) return p;
      skipWs();
      if (text[i] !== ":") return err("':' after an object key");
      i++;
      state = "value";
      continue;
    }
    // afterValue
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) return { offset: i, message: `unexpected ${describe(text, i)} after the end of the JSON document` };
      return undefined;
    }
    const c = text[i];
    if (c === ",") {
      i++;
      state = top === "{" ? "key" : "value";
      continue;
    }
    if ((top === "{" && c === "}") || (top === "[" && c === "]")) {
      i++;
      stack.pop();
      continue;
    }
    if (i >= n) return { offset: n, message: `the input ends inside ${top === "{" ? "an object" : "an array"} (truncated?)` };
    return err(top === "{" ? "',' or '}'" : "',' or ']'");
  }
}
