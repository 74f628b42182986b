// Finding expressions in hcl2json template strings, and top-level blocks in .tf text without parsing.

import { describe, expect, it } from "vitest";
import { keepBlocks, topLevelBlocks } from "../../src/graph/hcl-blocks.js";
import { soleExpression, templateExpressions } from "../../src/graph/hcl-template.js";

describe("templateExpressions", () => {
  it.each([
    ["plain", []],
    ["${local.a}-b", ["local.a"]],
    ["lit $${x} and %%{y} ${local.b}", ["local.b"]],
    ['{"k": "${local.c}", "x": "${lookup(var.m, "key}")}"}\n', ["local.c", 'lookup(var.m, "key}")']],
    ["%{ for s in local.list }${s.name}%{ endfor }", ["local.list", "s.name"]],
    ["%{if local.on}x%{else}y%{endif}", ["local.on"]],
    ['${a ? "${b}" : c}', ['a ? "${b}" : c']],
    ["${~ local.t ~}", ["local.t"]],
  ])("%j -> %j", (s, want) => {
    expect(templateExpressions(s)).toEqual(want);
  });

  it("soleExpression unwraps a whole-string interpolation only", () => {
    expect(soleExpression("${terraform_data.a[0]}")).toBe("terraform_data.a[0]");
    expect(soleExpression("${a}-${b}")).toBeUndefined();
    expect(soleExpression("x${a}")).toBeUndefined();
  });
});

describe("topLevelBlocks", () => {
  const tf = [
    "# a comment with { brace",
    'resource "a" "b" {',
    '  x = "}"',
    "  y = <<-EOT",
    "    } not a brace",
    "  EOT",
    '  z = "${lookup(var.m, "}")}"',
    "}",
    "/* { */",
    "locals {",
    "  a = { b = 1 }",
    "}",
    "",
  ].join("\n");

  it("splits blocks, skipping braces in strings, heredocs and comments", () => {
    expect(topLevelBlocks(tf)?.map((b) => b.header)).toEqual(['resource "a" "b"', "locals"]);
  });

  it("blanks the blocks left out, keeping lines and columns", () => {
    const kept = keepBlocks(tf, (b) => b.header === "locals")!;
    expect(kept.split("\n").length).toBe(tf.split("\n").length);
    expect(kept.split("\n")[9]).toBe("locals {");
    expect(kept.split("\n")[1]!.trim()).toBe("");
    expect(keepBlocks(tf, () => false)).toBeUndefined();
  });

  it("gives up on unbalanced text (the parser reports it)", () => {
    expect(topLevelBlocks('resource "a" "b" {\n')).toBeUndefined();
    expect(keepBlocks('resource "a" "b" {\n', () => false)).toBe('resource "a" "b" {\n');
  });
});
