// Address and name globs: `*` and `?` only, brackets and quotes literal, `-target`-like containment for addresses.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressMatch, addressSetMatcher, globMatch } from "../../src/policy/glob.js";

describe("globs", () => {
  it.each([
    ["aws_db_*", "aws_db_instance", true],
    ["aws_db_*", "aws_dbx", false],
    ["*", "", true],
    ["a?c", "abc", true],
    ["a.c", "abc", false],
    ["(x)+", "(x)+", true],
    ["**", "anything.at[0]", true],
  ])("globMatch(%s, %s) = %s", (p, t, expected) => {
    expect(globMatch(p, t)).toBe(expected);
  });

  it.each([
    ["module.a", "module.a", true],
    ["module.a", "module.a.x.y", true],
    ["module.a", 'module.a["k"].x.y', true],
    ["module.a", "module.ab.x.y", false],
    ['module.a["k"]', 'module.a["k"].x.y', true],
    ['module.a["k"]', 'module.a["j"].x.y', false],
    ["x.y", "x.y[3]", true],
    ["*.y", "module.m.x.y", true],
  ])("addressMatch(%s, %s) = %s", (p, t, expected) => {
    expect(addressMatch(p, t)).toBe(expected);
  });

  it("addressSetMatcher agrees with addressMatch over many patterns", () => {
    const seg = fc.constantFrom("module", "a", "b", "x", "y", '["k"]', "[0]", "*", "?", "a.b");
    const addr = fc.array(seg, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(".").replace(/\.\[/g, "["));
    fc.assert(
      fc.property(fc.array(addr, { maxLength: 6 }), addr, (patterns, address) => {
        const a = address.replace(/[*?]/g, "z");
        expect(addressSetMatcher(patterns)(a)).toBe(patterns.some((p) => addressMatch(p, a)));
      }),
      { numRuns: 500 },
    );
  });
});
