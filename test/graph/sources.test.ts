// Reading `.tf` sources (--tf-dir): locals, lifecycle, dynamic blocks, modules (local and installed), and clear
// errors for a missing directory and for files that do not parse.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { loadTfSources } from "../../src/graph/index.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tfDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "blastgate-src-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function error(p: Promise<unknown>): Promise<BlastgateError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BlastgateError);
    return e as BlastgateError;
  }
  throw new Error("expected an error");
}

describe("loadTfSources", () => {
  it("reads locals (references as written), lifecycle, conditions and dynamic blocks, with locations", async () => {
    const dir = tfDir({
      "main.tf": [
        "locals {",
        '  a = "${terraform_data.x["k.1"].id}-${local.b}"',
        "  b = [for s in var.list : s.id]",
        '  h = <<-EOT',
        '    {"k": "${module.m.out}"}',
        "  EOT",
        "}",
        'resource "aws_sg" "web" {',
        '  dynamic "ingress" {',
        "    for_each = local.ports",
        "    content {",
        "      from = ingress.value",
        "      sg   = aws_sg.base.id",
        "    }",
        "  }",
        "  lifecycle {",
        "    prevent_destroy       = true",
        "    create_before_destroy = false",
        "    ignore_changes        = [tags, ingress]",
        "    replace_triggered_by  = [terraform_data.x[0], terraform_data.y.output]",
        "    precondition {",
        "      condition     = local.ok",
        '      error_message = "no ${var.z}"',
        "    }",
        "  }",
        "}",
        'resource "aws_sg" "all" {',
        "  lifecycle {",
        "    ignore_changes = all",
        "  }",
        "}",
        'data "aws_ami" "x" {}',
        "",
      ].join("\n"),
    });
    const s = await loadTfSources(dir);
    const root = s.modules.get("")!;
    expect([...root.locals.entries()].map(([k, v]) => [k, v.references])).toEqual([
      ["a", ['terraform_data.x["k.1"].id', "local.b"]],
      ["b", ["var.list"]],
      ["h", ["module.m.out"]],
    ]);
    const web = root.resources.get("aws_sg.web")!;
    expect(web.line).toBe(8);
    expect(web.lifecycle).toEqual({
      preventDestroy: true,
      createBeforeDestroy: false,
      ignoreChanges: ["tags", "ingress"],
      replaceTriggeredBy: ["terraform_data.x[0]", "terraform_data.y.output"],
      file: path.join(dir, "main.tf"),
      line: 8,
    });
    expect(web.extraRefs).toEqual([
      { attribute: "dynamic.ingress.for_each", references: ["local.ports"] },
      { attribute: "dynamic.ingress.content", references: ["aws_sg.base.id"] },
      { attribute: "lifecycle.precondition[0]", references: ["local.ok", "var.z"] },
    ]);
    expect(root.resources.get("aws_sg.all")!.lifecycle).toMatchObject({ ignoreChanges: "all" });
    expect(root.resources.get("data.aws_ami.x")).toMatchObject({ line: 32, extraRefs: [] });
  });

  it("parses only the blocks it needs; other files are only scanned for block lines", async () => {
    const dir = tfDir({ "a.tf": 'resource "x" "y" {\n  v = 1\n}\n', "b.tf": "locals {\n  z = 1\n}\n" });
    const s = await loadTfSources(dir);
    expect(s.parsedFiles).toEqual([path.join(dir, "b.tf")]);
    expect(s.modules.get("")!.resources.get("x.y")).toMatchObject({ file: path.join(dir, "a.tf"), line: 1 });
  });

  it("follows local module sources, and .terraform/modules/modules.json for installed ones", async () => {
    const dir = tfDir({
      "main.tf": 'module "app" {\n  source = "./modules/app"\n}\nmodule "net" {\n  source = "registry.example.com/x/net/aws"\n}\nmodule "gone" {\n  source = "hashicorp/gone/aws"\n}\n',
      "modules/app/main.tf": 'module "inner" {\n  source = "../inner"\n}\nlocals {\n  app = 1\n}\n',
      "modules/inner/main.tf": "locals {\n  inner = terraform_data.q.id\n}\n",
      ".terraform/modules/modules.json": JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, { Key: "net", Source: "registry.example.com/x/net/aws", Dir: ".terraform/modules/net" }] }),
      ".terraform/modules/net/main.tf": "locals {\n  net = 2\n}\n",
    });
    const s = await loadTfSources(dir);
    expect([...s.modules.keys()].sort()).toEqual(["", "module.app", "module.app.module.inner", "module.net"]);
    expect([...s.modules.get("module.app.module.inner")!.locals.keys()]).toEqual(["inner"]);
    expect([...s.modules.get("module.net")!.locals.keys()]).toEqual(["net"]);
    expect(s.missing.get("module.gone")).toMatch(/not a local path.*terraform init/);
  });

  it("reads Terraform's JSON syntax (.tf.json)", async () => {
    const dir = tfDir({ "main.tf.json": JSON.stringify({ locals: { a: "${terraform_data.b.id}" }, resource: { terraform_data: { b: { lifecycle: { prevent_destroy: true } } } } }) });
    const s = await loadTfSources(dir);
    expect(s.modules.get("")!.locals.get("a")!.references).toEqual(["terraform_data.b.id"]);
    expect(s.modules.get("")!.resources.get("terraform_data.b")!.lifecycle).toMatchObject({ preventDestroy: true });
  });

  it("a missing directory, or a file, is BG3001", async () => {
    const missing = await error(loadTfSources("no/such/dir"));
    expect(missing.diagnostic).toMatchObject({ code: "BG3001", location: { file: "no/such/dir" } });
    expect(missing.diagnostic.fix).toBeTruthy();
    const dir = tfDir({ "main.tf": "" });
    expect((await error(loadTfSources(path.join(dir, "main.tf")))).diagnostic).toMatchObject({ code: "BG3001", message: expect.stringMatching(/not a directory/) });
  });

  it("a .tf file that does not parse is BG3003 naming the file and line", async () => {
    const dir = tfDir({ "ok.tf": "locals {\n  a = 1\n}\n", "bad.tf": '# comment\nresource "a" "b" {\n  x = 1\n}\nlocals {\n  y = [\n}\n' });
    const e = await error(loadTfSources(dir));
    expect(e.diagnostic).toMatchObject({ code: "BG3003", location: { file: path.join(dir, "bad.tf"), line: 7 } });
    expect(e.diagnostic.message).toMatch(/^cannot parse .*bad\.tf: /);
    expect(e.diagnostic.fix).toMatch(/terraform validate/);
  });

  it("a .tf.json file that does not parse is BG3003 with its line", async () => {
    const dir = tfDir({ "main.tf.json": '{\n  "locals": {\n    "a": 1,\n  }\n}\n' });
    const e = await error(loadTfSources(dir));
    expect(e.diagnostic).toMatchObject({ code: "BG3003", location: { file: path.join(dir, "main.tf.json") } });
    expect(e.diagnostic.location?.line).toBeGreaterThan(1);
  });
});
