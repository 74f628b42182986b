// `blastgate plan`: the real terraform plan, then the gate. Skips (saying so) without terraform on PATH.

import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, HAS_TERRAFORM, runCli } from "../helpers/paths.js";
import { exampleWorkdir, leftovers, tempDir, tf, TF_ENV } from "./helpers.js";

if (!HAS_TERRAFORM) console.warn("test/integrations/plan.test.ts: terraform is not on PATH; the `blastgate plan` tests with real terraform are skipped");

/** Runs `blastgate plan` with its own TMPDIR so a leftover temporary plan would show. */
function plan(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; tmp: string } {
  const tmp = tempDir("bg-tmp-");
  const r = runCli(["plan", ...args], { cwd, env: { ...TF_ENV, TMPDIR: tmp } });
  // terraform colours its output whatever NO_COLOR says; compare text.
  const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, "");
  return { status: r.status, stdout: plain(r.stdout), stderr: plain(r.stderr), tmp };
}

describe.skipIf(!HAS_TERRAFORM)("blastgate plan with real terraform", () => {
  let safe: string;
  let incident: string;
  beforeAll(() => {
    safe = exampleWorkdir("safe");
    incident = exampleWorkdir("incident");
  });

  it("passes a safe change, streams terraform's output, and removes its temporary plan", () => {
    const r = plan(["--", "-var-file=after.tfvars"], safe);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Plan: 1 to add, 1 to change, 0 to destroy."); // terraform's own output
    expect(r.stdout).toMatch(/gate passes/);
    expect(r.stdout).toContain("terraform plan"); // the plan is named, not a temp path
    expect(r.stdout).not.toContain(r.tmp);
    expect(leftovers(r.tmp)).toEqual([]);
  });

  it("gates the incident exactly as `check` gates the plan it wrote (exit 1 once the default policies fail it)", () => {
    const r = plan(["--format", "json", "--", "-var-file=after.tfvars", "-out=incident.tfplan"], incident);
    expect(r.stdout.trimStart().startsWith("{")).toBe(true);
    const report = JSON.parse(r.stdout) as { destructive: unknown[]; verdict: { status: string } };
    expect(report.destructive).toHaveLength(30);
    const checked = runCli(["check", path.join(incident, "incident.tfplan"), "--tf-dir", incident], { cwd: incident, env: TF_ENV });
    expect(r.status).toBe(checked.status);
    expect(r.status).toBe(report.verdict.status === "fail" ? 1 : 0);
    // terraform's own output goes to stderr when stdout carries JSON.
    expect(r.stderr).toContain("Plan: 30 to add, 0 to change, 30 to destroy.");
    // blastgate's report never holds the password (terraform's own output on stderr does: an unmarked copy).
    expect(r.stdout).not.toContain("hunter2-incident-secret");
  });

  it("reports terraform's own failure as exit 2 with terraform's message", () => {
    const r = plan(["--", "-var-file=missing.tfvars"], safe);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG5201]: `terraform plan` failed (exit 1)");
    expect(r.stderr).toContain("Given variables file missing.tfvars does not exist.");
    expect(leftovers(r.tmp)).toEqual([]);
  });

  it("keeps the plan given with -out, and `terraform apply PLANFILE` applies exactly it", () => {
    const work = exampleWorkdir("safe");
    const r = plan(["--", "-var-file=after.tfvars", "-out=reviewed.tfplan"], work);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("reviewed.tfplan");
    const file = path.join(work, "reviewed.tfplan");
    expect(existsSync(file)).toBe(true);
    const shown = JSON.parse(tf(["show", "-json", "reviewed.tfplan"], work).stdout) as { resource_changes: { change: { actions: string[] } }[] };
    expect(shown.resource_changes.filter((c) => !c.change.actions.includes("no-op"))).toHaveLength(2);
    const applied = tf(["apply", "-input=false", "-no-color", "reviewed.tfplan"], work);
    expect(applied.stdout).toContain("Apply complete! Resources: 1 added, 1 changed, 0 destroyed.");
  });

  it("runs in --chdir (and reads the .tf sources there), with -out relative to it", () => {
    const work = exampleWorkdir("safe");
    const r = plan(["--chdir", path.basename(work), "--", "-var-file=after.tfvars", "-out=p.tfplan"], path.dirname(work));
    expect(r.status).toBe(0);
    expect(existsSync(path.join(work, "p.tfplan"))).toBe(true);
  });

  it("accepts -detailed-exitcode (terraform's exit 2 means changes, not failure)", () => {
    const r = plan(["--", "-var-file=after.tfvars", "-detailed-exitcode"], safe);
    expect(r.status).toBe(0);
  });

  it("runs tofu or any program given with --terraform-bin, and says when it is missing", () => {
    const r = plan(["--terraform-bin", "/nonexistent/terraform"], safe);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error\[BG5200\]: cannot run `\/nonexistent\/terraform`: program not found/);
  });

  it("Ctrl-C: terraform is interrupted (waiting at a prompt here), blastgate exits 130 and leaves no plan behind", async () => {
    const dir = tempDir("bg-prompt-");
    writeFileSync(path.join(dir, "main.tf"), 'variable "x" {}\nresource "terraform_data" "a" {\n  input = var.x\n}\n');
    tf(["init", "-input=false"], dir);
    const tmp = tempDir("bg-tmp-");
    const env: NodeJS.ProcessEnv = { ...TF_ENV, TMPDIR: tmp };
    delete env.TF_IN_AUTOMATION;
    const child = spawn(process.execPath, [BIN, "plan"], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    try {
      // Wait for terraform's prompt (stdin stays open, so it waits there).
      for (let i = 0; i < 600 && !out.includes("Enter a value"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain("Enter a value");
      expect(leftovers(tmp)).toHaveLength(1); // the temporary plan dir exists while terraform runs
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      child.kill("SIGINT");
      const status = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      if (status === null) child.kill("SIGKILL");
      expect(status).toBe(130);
      expect(err).toContain("blastgate: interrupted (SIGINT); terraform stopped, the temporary plan was removed");
    } finally {
      // If anything above failed: closing stdin ends terraform's prompt, and blastgate with it.
      child.stdin.end();
    }
    expect(leftovers(tmp)).toEqual([]);
  });
});

describe("blastgate plan: signals reach terraform once", () => {
  /** A stand-in terraform that records the signals it gets and exits like terraform does on an interrupt. */
  function fakeTerraform(): { bin: string; log: string; started: string; pid: string } {
    const dir = tempDir("bg-fake-");
    const bin = path.join(dir, "terraform");
    const log = path.join(dir, "signals.log");
    const started = path.join(dir, "started");
    const pid = path.join(dir, "pid");
    writeFileSync(
      bin,
      `#!/bin/sh\ntrap 'echo INT >> "${log}"; exit 1' INT\ntrap 'echo TERM >> "${log}"; exit 1' TERM\necho $$ > "${pid}"\necho "$@" > "${started}.tmp"; mv "${started}.tmp" "${started}"\nwhile :; do sleep 0.05; done\n`,
    );
    chmodSync(bin, 0o755);
    return { bin, log, started, pid };
  }

  it.each([
    ["SIGINT", "INT", 130],
    ["SIGTERM", "TERM", 143],
  ] as const)("%s is forwarded exactly once (terraform logs %s), exit %i, no temporary plan is left", async (signal, logged, code) => {
    const fake = fakeTerraform();
    const tmp = tempDir("bg-tmp-");
    const child = spawn(process.execPath, [BIN, "plan", "--terraform-bin", fake.bin, "--", "-var=a=b"], { env: { ...TF_ENV, TMPDIR: tmp }, stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    let status: number | null;
    try {
      for (let i = 0; i < 400 && !existsSync(fake.started); i++) await new Promise((r) => setTimeout(r, 25));
      const argv = readFileSync(fake.started, "utf8").trim();
      expect(argv).toMatch(new RegExp(`^plan -var=a=b -out=${tmp.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/blastgate-plan-\\w+/tfplan$`));
      child.kill(signal);
      status = await closed;
    } finally {
      // Never leave the stand-in running when an assertion above fails.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        if (existsSync(fake.pid)) process.kill(Number(readFileSync(fake.pid, "utf8")), "SIGKILL");
      }
    }
    expect(status).toBe(code);
    expect(readFileSync(fake.log, "utf8")).toBe(`${logged}\n`);
    expect(err).toContain(`interrupted (${signal})`);
    expect(leftovers(tmp)).toEqual([]);
  });
});
