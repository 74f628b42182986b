// The Atlantis workflows documented in docs/atlantis.md, run the way Atlantis runs them: built-in steps as the
// terraform commands Atlantis issues, `run` steps with `sh -c` in the project directory and Atlantis's environment.

import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { EXAMPLES, HAS_TERRAFORM, ROOT, runCli } from "../helpers/paths.js";
import { blastgateShim, codeBlocks, runShell, tempDir, tf, TF_ENV, type ShellResult } from "./helpers.js";

type Step = string | { run: string | { command: string } } | Record<string, unknown>;
interface Workflow {
  plan: { steps: Step[] };
  policy_check: { steps: Step[] };
}

const doc = readFileSync(path.join(ROOT, "docs/atlantis.md"), "utf8");
const yamlBlocks = codeBlocks(doc).filter((b) => b.info === "yaml").map((b) => parse(b.code) as Record<string, unknown>);
const serverSide = yamlBlocks.find((y) => "repos" in y) as { repos: Record<string, unknown>[]; workflows: Record<string, Workflow> };
const repoLevel = yamlBlocks.find((y) => y.version === 3) as { projects: Record<string, unknown>[]; workflows: Record<string, Workflow> };
const INCIDENT_STATUS = runCli(["check", "examples/incident/plan.json"]).status;
const TF_VERSION = HAS_TERRAFORM ? (JSON.parse(spawnSync("terraform", ["version", "-json"], { env: TF_ENV, encoding: "utf8" }).stdout) as { terraform_version: string }).terraform_version : "1.11.4";

interface Project {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** A checked-out pull request as Atlantis lays it out, with the environment of its `run` steps. */
function project(example: string, opts: { apply?: boolean } = {}): Project {
  const root = tempDir("bg-atlantis-");
  const dir = path.join(root, "repos/acme/infra/42/default/envs/prod");
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(EXAMPLES, example), dir, { recursive: true, filter: (s) => !/(plan\.json|plan\.txt|graph\.dot|\.terraform)$/.test(s) });
  if (opts.apply) {
    tf(["init", "-input=false", "-no-color"], dir);
    tf(["apply", "-input=false", "-auto-approve", "-no-color", "-var-file=before.tfvars"], dir);
  }
  // The pull request's values (terraform loads terraform.tfvars by itself).
  copyFileSync(path.join(dir, "after.tfvars"), path.join(dir, "terraform.tfvars"));
  // PATH as Atlantis sets it: blastgate (from the image) and terraform<version> in its bin dir.
  const bin = blastgateShim();
  if (HAS_TERRAFORM) {
    const real = spawnSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).stdout.trim();
    // A wrapper, so a test can tell that this one was used.
    writeFileSync(path.join(bin, `terraform${TF_VERSION}`), `#!/bin/sh\ntouch "${bin}/versioned-terraform-used"\nexec "${real}" "$@"\n`, { mode: 0o755 });
  }
  const env: NodeJS.ProcessEnv = {
    ...TF_ENV,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    ATLANTIS_TERRAFORM_VERSION: TF_VERSION,
    BASE_BRANCH_NAME: "main",
    BASE_REPO_NAME: "infra",
    BASE_REPO_OWNER: "acme",
    COMMENT_ARGS: "",
    DIR: dir,
    HEAD_BRANCH_NAME: "change-cidr",
    HEAD_COMMIT: "0123456789abcdef0123456789abcdef01234567",
    HEAD_REPO_NAME: "infra",
    HEAD_REPO_OWNER: "acme",
    PLANFILE: path.join(dir, "prod-default.tfplan"),
    SHOWFILE: path.join(dir, "prod-default.json"),
    POLICYCHECKFILE: path.join(dir, "prod-default-policyout.json"),
    PROJECT_NAME: "prod",
    PULL_AUTHOR: "dev",
    PULL_NUM: "42",
    PULL_URL: "https://github.com/acme/infra/pull/42",
    REPO_REL_DIR: "envs/prod",
    USER_NAME: "dev",
    WORKSPACE: "default",
  };
  return { dir, env };
}

/** Runs a stage's steps; returns the output of each `run` step (what Atlantis puts in the comment). */
function runStage(steps: Step[], p: Project): ShellResult[] {
  const out: ShellResult[] = [];
  for (const step of steps) {
    if (step === "init") tf(["init", "-input=false", "-no-color"], p.dir);
    else if (step === "plan") tf(["plan", "-input=false", "-refresh", "-no-color", "-out", p.env.PLANFILE!], p.dir);
    else if (step === "show") writeFileSync(p.env.SHOWFILE!, tf(["show", "-json", p.env.PLANFILE!], p.dir).stdout);
    else if (typeof step === "object" && "run" in step) {
      const command = typeof step.run === "string" ? step.run : (step.run as { command: string }).command;
      const r = runShell(command, { cwd: p.dir, env: p.env });
      out.push(r);
      // "If a workflow step returns a non-zero exit code, the workflow will stop."
      if (r.status !== 0) break;
    } else throw new Error(`step ${JSON.stringify(step)} is not emulated`);
  }
  return out;
}

/** What Atlantis decides from a custom policy check: failed on a non-zero exit or "fail" in the output. */
function policyCheckPassed(r: ShellResult): boolean {
  return r.status === 0 && !(r.stdout + r.stderr).includes("fail");
}

describe("docs/atlantis.md", () => {
  it("configures a blastgate workflow with a custom policy check, server-side and repo-level", () => {
    expect(serverSide.repos[0]).toMatchObject({ workflow: "blastgate", policy_check: true, custom_policy_check: true });
    expect(repoLevel.projects[0]).toMatchObject({ workflow: "blastgate", custom_policy_check: true });
    for (const cfg of [serverSide, repoLevel]) {
      const wf = cfg.workflows.blastgate!;
      expect(wf.plan.steps.slice(0, 2)).toEqual(["init", "plan"]);
      expect(wf.policy_check.steps[0]).toBe("show");
    }
  });

  it("policy_check's run step on $SHOWFILE: the incident fails the check, the safe plan passes it (no terraform needed)", () => {
    const step = serverSide.workflows.blastgate!.policy_check.steps.slice(1);
    const bad = project("incident");
    copyFileSync(path.join(EXAMPLES, "incident/plan.json"), bad.env.SHOWFILE!);
    const [r1] = runStage(step, bad);
    expect(r1!.status).toBe(INCIDENT_STATUS);
    expect(policyCheckPassed(r1!)).toBe(INCIDENT_STATUS === 0);
    expect(r1!.stdout).toContain("blastgate · Atlantis · acme/infra#42 · project prod (dir envs/prod, workspace default) · commit 0123456789ab");

    const good = project("safe");
    copyFileSync(path.join(EXAMPLES, "safe/plan.json"), good.env.SHOWFILE!);
    const [r2] = runStage(step, good);
    expect(r2!.status).toBe(0);
    expect((r2!.stdout + r2!.stderr).toLowerCase()).not.toContain("fail");
    expect(policyCheckPassed(r2!)).toBe(true);
  });

  it("with neither $SHOWFILE nor $PLANFILE written, the step fails (exit 2), never passes", () => {
    const p = project("safe");
    const r = runShell("blastgate ci atlantis --policy-check", { cwd: p.dir, env: p.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no plan: neither $SHOWFILE nor $PLANFILE exists");
  });
});

describe.skipIf(!HAS_TERRAFORM)("the documented Atlantis workflows with the real terraform", () => {
  it.each([
    ["server-side repos.yaml", () => serverSide.workflows.blastgate!],
    ["repo-level atlantis.yaml", () => repoLevel.workflows.blastgate!],
  ])("%s: the incident is reported after plan and fails the policy check", (_name, wf) => {
    const p = project("incident", { apply: true });
    const planOut = runStage(wf().plan.steps, p);
    // plan stage: every run step succeeds (--report-only), the last one prints the labelled report
    expect(planOut.map((r) => r.status)).toEqual(planOut.map(() => 0));
    const report = planOut[planOut.length - 1]!;
    expect(report.stdout).toContain("blastgate · Atlantis · acme/infra#42 · project prod (dir envs/prod, workspace default)");
    expect(report.stdout).toContain("module.network.terraform_data.vpc");
    const policy = runStage(wf().policy_check.steps, p);
    expect(policyCheckPassed(policy[0]!)).toBe(false);
    expect(policy[0]!.status).toBe(1);
  });

  it("the safe change passes both stages", () => {
    const p = project("safe", { apply: true });
    const wf = serverSide.workflows.blastgate!;
    expect(runStage(wf.plan.steps, p).every((r) => r.status === 0)).toBe(true);
    expect(policyCheckPassed(runStage(wf.policy_check.steps, p)[0]!)).toBe(true);
  });

  it("without $SHOWFILE it converts $PLANFILE with Atlantis's terraform<version>", () => {
    const p = project("safe", { apply: true });
    runStage(["init", "plan"], p);
    const r = runShell("blastgate ci atlantis --format json", { cwd: p.dir, env: { ...p.env, SHOWFILE: path.join(p.dir, "absent.json") } });
    expect(r.status).toBe(0);
    const json = r.stdout.slice(r.stdout.indexOf("{"));
    expect((JSON.parse(json) as { plan: { source: { kind: string } } }).plan.source.kind).toBe("binary");
    expect(existsSync(path.join(p.env.PATH!.split(path.delimiter)[0]!, "versioned-terraform-used"))).toBe(true);
  });
});
