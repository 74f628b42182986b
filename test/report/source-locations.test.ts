// Source locations (--tf-dir): the block scanner on tricky HCL, module resolution, and the shipped examples.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSourceIndex } from "../../src/report/read-sources.js";
import { buildSourceIndex, configAddressOf, lookupSource, moduleDir, parseModuleManifest, scanTf, sourceIndexFromLocations } from "../../src/report/source-locations.js";
import { ROOT } from "../helpers/paths.js";

describe("scanTf", () => {
  it("finds top-level resource, data and module blocks with their lines", () => {
    const text = ['resource "aws_s3_bucket" "logs" {', '  bucket = "x"', "}", "", 'data "aws_vpc" "main" {}', 'module "net" {', '  source = "./modules/net"', "}"].join("\n");
    expect(scanTf(text)).toEqual([
      { kind: "resource", type: "aws_s3_bucket", name: "logs", line: 1 },
      { kind: "data", type: "aws_vpc", name: "main", line: 5 },
      { kind: "module", type: "net", name: "", line: 6, source: "./modules/net" },
    ]);
  });

  it.each([
    ["braces and block words inside strings and templates", 'resource "a" "one" {\n  x = "}\\"resource \\"b\\" \\"no\\" {"\n  y = "${lookup(m, "}")}${ {a = 1}["a"] }"\n}\nresource "a" "two" {}\n', ["a.one@1", "a.two@5"]],
    ["heredocs, with and without indentation", 'resource "a" "one" {\n  x = <<EOT\n}\nresource "b" "no" {\nEOT\n  y = <<-EOT\n    }\n    EOT\n}\nresource "a" "two" {}\n', ["a.one@1", "a.two@10"]],
    ["comments of all three kinds", '# resource "b" "no" {\n// resource "b" "no2" {\n/* resource "b" "no3" {\n}\n*/\nresource "a" "one" { # }\n}\n', ["a.one@6"]],
    ["nested blocks are not top-level", 'resource "a" "one" {\n  dynamic "x" {\n    content {}\n  }\n  lifecycle {\n    prevent_destroy = true\n  }\n}\nresource "a" "two" {\n}\n', ["a.one@1", "a.two@9"]],
    ["unquoted labels and CRLF line ends", 'resource a one {\r\n}\r\nresource "a" "two" {\r\n}\r\n', ["a.one@1", "a.two@3"]],
    ["an escaped template introducer is a literal", 'resource "a" "one" {\n  x = "$${not a template {"\n}\nresource "a" "two" {}\n', ["a.one@1", "a.two@4"]],
  ])("%s", (_name, text, expected) => {
    expect(scanTf(text).map((b) => `${b.type}.${b.name}@${b.line}`)).toEqual(expected);
  });

  it("never throws on garbage", () => {
    for (const text of ["{{{{", '"unterminated', "<<EOT\nno end", "/* open", "}}}} resource \"a\" \"b\" {"]) expect(() => scanTf(text)).not.toThrow();
  });
});

describe("addresses and modules", () => {
  it("maps instance addresses to config addresses", () => {
    expect(configAddressOf('module.a["k.1"].module.b[0].aws_x.y["z[0]"]')).toBe("module.a.module.b.aws_x.y");
    expect(configAddressOf("data.aws_vpc.main")).toBe("data.aws_vpc.main");
    expect(configAddressOf("not an address")).toBeUndefined();
  });

  it("resolves local sources relative to the caller, and others through terraform init's manifest", () => {
    expect(moduleDir("envs/prod", ["net"], "../../modules/net", undefined, "envs/prod")).toBe("modules/net");
    const manifest = parseModuleManifest(JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "vpc", Source: "registry.terraform.io/x/vpc/aws", Dir: ".terraform/modules/vpc" }] }));
    expect(moduleDir("envs/prod", ["vpc"], "x/vpc/aws", manifest, "envs/prod")).toBe("envs/prod/.terraform/modules/vpc");
    expect(moduleDir("envs/prod", ["other"], "git::https://example.com/x.git", manifest, "envs/prod")).toBeUndefined();
    expect(parseModuleManifest("not json")).toBeUndefined();
  });

  it("builds an index across modules and reports what it could not follow", () => {
    const idx = buildSourceIndex(
      ".",
      new Map([
        [".", [{ file: "main.tf", blocks: scanTf('module "a" {\n  source = "./m"\n}\nmodule "r" {\n  source = "hashicorp/x/aws"\n}\nresource "t" "n" {}\n') }]],
        ["m", [{ file: "m/main.tf", blocks: scanTf('\n\nresource "t" "inner" {}\nmodule "self" {\n  source = "./"\n}\n') }]],
      ]),
    );
    expect(lookupSource(idx, "t.n")).toEqual({ file: "main.tf", line: 7 });
    expect(lookupSource(idx, 'module.a["x"].t.inner[2]')).toEqual({ file: "m/main.tf", line: 3 });
    expect(lookupSource(idx, "module.a")).toEqual({ file: "main.tf", line: 1 });
    expect(idx.unresolvedModules).toEqual(["module.r"]);
  });

  it("reads the incident's sources, modules included, with paths relative to the working directory", async () => {
    const idx = await loadSourceIndex("examples/incident", { cwd: ROOT });
    expect(lookupSource(idx, 'terraform_data.service["api"]')).toEqual({ file: "examples/incident/main.tf", line: 81 });
    expect(lookupSource(idx, "module.network.terraform_data.vpc")).toEqual({ file: "examples/incident/modules/network/main.tf", line: 5 });
    expect(lookupSource(idx, 'module.cluster.terraform_data.node_pool["general"]')).toEqual({ file: "examples/incident/modules/cluster/main.tf", line: 22 });
    expect(idx.unresolvedModules).toEqual([]);
  });

  it("follows nested module calls (three levels) in the graph-modules example", async () => {
    const idx = await loadSourceIndex(path.join(ROOT, "examples/graph-modules"), { cwd: ROOT });
    const deep = [...idx.locations.keys()].filter((k) => k.startsWith("module.chain.module.l2.module.l3."));
    expect(deep.length).toBeGreaterThan(0);
  });

  it("survives missing directories, unreadable module sources and self-referencing modules", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "blastgate-src-"));
    mkdirSync(path.join(dir, "m"));
    writeFileSync(path.join(dir, "main.tf"), 'module "a" {\n  source = "./m"\n}\nmodule "gone" {\n  source = "./nowhere"\n}\n');
    writeFileSync(path.join(dir, "m", "main.tf"), 'module "again" {\n  source = "../m"\n}\nresource "t" "n" {}\n');
    const idx = await loadSourceIndex(dir, { cwd: dir });
    expect(lookupSource(idx, "module.a.t.n")).toEqual({ file: "m/main.tf", line: 4 });
    expect(idx.unresolvedModules).toContain("module.gone");
    expect((await loadSourceIndex(path.join(dir, "missing"), { cwd: dir })).locations.size).toBe(0);
  });

  it("adapts locations another reader found (src/graph), skipping those without a line", () => {
    const idx = sourceIndexFromLocations(".", new Map([["t.a", { file: "main.tf", line: 3 }], ["t.b", { file: "main.tf" }]]));
    expect(lookupSource(idx, "t.a[0]")).toEqual({ file: "main.tf", line: 3 });
    expect(lookupSource(idx, "t.b")).toBeUndefined();
  });
});
