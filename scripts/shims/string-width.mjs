// string-width for the bundled CLI. yargs (cliui, wrap-ansi) measures its help and usage text with string-width,
// whose module creates an Intl.Segmenter and compiles a \p{RGI_Emoji} regex when it loads: ~8 ms of every start,
// for help text that is ASCII. This is the measure string-width used before segmenters (v5-v7): ANSI codes,
// controls and zero-width marks count 0, East Asian wide characters 2 (get-east-asian-width, its own dependency), the
// rest 1. Emoji differ from string-width both ways (joined sequences count per code point, wider; a symbol made an
// emoji by U+FE0F counts 1, narrower): blastgate's help is plain ASCII, which test/cli/string-width-shim.test.ts
// holds it to, and usage errors go through blastgate's own diagnostics, not cliui. Used only by scripts/bundle.mjs.

import stripAnsi from "strip-ansi";
import { eastAsianWidth } from "get-east-asian-width";

export default function stringWidth(string, options = {}) {
  if (typeof string !== "string" || string.length === 0) return 0;
  const { ambiguousIsNarrow = true, countAnsiEscapeCodes = false } = options;
  const text = countAnsiEscapeCodes ? string : stripAnsi(string);
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i);
    if (cp > 0xffff) i++;
    if (cp >= 0x20 && cp < 0x7f) {
      width++;
      continue;
    }
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) continue;
    if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width += eastAsianWidth(cp, { ambiguousAsWide: !ambiguousIsNarrow });
  }
  return width;
}
