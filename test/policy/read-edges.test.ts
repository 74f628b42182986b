// Reading policy directories at the edges: symlinks that lead out of the directory are refused (BG2004) unless
// --follow-policy-symlinks; links that stay inside work; a policy file over 1 MiB is refused (BG2003). Real files and
// real symlinks in a temp dir.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { MAX_POLICY_BYTES } from "../../src/policy/parse.js";
import { loadPolicies } from "../../src/policy/read.js";
import { EXAMPLES } from "../helpers/paths.js";
import { problems } from "./helpers.js";

const rule = (name: string, severity = "fail"): string => `rules:\n  - name: ${name}\n    severity: ${severity}\n    description: ${name}\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "bg-policy-edges-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh work dir: `policies/` with `own.yaml`, and `elsewhere/` outside it with `weak.yaml`. */
function layout(): { work: string; policies: string; elsewhere: string } {
  const work = mkdtempSync(path.join(dir, "work-"));
  const policies = path.join(work, "policies");
  const elsewhere = path.join(work, "elsewhere");
  mkdirSync(policies);
  mkdirSync(elsewhere);
  writeFileSync(path.join(policies, "own.yaml"), rule("own"));
  writeFileSync(path.join(elsewhere, "weak.yaml"), rule("weak", "warn"));
  return { work, policies, elsewhere };
}

describe("symlinks in a policy directory", () => {
  it("a symlink to a file outside the directory is refused with BG2004 naming the link, its target and the fix", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "link.yaml"));
    const [d, ...rest] = await problems(loadPolicies(["policies"], { cwd: work }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "BG2004", severity: "error", location: { file: "policies/link.yaml" } });
    expect(d!.message).toContain('"policies/link.yaml"');
    expect(d!.message).toContain(path.join(elsewhere, "weak.yaml"));
    expect(d!.fix).toContain("--follow-policy-symlinks");
  });

  it("a relative symlink out of the directory (../) is refused too", async () => {
    const { work, policies } = layout();
    symlinkSync("../elsewhere/weak.yaml", path.join(policies, "rel.yaml"));
    expect((await problems(loadPolicies(["policies"], { cwd: work }))).map((d) => d.code)).toEqual(["BG2004"]);
  });

  it("a symlink through a symlinked directory that leads out is refused", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(elsewhere, path.join(policies, "sub"));
    symlinkSync("sub/weak.yaml", path.join(policies, "via-sub.yaml"));
    expect((await problems(loadPolicies(["policies"], { cwd: work }))).map((d) => [d.code, d.location?.file])).toEqual([["BG2004", "policies/via-sub.yaml"]]);
  });

  it("a symlink named like a policy file that points at a directory outside is refused", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(elsewhere, path.join(policies, "dir.yaml"));
    expect((await problems(loadPolicies(["policies"], { cwd: work }))).map((d) => d.code)).toEqual(["BG2004"]);
  });

  it("every link out is reported in one pass", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "a.yaml"));
    symlinkSync("/etc/hostname", path.join(policies, "b.json"));
    const all = await problems(loadPolicies(["policies"], { cwd: work }));
    expect(all.map((d) => [d.code, d.location?.file])).toEqual([
      ["BG2004", "policies/a.yaml"],
      ["BG2004", "policies/b.json"],
    ]);
  });

  it("with followSymlinks, a link out is followed and its rules are loaded", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "link.yaml"));
    const set = await loadPolicies(["policies"], { cwd: work, followSymlinks: true });
    expect(set.rules.map((r) => r.name)).toEqual(["weak", "own"]);
    expect(set.files).toEqual(["policies/link.yaml", "policies/own.yaml"]);
  });

  it("a symlink that stays inside the directory keeps working (also a relative one, and via a subdirectory)", async () => {
    const { work, policies } = layout();
    mkdirSync(path.join(policies, "shared"));
    writeFileSync(path.join(policies, "shared", "base.yaml"), rule("base"));
    symlinkSync("shared/base.yaml", path.join(policies, "base.yaml"));
    symlinkSync(path.join(policies, "own.yaml"), path.join(policies, "z-alias.yml"));
    // z-alias.yml is the same file as own.yaml: its rule is defined twice, which is the usual BG2108, not BG2004.
    const all = await problems(loadPolicies(["policies"], { cwd: work }));
    expect(all.map((d) => d.code)).toEqual(["BG2108"]);
    rmSync(path.join(policies, "z-alias.yml"));
    const set = await loadPolicies(["policies"], { cwd: work });
    expect(set.rules.map((r) => r.name)).toEqual(["base", "own"]);
    expect(set.files).toEqual(["policies/base.yaml", "policies/own.yaml"]);
  });

  it("the policy directory itself may be a symlink: containment is measured from its real path", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(policies, path.join(work, "linked-policies"));
    const set = await loadPolicies(["linked-policies"], { cwd: work });
    expect(set.rules.map((r) => r.name)).toEqual(["own"]);
    // A link out of a directory reached through a symlink is still refused.
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "out.yaml"));
    expect((await problems(loadPolicies(["linked-policies"], { cwd: work }))).map((d) => [d.code, d.location?.file])).toEqual([["BG2004", "linked-policies/out.yaml"]]);
  });

  it("./policies (the default) is checked the same way", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "link.yaml"));
    expect((await problems(loadPolicies([], { cwd: work }))).map((d) => d.code)).toEqual(["BG2004"]);
  });

  it("a single policy file named directly may be a symlink (the user named it)", async () => {
    const { work, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(work, "direct.yaml"));
    const set = await loadPolicies(["direct.yaml"], { cwd: work });
    expect(set.rules.map((r) => r.name)).toEqual(["weak"]);
  });

  it("a dangling symlink is a read error (BG2001), not silently skipped", async () => {
    const { work, policies } = layout();
    symlinkSync(path.join(work, "missing.yaml"), path.join(policies, "dangling.yaml"));
    expect((await problems(loadPolicies(["policies"], { cwd: work }))).map((d) => d.code)).toEqual(["BG2001"]);
  });

  it("links with names blastgate does not read (no policy extension, hidden) are ignored as before", async () => {
    const { work, policies, elsewhere } = layout();
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, "README"));
    symlinkSync(path.join(elsewhere, "weak.yaml"), path.join(policies, ".hidden.yaml"));
    const set = await loadPolicies(["policies"], { cwd: work });
    expect(set.rules.map((r) => r.name)).toEqual(["own"]);
  });
});

describe("the CLI: --follow-policy-symlinks", () => {
  async function run(args: string[]): Promise<{ code: number; err: string }> {
    const writes: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(((c: unknown) => (writes.push(String(c)), true)) as never);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const code = await main(args);
      return { code, err: writes.join("") };
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  }

  it("without the flag a link out of --policies exits 2 with BG2004; with it, the linked rules decide the gate", async () => {
    const { policies, elsewhere } = layout();
    rmSync(path.join(policies, "own.yaml"));
    // A linked policy that fails every plan destroying anything: the incident example then fails the gate (exit 1).
    // (A rule without `when` selects every destructive change.)
    writeFileSync(path.join(elsewhere, "strict.yaml"), rule("no-destroys"));
    symlinkSync(path.join(elsewhere, "strict.yaml"), path.join(policies, "strict.yaml"));
    const plan = path.join(EXAMPLES, "incident", "plan.json");
    const base = ["check", plan, "-f", "json", "--policies", policies, "--no-ai-assisted"];
    const refused = await run(base);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^error\[BG2004\]: policy file ".*strict\.yaml" is a symlink to ".*elsewhere\/strict\.yaml", outside the policy directory/);
    expect(refused.err).toContain("--follow-policy-symlinks");
    const followed = await run([...base, "--follow-policy-symlinks"]);
    expect(followed.err).not.toContain("BG2004");
    expect(followed.code).toBe(1);
  });

  it("the flag is in check's help text", async () => {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(((c: unknown) => (out.push(String(c)), true)) as never);
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(" ")));
    try {
      expect(await main(["check", "--help"])).toBe(0);
    } finally {
      stdout.mockRestore();
      log.mockRestore();
    }
    expect(out.join("")).toContain("--follow-policy-symlinks");
  });
});

describe("policy file size limit", () => {
  it(`a policy file over ${MAX_POLICY_BYTES} bytes is refused with BG2003 before it is parsed`, async () => {
    const work = mkdtempSync(path.join(dir, "big-"));
    mkdirSync(path.join(work, "policies"));
    // Valid YAML, so only the size can be the reason: a rule, then a comment that pushes it over the limit.
    writeFileSync(path.join(work, "policies", "big.yaml"), rule("big") + "#" + "x".repeat(MAX_POLICY_BYTES) + "\n");
    writeFileSync(path.join(work, "policies", "exact.yaml"), (rule("exact") + "#").padEnd(MAX_POLICY_BYTES - 1, "x") + "\n");
    const [d, ...rest] = await problems(loadPolicies(["policies"], { cwd: work }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "BG2003", location: { file: "policies/big.yaml" } });
    expect(d!.message).toContain(`at most ${MAX_POLICY_BYTES}`);
    // A file of exactly the limit is read.
    rmSync(path.join(work, "policies", "big.yaml"));
    expect((await loadPolicies(["policies"], { cwd: work })).rules.map((r) => r.name)).toEqual(["exact"]);
  });

  it("the CLI exits 2 with BG2003", async () => {
    const work = mkdtempSync(path.join(dir, "big-cli-"));
    writeFileSync(path.join(work, "big.yaml"), rule("big") + "#" + "x".repeat(MAX_POLICY_BYTES) + "\n");
    const writes: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(((c: unknown) => (writes.push(String(c)), true)) as never);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const code = await main(["check", path.join(EXAMPLES, "safe", "plan.json"), "--policies", work, "--no-ai-assisted"]);
      expect(code).toBe(2);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    expect(writes.join("")).toMatch(/^error\[BG2003\]: policy file is too large/);
  });
});
