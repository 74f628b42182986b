// The escapers, one table per output language, with the cases that break each language.

import { describe, expect, it } from "vitest";
import { dotString, ghData, ghProperty, md, mermaidLabel, pathToUri, safeJson, scriptJson, truncate, visible, xml } from "../../src/report/text.js";

describe("escapers", () => {
  it.each([
    ["ESC[31m", "\x1b[31mred", "\\x1b[31mred"],
    ["newline and CR", "a\nb\rc", "a\\x0ab\\x0dc"],
    ["C1 CSI", "\x9b2J", "\\x9b2J"],
    ["bidi override", "abc\u202edef", "abc\\u202edef"],
    ["line separator", "a\u2028b", "a\\u2028b"],
    ["lone surrogate", "a\ud800b", "a\ufffdb"],
    ["emoji kept", "🔥é", "🔥é"],
  ])("visible: %s", (_n, input, out) => expect(visible(input)).toBe(out));

  it.each([
    ["pipes", "a|b", "a\\|b"],
    ["backticks", "a`b`", "a\\`b\\`"],
    ["HTML", "<img src=x>", "&lt;img src=x&gt;"],
    ["mention", "@octocat", "@&#8203;octocat"],
    ["emphasis and links", "*_[x](y)_*", "\\*\\_\\[x\\](y)\\_\\*"],
    ["backslash before a pipe", "a\\|b", "a\\\\\\|b"],
    ["math", "$x$", "\\$x\\$"],
    ["newline", "a\nb", "a\\\\x0ab"],
  ])("md: %s", (_n, input, out) => expect(md(input)).toBe(out));

  it("xml: entities and controls", () => expect(xml(`<a href="x">&'\x1b`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;\\x1b"));
  it("dot: quotes and backslashes", () => expect(dotString('a"b\\N')).toBe('"a\\"b\\\\N"'));
  it("mermaid: everything but plain characters as entity codes", () => expect(mermaidLabel('a["b"]|`<x>`')).toBe('"a#91;#34;b#34;#93;#124;#96;#60;x#62;#96;"'));
  it("script JSON cannot close the script block", () => expect(scriptJson({ a: "</script><!--" })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--"}'));
  it("safe JSON escapes C1 and bidi but parses to the same value", () => {
    const v = { a: "\x9b\u202e\u2028" };
    expect(safeJson(v)).toBe('{"a":"\\u009b\\u202e\\u2028"}');
    expect(JSON.parse(safeJson(v))).toEqual(v);
  });
  it.each([
    ["DEL in plain ASCII", "a\x7fb", '"a\\u007fb"'],
    ["one C1 character in plain ASCII", "x".repeat(70000) + "\x85", `"${"x".repeat(70000)}\\u0085"`],
    ["plain ASCII untouched", "a<b>&", '"a<b>&"'],
    ["non-ASCII that is safe", "é🔥", '"é🔥"'],
  ])("safe JSON: %s", (_n, input, out) => expect(safeJson(input)).toBe(out));

  // Workflow commands, as actions/toolkit escapes them (packages/core/src/command.ts).
  it.each([
    ["percent first", "100%", "100%25", "100%25"],
    ["CR and LF", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"],
    ["colon and comma end a property", "a:b,c", "a:b,c", "a%3Ab%2Cc"],
    ["a command in data stays data", "::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"],
  ])("github: %s", (_n, input, data, prop) => {
    expect(ghData(input)).toBe(data);
    expect(ghProperty(input)).toBe(prop);
  });

  it("paths become URI references", () => expect(pathToUri("envs/prod west/main#1.tf")).toBe("envs/prod%20west/main%231.tf"));
  it("truncate never splits a surrogate pair", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("ab🔥def", 4)).toBe("ab…");
  });
});
