// Plan fingerprints and approval records: stable, bound to the exact plan, tamper-evident, never silently overwritten.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { approvalFileName, createApproval, verifyApproval } from "../../src/policy/approval.js";
import { fingerprint } from "../../src/policy/fingerprint.js";
import { readApprovals, writeApproval } from "../../src/policy/store.js";
import { change, example, NOW, planOf } from "./helpers.js";

describe("fingerprint", () => {
  it("is a sha256 digest, stable across row order, timestamps and run noise", async () => {
    const plan = await example("incident");
    const fp = fingerprint(plan);
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    const shuffled = { ...plan, changes: [...plan.changes].reverse(), timestamp: "2030-01-01T00:00:00Z", terraformVersion: "9.9.9", source: { ...plan.source, path: "elsewhere.json" } };
    expect(fingerprint(shuffled)).toBe(fp);
    const withNoop = { ...plan, changes: [...plan.changes, change("aws_instance.untouched", ["no-op"]), change("data.aws_ami.x", ["read"])] };
    expect(fingerprint(withNoop)).toBe(fp);
  });

  it("differs for a different plan: one more destroy, another action, reason, replace path or planned value", () => {
    const base = [change("aws_s3_bucket.a", ["delete", "create"], { after: { name: "a" }, replacePaths: [["name"]] })];
    const fp = fingerprint(planOf(base));
    expect(fingerprint(planOf([...base, change("aws_s3_bucket.b")]))).not.toBe(fp);
    expect(fingerprint(planOf([change("aws_s3_bucket.a", ["create", "delete"], { after: { name: "a" }, replacePaths: [["name"]] })]))).not.toBe(fp);
    expect(fingerprint(planOf([change("aws_s3_bucket.a", ["delete", "create"], { after: { name: "a" }, replacePaths: [["name"]], actionReason: "replace_by_request" })]))).not.toBe(fp);
    expect(fingerprint(planOf([change("aws_s3_bucket.a", ["delete", "create"], { after: { name: "a" }, replacePaths: [["tags"]] })]))).not.toBe(fp);
    expect(fingerprint(planOf([change("aws_s3_bucket.a", ["delete", "create"], { after: { name: "b" }, replacePaths: [["name"]] })]))).not.toBe(fp);
    expect(fingerprint(planOf(base, { errored: true }))).not.toBe(fp);
  });

  it("ignores prior values (refreshed every run) and never depends on a sensitive value", () => {
    const a = change("aws_db_instance.a", ["delete", "create"], { before: { pw: "one" }, after: { name: "db" } });
    const b = change("aws_db_instance.a", ["delete", "create"], { before: { pw: "two" }, after: { name: "db" } });
    expect(fingerprint(planOf([a]))).toBe(fingerprint(planOf([b])));
  });

  it("tells apart two examples and matches itself on reload", async () => {
    expect(fingerprint(await example("safe"))).not.toBe(fingerprint(await example("incident")));
    expect(fingerprint(await example("safe"))).toBe(fingerprint(await example("safe")));
  });
});

describe("approval records", () => {
  const plan = planOf([change("module.old.aws_s3_bucket.a"), change("aws_instance.web", ["update"])]);
  const other = planOf([change("module.old.aws_s3_bucket.a"), change("module.old.aws_s3_bucket.b"), change("aws_instance.web", ["update"])]);

  it("a valid record for this plan verifies", () => {
    const r = createApproval(plan, { by: "Dana", reason: "retiring old", now: NOW });
    expect(r).toMatchObject({ kind: "blastgate-approval", version: 1, fingerprint: fingerprint(plan), approved_by: "Dana", reason: "retiring old", approved_at: "2026-06-15T12:00:00.000Z" });
    expect(r.plan).toEqual({ changes: 2, destructive: 1, destroyed: 1, addresses: ["module.old.aws_s3_bucket.a"], addresses_omitted: 0 });
    expect(r.integrity).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(verifyApproval(JSON.parse(JSON.stringify(r)), fingerprint(plan))).toMatchObject({ ok: true });
  });

  it("a record for another plan (one more destroy) is rejected", () => {
    const r = createApproval(plan, { by: "Dana", reason: "x", now: NOW });
    const check = verifyApproval(r, fingerprint(other));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toMatch(/^approval record is for another plan \(sha256:[0-9a-f]{12}\), not this one \(sha256:[0-9a-f]{12}\)$/);
  });

  it.each([
    ["an edited approver", (r: Record<string, unknown>) => ({ ...r, approved_by: "the-ceo" })],
    ["an edited fingerprint (re-pointed at another plan)", (r: Record<string, unknown>) => ({ ...r, fingerprint: "sha256:" + "0".repeat(64) })],
    ["an edited address list", (r: Record<string, unknown>) => ({ ...r, plan: { ...(r.plan as object), addresses: [] } })],
    ["an added field", (r: Record<string, unknown>) => ({ ...r, note: "hi" })],
  ])("a tampered record (%s) is rejected", (_name, edit) => {
    const r = createApproval(plan, { by: "Dana", reason: "x", now: NOW }) as unknown as Record<string, unknown>;
    const check = verifyApproval(edit(r), fingerprint(plan));
    expect(check).toEqual({ ok: false, problem: "approval record failed its integrity check: it was edited after it was written (tampered)" });
  });

  it.each([
    [null, "not an approval record (not a JSON object)"],
    [{ kind: "something" }, 'not an approval record (kind is not "blastgate-approval")'],
    [{ kind: "blastgate-approval", version: 2 }, "approval record version 2 is not supported (expected 1)"],
    [{ kind: "blastgate-approval", version: 1, fingerprint: "x" }, "approval record is missing `approved_by`"],
  ])("malformed record %j is rejected", (record, problem) => {
    expect(verifyApproval(record, fingerprint(plan))).toEqual({ ok: false, problem });
  });

  it("with a key: signed records verify, unsigned or wrongly signed ones do not", () => {
    const fp = fingerprint(plan);
    const signed = createApproval(plan, { by: "Dana", reason: "x", now: NOW, key: "s3cret" });
    expect(signed.integrity).toMatch(/^hmac-sha256:/);
    expect(verifyApproval(signed, fp, "s3cret").ok).toBe(true);
    expect(verifyApproval(signed, fp, "wrong").ok).toBe(false);
    expect(verifyApproval(signed, fp)).toMatchObject({ ok: false, problem: expect.stringContaining("no approval key is configured") });
    const unsigned = createApproval(plan, { by: "Dana", reason: "x", now: NOW });
    expect(verifyApproval(unsigned, fp, "s3cret")).toMatchObject({ ok: false, problem: expect.stringContaining("only signed records are accepted") });
  });
});

describe("approval store", () => {
  const plan = planOf([change("aws_s3_bucket.a")]);

  it("writes <digest>.json atomically, refuses to overwrite, replaces with force", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "bg-appr-")), "nested/approvals");
    const first = createApproval(plan, { by: "Dana", reason: "one", now: NOW });
    const file = await writeApproval(dir, first);
    expect(path.basename(file)).toBe(approvalFileName(first.fingerprint));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
    const second = createApproval(plan, { by: "Sam", reason: "two", now: NOW });
    await expect(writeApproval(dir, second)).rejects.toSatisfy((e: unknown) => e instanceof BlastgateError && e.diagnostic.code === "BG2201");
    expect(JSON.parse(readFileSync(file, "utf8")).approved_by).toBe("Dana");
    await writeApproval(dir, second, { force: true });
    expect(JSON.parse(readFileSync(file, "utf8")).approved_by).toBe("Sam");
    expect(readdirSync(dir)).toEqual([approvalFileName(first.fingerprint)]);
  });

  it("reads the record for a fingerprint, notes when there is none, and rejects a non-JSON one", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "bg-appr-"));
    const fp = fingerprint(plan);
    expect(await readApprovals("approvals", fp, cwd)).toEqual({ candidates: [], notes: [`no approval for this plan (${fp.slice(0, 19)}) in approvals`] });
    const otherPlan = planOf([change("aws_s3_bucket.b")]);
    await writeApproval(path.join(cwd, "approvals"), createApproval(otherPlan, { by: "D", reason: "r", now: NOW }));
    expect((await readApprovals("approvals", fp, cwd)).notes[0]).toMatch(/; 1 record is for other plans$/);
    await writeApproval(path.join(cwd, "approvals"), createApproval(plan, { by: "D", reason: "r", now: NOW }));
    const found = await readApprovals("approvals", fp, cwd);
    expect(found.candidates).toHaveLength(1);
    expect(found.candidates[0]!.file).toBe(path.join("approvals", approvalFileName(fp)));
    writeFileSync(path.join(cwd, "approvals", approvalFileName(fp)), "{ not json");
    expect((await readApprovals("approvals", fp, cwd)).candidates[0]).toMatchObject({ problem: "not valid JSON" });
  });
});
