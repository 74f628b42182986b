// Reference parsing and the plan JSON's extra prefixes (PLAN_FORMAT §3), table-driven.

import { describe, expect, it } from "vitest";
import { parseReference, planReferences, type RefSubject } from "../../src/graph/refs.js";

const short = (s: RefSubject): string => {
  switch (s.kind) {
    case "resource":
      return `${s.mode}:${s.type}.${s.name}${s.key === undefined ? "" : `[${JSON.stringify(s.key)}]`}`;
    case "module":
      return `module:${s.name}${s.key === undefined ? "" : `[${JSON.stringify(s.key)}]`}${s.output ? "." + s.output : ""}`;
    case "var":
    case "local":
      return `${s.kind}:${s.name}`;
    case "ignored":
      return "ignored";
  }
};

describe("parseReference", () => {
  it.each([
    ["terraform_data.a", "managed:terraform_data.a"],
    ["terraform_data.a.output.nested[0]", "managed:terraform_data.a"],
    ["terraform_data.a[1].id", 'managed:terraform_data.a[1]'],
    ['terraform_data.b["with.dot"].id', 'managed:terraform_data.b["with.dot"]'],
    ['terraform_data.b["with\\"quote"]', 'managed:terraform_data.b["with\\"quote"]'],
    ['terraform_data.b["back\\\\slash"]', 'managed:terraform_data.b["back\\\\slash"]'],
    ['terraform_data.b["tmpl$${x}"]', 'managed:terraform_data.b["tmpl${x}"]'],
    ['terraform_data.b["[x]"].id', 'managed:terraform_data.b["[x]"]'],
    ["terraform_data.a[*].id", "managed:terraform_data.a"],
    ["terraform_data.a.*.id", "managed:terraform_data.a"],
    ["terraform_data.a.0.id", "managed:terraform_data.a[0]"],
    ["terraform_data.c[count.index].id", "managed:terraform_data.c"],
    ["data.aws_ami.x.id", "data:aws_ami.x"],
    ["module.m", "module:m"],
    ["module.m.out", "module:m.out"],
    ['module.m["k"].out.x', 'module:m["k"].out'],
    ["module.m[0]", "module:m[0]"],
    ["module.m[*].out", "module:m"],
    ["var.x", "var:x"],
    ["local.x", "local:x"],
    ["count.index", "ignored"],
    ["each.value.id", "ignored"],
    ["self.id", "ignored"],
    ["path.module", "ignored"],
    ["terraform.workspace", "ignored"],
    ["p", "ignored"],
  ])("%s names %s", (text, want) => {
    expect(short(parseReference(text)!)).toBe(want);
  });

  it("rejects text that is no reference", () => {
    expect(parseReference("")).toBeUndefined();
    expect(parseReference("1.5")).toBeUndefined();
    expect(parseReference("module")).toBeUndefined();
  });
});

describe("planReferences: undoes the prefixes terraform adds", () => {
  it.each([
    [["terraform_data.a[1].id", "terraform_data.a[1]", "terraform_data.a"], ["managed:terraform_data.a[1]"]],
    [["module.chain.deep_output", "module.chain"], ["module:chain.deep_output"]],
    [['module.each["east"].first_id', 'module.each["east"]'], ['module:each["east"].first_id']],
    [['module.m["k"]', "module.m"], ['module:m["k"]']],
    [["module.counted"], ["module:counted"]],
    // an extra is never followed by an extra of its own: `[module.c0[0].o0, length(module.c0)]`
    [["module.c0[0].o0", "module.c0[0]", "module.c0[0].o0", "module.c0[0]", "module.c0"], ["module:c0[0].o0", "module:c0"]],
    [["module.m[0].o", "module.m[0]", "module.m[0]", "module.m"], ["module:m[0].o", "module:m[0]"]],
    [["module.m.o", "module.m", "module.m"], ["module:m.o", "module:m"]],
    // a whole reference written after an index-specific one is kept
    [["terraform_data.a[1].id", "terraform_data.a[1]", "terraform_data.a", "terraform_data.a"], ["managed:terraform_data.a[1]", "managed:terraform_data.a"]],
    [["terraform_data.a.output.x", "terraform_data.a.output", "terraform_data.a"], ["managed:terraform_data.a"]],
    [["terraform_data.c", "count.index"], ["managed:terraform_data.c", "ignored"]],
    [
      ['terraform_data.b["with.dot"].id', 'terraform_data.b["with.dot"]', "terraform_data.b", 'terraform_data.b["with\\"quote"].id', 'terraform_data.b["with\\"quote"]', "terraform_data.b"],
      ['managed:terraform_data.b["with.dot"]', 'managed:terraform_data.b["with\\"quote"]'],
    ],
  ])("%j -> %j", (list, want) => {
    expect(planReferences(list).map(short)).toEqual(want);
  });
});
