// `blastgate fingerprint` and `blastgate approve`, run in-process: output, exit codes, and the record on disk.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as approve from "../../src/cli/commands/approve.js";
import * as fingerprintCmd from "../../src/cli/commands/fingerprint.js";
import type { CommandContext } from "../../src/cli/context.js";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { verifyApproval } from "../../src/policy/approval.js";
import { evaluatePolicies } from "../../src/policy/evaluate.js";
import { loadPolicyContext } from "../../src/policy/read.js";
import { fingerprint } from "../../src/policy/fingerprint.js";
import { EXAMPLES } from "../helpers/paths.js";
import { change, example, NOW, planOf, policies, realAnalysis } from "./helpers.js";

const usage: string[] = [];
const ctx = { stdinIsTTY: true, color: false, width: 100, debug: false, usageError: (m: string) => usage.push(m) } as unknown as CommandContext;

function captureStdout(): () => string {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return () => {
    spy.mockRestore();
    return out;
  };
}

afterEach(() => {
  usage.length = 0;
  vi.unstubAllEnvs();
});

const incident = path.join(EXAMPLES, "incident/plan.json");

describe("blastgate fingerprint", () => {
  it("prints the plan's fingerprint and exits 0", async () => {
    const stop = captureStdout();
    const code = await fingerprintCmd.run({ plan: incident }, ctx);
    const out = stop();
    expect(code).toBe(0);
    expect(out).toBe(fingerprint(await example("incident")) + "\n");
  });

  it("without a plan on a terminal: usage error, exit 2", async () => {
    expect(await fingerprintCmd.run({}, ctx)).toBe(2);
    expect(usage[0]).toMatch(/no plan given/);
  });
});

describe("blastgate approve", () => {
  it("writes a verifiable record named by the digest, and refuses to overwrite it", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "bg-approve-")), "approvals");
    const stop = captureStdout();
    const code = await approve.run({ plan: incident, by: "dana", reason: "network move, reviewed with the DB team", dir, force: false }, ctx);
    const out = stop();
    expect(code).toBe(0);
    const fp = fingerprint(await example("incident"));
    const file = path.join(dir, `${fp.slice("sha256:".length)}.json`);
    expect(out).toBe(`approved ${fp.slice(0, 19)} (30 destructive changes): wrote ${file}\n`);
    const record = JSON.parse(readFileSync(file, "utf8")) as unknown;
    expect(verifyApproval(record, fp)).toMatchObject({ ok: true, record: { approved_by: "dana" } });

    await expect(approve.run({ plan: incident, by: "sam", reason: "again", dir, force: false }, ctx)).rejects.toSatisfy(
      (e: unknown) => e instanceof BlastgateError && e.diagnostic.code === "BG2201" && e.diagnostic.fix === "keep the existing record, or pass --force to replace it",
    );
    const stop2 = captureStdout();
    expect(await approve.run({ plan: incident, by: "sam", reason: "again", dir, force: true }, ctx)).toBe(0);
    stop2();
    expect((JSON.parse(readFileSync(file, "utf8")) as { approved_by: string }).approved_by).toBe("sam");
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("signs with BLASTGATE_APPROVAL_KEY when set", async () => {
    vi.stubEnv("BLASTGATE_APPROVAL_KEY", "k3y");
    const dir = mkdtempSync(path.join(tmpdir(), "bg-approve-"));
    const stop = captureStdout();
    await approve.run({ plan: incident, by: "dana", reason: "r", dir, force: false }, ctx);
    expect(stop()).toContain(", signed)");
    const [name] = readdirSync(dir);
    const record = JSON.parse(readFileSync(path.join(dir, name!), "utf8")) as { integrity: string };
    expect(record.integrity).toMatch(/^hmac-sha256:/);
    expect(verifyApproval(record, fingerprint(await example("incident")), "k3y").ok).toBe(true);
  });

  it("an empty --by or --reason is a usage error (exit 2)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bg-approve-"));
    expect(await approve.run({ plan: incident, by: "  ", reason: "r", dir, force: false }, ctx)).toBe(2);
    expect(usage[0]).toMatch(/--by NAME and --reason TEXT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("approve, then check: end to end through the approvals directory", () => {
  const signOff = "rules:\n  - { name: sign-off, severity: fail, description: d, require_approval: true }\n";

  async function verdictFor(plan: Awaited<ReturnType<typeof example>>, cwd: string, approvalKey?: string) {
    const set = await policies({ "p.yaml": signOff });
    const ctx = await loadPolicyContext({ plan, policies: set, cwd, commitMessages: [], ...(approvalKey !== undefined ? { approvalKey } : {}) });
    return evaluatePolicies({ plan, analysis: realAnalysis(plan), policies: set, context: ctx, now: NOW });
  }

  it("valid for the approved plan; not for another plan; not once tampered", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "bg-e2e-"));
    const dir = path.join(cwd, ".blastgate/approvals");
    const plan = await example("incident");
    expect((await verdictFor(plan, cwd)).status).toBe("fail");

    const stop = captureStdout();
    await approve.run({ plan: incident, by: "dana", reason: "reviewed", dir, force: false }, ctx);
    stop();
    const approved = await verdictFor(plan, cwd);
    expect(approved.status).toBe("pass");
    expect(approved.results[0]).toMatchObject({ rule: "sign-off", status: "approved" });

    // One more destroy: a different plan, so the approval does not apply.
    const more = { ...plan, changes: [...plan.changes, change("aws_s3_bucket.extra")] };
    const other = await verdictFor(more, cwd);
    expect(other.results[0]!.status).toBe("fail");
    expect(other.results[0]!.notes.some((n) => n.startsWith("no approval for this plan") && n.endsWith("1 record is for other plans"))).toBe(true);

    // Edit the record by hand: rejected, with a clear message.
    const [name] = readdirSync(dir);
    const file = path.join(dir, name!);
    const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, reason: "totally fine" }));
    const tampered = await verdictFor(plan, cwd);
    expect(tampered.results[0]!.status).toBe("fail");
    expect(tampered.results[0]!.notes).toContain(`approval ${path.join(".blastgate/approvals", name!)} rejected: approval record failed its integrity check: it was edited after it was written (tampered)`);
  });

  it("the approval key comes from BLASTGATE_APPROVAL_KEY at both ends", async () => {
    vi.stubEnv("BLASTGATE_APPROVAL_KEY", "team-key");
    const cwd = mkdtempSync(path.join(tmpdir(), "bg-e2e-"));
    const stop = captureStdout();
    await approve.run({ plan: incident, by: "dana", reason: "reviewed", dir: path.join(cwd, ".blastgate/approvals"), force: false }, ctx);
    stop();
    const plan = await example("incident");
    expect((await verdictFor(plan, cwd)).status).toBe("pass");
    expect((await verdictFor(plan, cwd, "another-key")).status).toBe("fail");
  });

  it("a plan that is only slightly different gets its own fingerprint", () => {
    expect(fingerprint(planOf([change("a.b")]))).not.toBe(fingerprint(planOf([change("a.b"), change("a.c")])));
  });
});
