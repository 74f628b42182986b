import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configAddress, formatAddress, parseAddress, parseModulePath, quoteKey, type ResourceAddress } from "../../src/plan/address.js";

describe("parseAddress", () => {
  it.each([
    ["aws_instance.web", { module: [], mode: "managed", type: "aws_instance", name: "web" }],
    ["data.aws_ami.ubuntu", { module: [], mode: "data", type: "aws_ami", name: "ubuntu" }],
    ["aws_instance.web[3]", { module: [], mode: "managed", type: "aws_instance", name: "web", key: 3 }],
    ['module.a["k"].module.b[0].aws_x.y["z"]', { module: [{ name: "a", key: "k" }, { name: "b", key: 0 }], mode: "managed", type: "aws_x", name: "y", key: "z" }],
    ['module.m["a.b\\"c$${x}]"].terraform_data.z', { module: [{ name: "m", key: 'a.b"c${x}]' }], mode: "managed", type: "terraform_data", name: "z" }],
  ])("parses %s", (addr, expected) => {
    expect(parseAddress(addr)).toEqual(expected);
    expect(formatAddress(parseAddress(addr))).toBe(addr);
  });

  it("gives the config address without keys", () => {
    expect(configAddress(parseAddress('module.a["k"].module.b[0].aws_x.y["z"]'))).toBe("module.a.module.b.aws_x.y");
  });

  it.each(["", "aws_instance", "aws_instance.", "module.a", 'aws_x.y["unterminated]', "aws_x.y[-1]", "aws_x.y[0]extra", "1aws.x"])("rejects %j", (addr) => {
    expect(() => parseAddress(addr)).toThrow();
  });

  it.each(["module.a.", "module.a[0].", "module.", "module.a..module.b", "aws_x.y"])("parseModulePath rejects %j", (text) => {
    expect(() => parseModulePath(text)).toThrow();
  });

  it("round-trips any instance key (property)", () => {
    const ident = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/);
    const key = fc.oneof(fc.nat(1000), fc.string({ unit: "binary", maxLength: 12 }));
    const addr = fc.record({
      module: fc.array(fc.record({ name: ident, key: fc.option(key, { nil: undefined }) }, { requiredKeys: ["name"] }), { maxLength: 3 }),
      mode: fc.constantFrom("managed", "data") as fc.Arbitrary<ResourceAddress["mode"]>,
      type: ident,
      name: ident,
      key: fc.option(key, { nil: undefined }),
    });
    fc.assert(
      fc.property(addr, (a) => {
        const clean = JSON.parse(JSON.stringify(a)) as ResourceAddress; // drop undefined keys
        const text = formatAddress(clean);
        expect(parseAddress(text)).toEqual(clean);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("quotes keys the way Terraform does", () => {
    expect(quoteKey('a"b\\c\n${x}%{y}')).toBe('"a\\"b\\\\c\\n$${x}%%{y}"');
    // Other controls (the hardening generator quotes its keys with this same function, so fix them here).
    expect(quoteKey("\r\t\u0001\u007f")).toBe('"\\r\\t\\u0001\\u007f"');
  });
});
