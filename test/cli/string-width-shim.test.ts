// The bundled CLI measures yargs' help text with scripts/shims/string-width.mjs instead of string-width (whose module
// builds a segmenter and an emoji regex when it loads). The two must agree on everything help can hold, and the help
// must stay within that: plain text with ANSI colours.

import fc from "fast-check";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/paths.js";
// @ts-expect-error: a plain .mjs module of the build scripts, without types
import shim from "../../scripts/shims/string-width.mjs";

const lite = shim as (s: string, o?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number;

describe("the string-width shim of the CLI bundle", () => {
  it("agrees with string-width on printable ASCII with ANSI colour codes (property)", () => {
    const ansi = fc.constantFrom("\u001b[31m", "\u001b[0m", "\u001b[1;32m", "\u001b[39m", "");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), ansi)), (parts) => {
        const s = parts.map(([t, a]) => a + t).join("");
        expect(lite(s)).toBe(stringWidth(s));
      }),
      { seed: 20261127, numRuns: 500 },
    );
  });

  it("agrees on wide, combining, zero-width and control characters, and on the options", () => {
    // Outside the basic plane too (surrogate pairs): a wide CJK ideograph and a narrow mathematical letter.
    for (const s of ["日本語", "한국어 text", "e\u0301", "a\tb\n", "\u200bx\ufeff", "ü±§", "全角ＡＢ", "\u001b[31m日本\u001b[0m", "\u{20000}x", "\u{1d400}\u{1d401}", "a\u{20001}\u{1d402}b"]) {
      expect(lite(s), JSON.stringify(s)).toBe(stringWidth(s));
      expect(lite(s, { ambiguousIsNarrow: false }), JSON.stringify(s)).toBe(stringWidth(s, { ambiguousIsNarrow: false }));
      expect(lite(s, { countAnsiEscapeCodes: true }), JSON.stringify(s)).toBe(stringWidth(s, { countAnsiEscapeCodes: true }));
    }
    // Emoji are where the two differ (see the shim's header), both ways; help never holds them (the next test).
    expect(lite("👨‍👩‍👧")).toBeGreaterThan(stringWidth("👨‍👩‍👧"));
    expect(lite("✔\ufe0f")).toBeLessThan(stringWidth("✔\ufe0f"));
  });

  it("every command's --help is plain ASCII, where the shim and string-width agree", () => {
    for (const cmd of [[], ["check"], ["plan"], ["ci"], ["comment"], ["approve"], ["graph"], ["fingerprint"]]) {
      const r = runCli([...cmd, "--help"]);
      expect(r.status, cmd.join(" ")).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100);
      expect(/^[\x20-\x7e\n]*$/.test(r.stdout), `non-ASCII in ${cmd.join(" ")} --help`).toBe(true);
    }
  });
});
