// The change's context from text: commit trailers, AI-assisted marks, allow-destroy files; and the edge that reads git.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllowDestroyFile, parseCommitMessage, parseCommitMessages, parseTrailers, splitGlobs } from "../../src/policy/context.js";
import { loadPolicyContext, readCommitMessages } from "../../src/policy/read.js";
import { change, planOf, policies } from "./helpers.js";

describe("commit trailers", () => {
  it("reads Key: value lines of the last paragraph only", () => {
    const msg = "feat: retire reports\n\nAllow-Destroy: not a trailer here\n\nAllow-Destroy: module.reports\nReviewed-by: Dana <d@x>\n";
    expect(parseTrailers(msg)).toEqual([
      { key: "allow-destroy", name: "Allow-Destroy", value: "module.reports" },
      { key: "reviewed-by", name: "Reviewed-by", value: "Dana <d@x>" },
    ]);
    expect(parseTrailers("Allow-Destroy: x")).toEqual([]);
  });

  it.each([
    ["module.a, module.b", ["module.a", "module.b"]],
    ["module.a module.b", ["module.a", "module.b"]],
    ['module.app["eu west"].aws_s3_bucket.x,aws_instance.y', ['module.app["eu west"].aws_s3_bucket.x', "aws_instance.y"]],
  ])("splits allow-destroy globs: %s", (value, expected) => {
    expect(splitGlobs(value)).toEqual(expected);
  });

  it("collects Allow-Destroy from every message, deduplicated", () => {
    const c = parseCommitMessages(["a\n\nAllow-Destroy: module.old.*", "b\n\nallow-destroy: module.old.*, aws_s3_bucket.tmp"]);
    expect(c.allowDestroy).toEqual(["module.old.*", "aws_s3_bucket.tmp"]);
  });
});

describe("AI-assisted detection", () => {
  it.each([
    ["AI-Assisted: true", true],
    ["AI-Assisted: yes", true],
    ["AI-Assisted: false", false],
    ["Co-authored-by: Claude <noreply@anthropic.com>", true],
    ["Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>", true],
    ["Co-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>", true],
    ["Co-authored-by: Cursor Agent <cursoragent@cursor.com>", true],
    ["Assisted-by: Gemini", true],
    ["Co-authored-by: Devin Smith <devin@example.com>", false],
    ["Co-authored-by: Jules Verne <jules@example.com>", false],
    ["Co-authored-by: Marc Claudel <marc@example.com>", false],
    ["Signed-off-by: Claude Monet <claude@example.com>", false],
  ])("%s → %s", (trailer, expected) => {
    expect(parseCommitMessage(`fix: something\n\n${trailer}\n`).aiAssisted).toBe(expected);
  });

  it("quotes the evidence", () => {
    const c = parseCommitMessage("x\n\nCo-authored-by: Claude <noreply@anthropic.com>\nAI-Assisted: true\n");
    expect(c.aiEvidence).toEqual(["Co-authored-by: Claude <noreply@anthropic.com>", "AI-Assisted: true"]);
  });

  it("the assistant list is configurable", () => {
    const msg = "x\n\nCo-authored-by: Robo <robo@corp.example>\n";
    expect(parseCommitMessage(msg).aiAssisted).toBe(false);
    expect(parseCommitMessage(msg, { aiAssistants: ["robo"] }).aiAssisted).toBe(true);
  });
});

describe("allow-destroy file", () => {
  it("one or more globs per line, # comments, blank lines", () => {
    expect(parseAllowDestroyFile("# retiring reports\nmodule.reports\n\naws_s3_bucket.a, aws_s3_bucket.b  # tmp\n")).toEqual(["module.reports", "aws_s3_bucket.a", "aws_s3_bucket.b"]);
  });
});

function gitRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bg-git-"));
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "T");
  git("commit", "-q", "--allow-empty", "-m", "base");
  git("checkout", "-q", "-b", "feature");
  git("commit", "-q", "--allow-empty", "-m", "retire reports\n\nAllow-Destroy: module.reports\nCo-authored-by: Claude <noreply@anthropic.com>");
  git("checkout", "-q", "main");
  git("commit", "-q", "--allow-empty", "-m", "other work");
  git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
  return dir;
}

describe("reading the context at the edge", () => {
  it("reads HEAD and, for a merge commit (a PR checkout), its second parent", async () => {
    const dir = gitRepo();
    const r = await readCommitMessages({ cwd: dir });
    expect(r.messages).toHaveLength(2);
    expect(r.messages[1]).toContain("Allow-Destroy: module.reports");
    const range = await readCommitMessages({ cwd: dir, range: "main~1..main" });
    expect(range.messages.some((m) => m.includes("Allow-Destroy"))).toBe(true);
  });

  it("outside a repository: no messages and a note, never an error", async () => {
    const r = await readCommitMessages({ cwd: mkdtempSync(path.join(tmpdir(), "bg-nogit-")) });
    expect(r.messages).toEqual([]);
    expect(r.note).toMatch(/no git commit found/);
  });

  it("gathers intent from the file, the trailers and the flag, with their sources", async () => {
    const dir = gitRepo();
    mkdirSync(path.join(dir, ".blastgate"));
    writeFileSync(path.join(dir, ".blastgate/allow-destroy"), "aws_s3_bucket.tmp\n");
    const set = await policies({ "p.yaml": "rules:\n  - { name: r, severity: fail, description: d }\n" });
    const ctx = await loadPolicyContext({ plan: planOf([change("aws_s3_bucket.tmp")]), policies: set, cwd: dir, allowDestroy: ["module.cli"] });
    expect(ctx.intent).toEqual([
      { source: ".blastgate/allow-destroy", patterns: ["aws_s3_bucket.tmp"] },
      { source: "commit trailer Allow-Destroy", patterns: ["module.reports"] },
      { source: "--allow-destroy", patterns: ["module.cli"] },
    ]);
    expect(ctx.aiAssisted).toBe(true);
    expect(ctx.aiEvidence).toEqual(["Co-authored-by: Claude <noreply@anthropic.com>"]);
    expect(ctx.approvals).toEqual([]);
  });

  it("commit messages can be handed in, and the AI mark overridden", async () => {
    const set = await policies({ "p.yaml": "rules:\n  - { name: r, severity: fail, description: d, require_approval: true }\n" });
    const dir = mkdtempSync(path.join(tmpdir(), "bg-ctx-"));
    const ctx = await loadPolicyContext({ plan: planOf([]), policies: set, cwd: dir, commitMessages: ["x\n\nAI-Assisted: true"], aiAssisted: false });
    expect(ctx.aiAssisted).toBe(false);
    expect(ctx.approvalNotes?.[0]).toMatch(/^no approval for this plan \(sha256:[0-9a-f]{12}\) in \.blastgate\/approvals$/);
    expect(ctx.notes).toEqual([]);
  });
});
