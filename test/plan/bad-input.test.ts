// Every bad input gets exit 2 and one clear message naming the file, what is wrong, where, and the fix.

import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { buildPlan } from "../../src/plan/build.js";
import { loadPlan } from "../../src/plan/read.js";
import { EXAMPLES, HAS_TERRAFORM, runCli } from "../helpers/paths.js";

let dir: string;
const safe = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(EXAMPLES, "safe/plan.json"), "utf8")) as Record<string, unknown>;
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function errorOf(p: string): Promise<BlastgateError> {
  try {
    await loadPlan(p);
  } catch (e) {
    if (e instanceof BlastgateError) return e;
    throw e;
  }
  throw new Error(`expected ${p} to be rejected`);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blastgate-bad-"));
});

describe("bad plan input", () => {
  it.each([
    ["empty.json", "", "BG1001", /empty/, undefined],
    ["blank.json", "  \n\n ", "BG1001", /empty/, undefined],
    ["words.json", "I am an invalid json", "BG1002", /does not start like JSON/, [1, 1]],
    ["truncated.json", '{"format_version":"1.2","resource_changes":[{"address":"a.b",', "BG1002", /ends early/, undefined],
    ["garbage.json", '{"format_version":"1.2",\n  "resource_changes": [,]}', "BG1002", /expected a value/, [2, 24]],
    ["state.json", '{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}', "BG1004", /state, not a plan/, undefined],
    ["empty-state.json", '{"format_version":"1.0"}', "BG1006", /empty workspace/, undefined],
    ["validate.json", '{"format_version":"1.0","valid":false,"error_count":1,"warning_count":0,"diagnostics":[]}', "BG1005", /validate/, undefined],
    ["schema.json", '{"format_version":"1.0","provider_schemas":{}}', "BG1006", /providers schema/, undefined],
    ["redacted.json", '{"plan_format_version":"1.1","resource_changes":[],"provider_schemas":{}}', "BG1007", /redacted/, undefined],
    ["wrapper.json", '[command]/home/runner/work/_temp/terraform-bin show -json tfplan\n{"format_version":"1.2"}\n::debug::exitcode: 0', "BG1008", /setup-terraform/, [1, 1]],
    ["major.json", '{"format_version":"2.0","resource_changes":[]}', "BG1003", /major versions 0 and 1/, undefined],
    ["placeholder.json", '{"format_version":"test_format_version","resource_changes":[]}', "BG1003", /not a MAJOR.MINOR/, undefined],
    ["bad-actions.json", '{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":"delete"}}]}', "BG1010", /expected an array of action strings/, undefined],
    ["bad-address.json", '{"format_version":"1.2","resource_changes":[{"address":"a.b[oops]","change":{"actions":["delete"]}}]}', "BG1011", /malformed resource address/, undefined],
  ])("%s is rejected", async (name, content, code, message, position) => {
    const p = file(name, content);
    const e = await errorOf(p);
    expect(e.diagnostic.code).toBe(code);
    expect(e.diagnostic.message).toMatch(message);
    expect(e.diagnostic.location?.file).toBe(p);
    expect(e.diagnostic.fix).toBeTruthy();
    if (position) expect([e.diagnostic.location?.line, e.diagnostic.location?.column]).toEqual(position);
  });

  it("points at the field that is wrong with a JSON pointer", async () => {
    const e = await errorOf(file("ptr.json", '{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["no-op"]}},{"address":"a.c","change":{"actions":[1]}}]}'));
    expect(e.diagnostic.location?.pointer).toBe("/resource_changes/1/change/actions");
  });

  it("says how to turn setup-terraform's wrapper off", async () => {
    const e = await errorOf(file("wrapper2.json", "[command]/usr/bin/terraform show -json tfplan\n{}"));
    expect(e.diagnostic.fix).toContain("terraform_wrapper: false");
  });

  it("names a missing file", async () => {
    const e = await errorOf(path.join(dir, "nope.json"));
    expect(e.diagnostic.code).toBe("BG1000");
    expect(e.diagnostic.message).toMatch(/not found/);
  });

  it("explains a directory passed as the plan", async () => {
    const e = await errorOf(dir);
    expect(e.diagnostic.message).toMatch(/directory/);
  });
});

describe("unusual but valid plans", () => {
  it("reads an unknown 1.x minor version with a note", async () => {
    const plan = await loadPlan(file("minor.json", JSON.stringify({ ...safe(), format_version: "1.9" })));
    expect(plan.formatVersion).toBe("1.9");
    expect(plan.notes.map((n) => n.code)).toContain("BG1101");
  });

  it("reads a plan with no resource_changes key as zero changes", async () => {
    const { resource_changes: _rc, ...rest } = safe();
    const plan = await loadPlan(file("no-changes.json", JSON.stringify(rest)));
    expect(plan.changes).toEqual([]);
  });

  it("reads UTF-16LE and UTF-16BE with a byte-order mark", async () => {
    const text = JSON.stringify(safe());
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    const a = await loadPlan(file("le.json", le));
    const b = await loadPlan(file("be.json", Buffer.concat([Buffer.from([0xfe, 0xff]), be.subarray(2)])));
    expect(a.source.encoding).toBe("utf-16le");
    expect(b.source.encoding).toBe("utf-16be");
    expect(a.changes.length).toBe((safe().resource_changes as unknown[]).length);
    expect(b.changes.map((c) => c.address)).toEqual(a.changes.map((c) => c.address));
  });

  it("reads UTF-16 the same in any chunk size, characters split across chunks whose memory is reused", async () => {
    // The transcoder keeps a split character between chunks; the reader reads the next chunk into the same memory.
    const text = JSON.stringify({ ...safe(), x_text: "\u00e9\u20ac\u{1F600}".repeat(40) });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le.subarray(2));
    be.swap16();
    for (const [name, bytes] of [["le-chunks.json", le], ["be-chunks.json", Buffer.concat([Buffer.from([0xfe, 0xff]), be])]] as const) {
      const p = file(name, bytes);
      const whole = JSON.stringify((await loadPlan(p)).changes);
      for (const chunkSize of [3, 7, 64, 4097]) expect(JSON.stringify((await loadPlan(p, { chunkSize })).changes)).toBe(whole);
    }
  });

  it("reads a UTF-8 byte-order mark", async () => {
    const plan = await loadPlan(file("bom.json", "\uFEFF" + JSON.stringify(safe())));
    expect(plan.changes.length).toBeGreaterThan(0);
  });

  it("reads the same model whatever the chunk size", async () => {
    const p = path.join(EXAMPLES, "incident/plan.json");
    const whole = await loadPlan(p);
    for (const chunkSize of [1, 7, 4096]) {
      const small = await loadPlan(p, { chunkSize });
      expect(JSON.stringify(small.changes)).toBe(JSON.stringify(whole.changes));
    }
  });

  it("reads the same model, values included, when values and keys span chunks whose memory is reused (property)", async () => {
    // The file reader reads each chunk into one of two buffers in turn, so a value the splitter carried over from a
    // chunk must be a copy: a view would see the chunk after next. Long values, long keys and escapes at every offset.
    const doc = JSON.parse(readFileSync(path.join(EXAMPLES, "incident/plan.json"), "utf8")) as { resource_changes: { change: { before: Record<string, unknown> | null } }[] };
    const rows = doc.resource_changes.filter((r) => r.change.before !== null);
    rows.forEach((r, i) => {
      r.change.before = { ...r.change.before, ["k\"".repeat(i + 1) + "x".repeat(300 * i)]: "v\\".repeat(50 * i) + "\u00e9" };
    });
    const p = file("chunks.json", JSON.stringify(doc));
    const model = (plan: Awaited<ReturnType<typeof loadPlan>>): string =>
      JSON.stringify({ ...plan, source: undefined, changes: plan.changes.map((c) => ({ ...c, values: c.values && [c.values.before([]), c.values.after([]), c.values.digest()] })) });
    const whole = model(await loadPlan(p));
    // The long keys and escaped values are in the model that is compared (values of destructive changes are kept).
    expect(whole).toContain("é");
    expect(whole).toContain("x".repeat(300));
    await fc.assert(
      // From 64 bytes (each chunk is a read of the file; 1-byte chunks are the test above): the long keys and values
      // still span many chunks.
      fc.asyncProperty(fc.integer({ min: 64, max: 9000 }), async (chunkSize) => {
        expect(model(await loadPlan(p, { chunkSize }))).toBe(whole);
      }),
      { numRuns: 30 },
    );
  });
});

describe("CLI exit codes for bad input", () => {
  it("exits 2 with the message on stderr and nothing on stdout", () => {
    const r = runCli(["check", file("cli-empty.json", "")]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error\[BG1001\]: the plan file is empty/);
    expect(r.stderr).toContain("= fix:");
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it("exits 1 for an errored plan, saying why", () => {
    const r = runCli(["check", path.join(EXAMPLES, "prevent-destroy/plan.json")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^STOP {2}blastgate: the gate fails/);
    expect(r.stdout).toMatch(/errored: true/);
  });

  it("exits 1 for an incomplete plan", () => {
    const r = runCli(["check", file("incomplete.json", JSON.stringify({ ...safe(), complete: false }))]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/incomplete/);
  });

  it("exits 2 for a binary plan when no converter can be found, naming the flag", () => {
    const p = file("fake.tfplan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const r = runCli(["check", p], { env: { ...process.env, PATH: "/nonexistent", NO_COLOR: "1" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--terraform-bin");
  });

  it("exits 2 when --terraform-bin does not exist", () => {
    const p = file("fake2.tfplan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const r = runCli(["check", p, "--terraform-bin", path.join(dir, "no-such-terraform")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot run/);
    expect(r.stderr).toContain("--terraform-bin");
  });

  it.skipIf(!HAS_TERRAFORM)("exits 2 with terraform's own message when conversion fails (needs terraform)", () => {
    const p = file("broken.tfplan", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    const r = runCli(["check", p], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error\[BG1009\]: `terraform show -json` could not convert the binary plan/);
    expect(r.stderr).toMatch(/terraform said: .+/);
  });
});
if (!HAS_TERRAFORM) console.warn("binary-plan conversion tests skipped: terraform is not on PATH");

describe("a value too long for one string", () => {
  const row = (actions: string, content: string): string =>
    `{"address":"t.a","mode":"managed","type":"t","name":"a","change":{"actions":${actions},"before":{"content":"${content}"},"after":null}}`;
  const build = async (text: string, maxValueBytes: number): Promise<unknown> => {
    try {
      return await buildPlan([Buffer.from(text)], { kind: "file", path: "p.json", encoding: "utf-8" }, { file: "p.json", maxValueBytes });
    } catch (e) {
      return e;
    }
  };

  it("is refused with BG1014 naming the file, the place and the fix", async () => {
    const e = await build(`{"format_version":"1.2",\n"resource_changes":[${row('["delete"]', "x".repeat(300))}]}`, 200);
    expect(e).toBeInstanceOf(BlastgateError);
    const d = (e as BlastgateError).diagnostic;
    expect(d.code).toBe("BG1014");
    expect(d.location).toEqual({ file: "p.json", line: 2, column: 21, pointer: "/resource_changes/0" });
    expect(d.fix).toMatch(/out of resource attributes/);
    expect(d.message).not.toContain("xxx");
  });

  it("is read when the members the reader drops bring it under the limit (a no-op row's values)", async () => {
    const plan = await build(`{"format_version":"1.2","resource_changes":[${row('["no-op"]', "x".repeat(300))}]}`, 200);
    expect(plan).not.toBeInstanceOf(Error);
    expect((plan as { changes: { kind: string }[] }).changes.map((c) => c.kind)).toEqual(["no-op"]);
  });

  // The real limit, end to end: a 600 MiB attribute value gave an internal error (BG9000) before. Writes a 600 MiB
  // file, so it runs only where the temporary folder has room.
  const room = statfsSync(tmpdir());
  const free = room.bavail * room.bsize;
  if (free < 2 * 1024 ** 3) console.warn(`skipped: the 600 MiB value test needs 2 GiB free in ${tmpdir()} (${(free / 1024 ** 3).toFixed(1)} GiB)`);
  it.skipIf(free < 2 * 1024 ** 3)("the CLI refuses a 600 MiB attribute value with BG1014 and exit 2", () => {
    const [head, tail] = row('["delete"]', "\u0000").split("\u0000") as [string, string];
    const p = file("huge-value.json", Buffer.concat([Buffer.from('{"format_version":"1.2","resource_changes":[' + head), Buffer.alloc(600 * 1024 * 1024, 0x78), Buffer.from(tail + "]}")]));
    try {
      const r = runCli(["check", p]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("error[BG1014]");
      expect(r.stderr).toContain("/resource_changes/0");
      expect(r.stderr).not.toContain("BG9000");
    } finally {
      rmSync(p, { force: true });
    }
  }, 60_000);
});

