// The GitLab CI template (ci/gitlab/blastgate.gitlab-ci.yml) with the job documented in docs/integrations.md: its
// script lines run as GitLab runs them, with GitLab's variables, and every report it declares is checked.

import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, ROOT, runCli } from "../helpers/paths.js";
import { startFakeApi, type FakeApi } from "./api-server.js";
import { blastgateShim, codeBlocks, tempDir, TF_ENV, type ShellResult } from "./helpers.js";

interface Job {
  extends?: string;
  image?: string;
  variables?: Record<string, string>;
  script: string[];
  artifacts: { when: string; paths: string[]; reports: Record<string, string> };
}

const TOKEN = "glpat-TESTtoken-never-printed-0123";
const template = parse(readFileSync(path.join(ROOT, "ci/gitlab/blastgate.gitlab-ci.yml"), "utf8")) as { variables: Record<string, string> } & Record<string, Job>;
const docs = readFileSync(path.join(ROOT, "docs/integrations.md"), "utf8");
const usage = parse(codeBlocks(docs).find((b) => b.info === "yaml" && b.code.includes("extends: .blastgate"))!.code) as Record<string, Job>;
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const INCIDENT_STATUS = runCli(["check", "examples/incident/plan.json"]).status;
let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi(TOKEN);
});
afterAll(async () => {
  await api.close();
});

/** The documented job with the template's `.blastgate` under it (job keys win; variables merge, job's first). */
function resolvedJob(): Job & { variables: Record<string, string> } {
  const job = usage.blastgate!;
  const base = template[job.extends!]!;
  return { ...base, ...job, script: job.script ?? base.script, artifacts: job.artifacts ?? base.artifacts, variables: { ...template.variables, ...base.variables, ...job.variables } };
}

/** GitLab's predefined variables for a merge-request pipeline. */
function gitlabEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...TF_ENV,
    CI: "true",
    GITLAB_CI: "true",
    CI_PROJECT_DIR: dir,
    CI_PROJECT_ID: "77",
    CI_PROJECT_PATH: "acme/infra",
    CI_PROJECT_URL: "https://gitlab.example.com/acme/infra",
    CI_SERVER_URL: "https://gitlab.example.com",
    CI_API_V4_URL: `${api.url}/api/v4`,
    CI_PIPELINE_SOURCE: "merge_request_event",
    CI_MERGE_REQUEST_IID: "5",
    CI_MERGE_REQUEST_PROJECT_ID: "77",
    CI_COMMIT_SHA: "c0ffee0000000000000000000000000000000000",
    CI_COMMIT_REF_NAME: "change-cidr",
    CI_JOB_URL: "https://gitlab.example.com/acme/infra/-/jobs/991",
    CI_JOB_TOKEN: "job-token-cannot-write-notes",
    BLASTGATE_RETRY_BASE_MS: "1",
    ...extra,
  };
}

/**
 * Runs the job's script in one shell, as the GitLab runner does (each line in order, stop at the first failure).
 * Variables are exported to it; BLASTGATE is the one the test overrides (no registry here).
 */
function runJob(job: Job & { variables: Record<string, string> }, dir: string, env: NodeJS.ProcessEnv, shell: "sh" | "bash"): Promise<ShellResult> {
  const script = ["set -e", ...job.script].join("\n");
  const vars = { ...job.variables, BLASTGATE: path.join(blastgateShim(), "blastgate") };
  return new Promise((resolve) => {
    const child = spawn(shell, ["-c", script], { cwd: dir, env: { ...env, ...vars } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function workspace(example: string, rel = "plan.json"): string {
  const dir = tempDir("bg-gitlab-");
  cpSync(path.join(EXAMPLES, example, "plan.json"), path.join(dir, rel));
  return dir;
}

describe("the GitLab CI template", () => {
  it("runs the pinned release through npx and declares the four reports", () => {
    expect(template.variables.BLASTGATE_VERSION).toBe(VERSION);
    expect(template.variables.BLASTGATE).toBe("npx --yes blastgate@${BLASTGATE_VERSION}");
    const job = template[".blastgate"]!;
    expect(job.artifacts.when).toBe("always");
    expect(Object.keys(job.artifacts.reports).sort()).toEqual(["codequality", "dotenv", "junit", "terraform"]);
  });

  it.each(["sh", "bash"] as const)("%s: the documented job on the incident fails the job and publishes every report", async (shell) => {
    const dir = workspace("incident");
    const job = resolvedJob();
    const r = await runJob({ ...job, variables: { ...job.variables, BLASTGATE_COMMENT: "false" } }, dir, gitlabEnv(dir), shell);
    expect(r.status, r.stderr).toBe(INCIDENT_STATUS);
    const reports = job.artifacts.reports;
    for (const file of Object.values(reports)) expect(existsSync(path.join(dir, file)), file).toBe(true);
    for (const p of job.artifacts.paths) expect(existsSync(path.join(dir, p))).toBe(true);

    // Code Quality: docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
    const cq = JSON.parse(readFileSync(path.join(dir, reports.codequality!), "utf8")) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    expect(cq.length).toBeGreaterThan(0);
    for (const issue of cq) {
      expect(issue.description).toBeTruthy();
      expect(issue.check_name).toBeTruthy();
      expect(issue.fingerprint).toMatch(/\S/);
      expect(["info", "minor", "major", "critical", "blocker"]).toContain(issue.severity);
      expect(issue.location.path).toBeTruthy();
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(cq.map((i) => i.fingerprint)).size).toBe(cq.length);

    // JUnit: well-formed, failures when the gate fails
    const xml = readFileSync(path.join(dir, reports.junit!), "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false }).parse(xml) as { testsuites: Record<string, string> };
    expect(Number(suites.testsuites["@_failures"]) > 0).toBe(INCIDENT_STATUS === 1);

    // Terraform widget: docs.gitlab.com/user/infrastructure/iac/mr_integration
    expect(JSON.parse(readFileSync(path.join(dir, reports.terraform!), "utf8"))).toEqual({ create: 30, update: 0, delete: 30 });

    // dotenv for later jobs
    const dotenv = readFileSync(path.join(dir, reports.dotenv!), "utf8");
    expect(dotenv).toContain(`BLASTGATE_VERDICT=${INCIDENT_STATUS === 1 ? "fail" : "pass"}\n`);
    expect(dotenv).toContain("BLASTGATE_DESTRUCTIVE=30\n");
    expect(dotenv).toMatch(/^([A-Z_]+=[^\n]*\n)+$/);

    // the job log: the terminal report
    expect(r.stdout).toContain("module.network.terraform_data.vpc");
  });

  it("the safe plan passes the job", async () => {
    const dir = workspace("safe");
    const job = resolvedJob();
    const r = await runJob({ ...job, variables: { ...job.variables, BLASTGATE_COMMENT: "false" } }, dir, gitlabEnv(dir), "sh");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "blastgate-reports/blastgate.env"), "utf8")).toContain("BLASTGATE_VERDICT=pass\n");
  });

  it("with BLASTGATE_COMMENT=true (as documented) it writes the merge-request note with GITLAB_TOKEN", async () => {
    const dir = workspace("safe");
    const r = await runJob(resolvedJob(), dir, gitlabEnv(dir, { GITLAB_TOKEN: TOKEN }), "sh");
    expect(r.status, r.stderr).toBe(0);
    const notes = api.gitlab.get("77!5")!;
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("<!-- blastgate-report -->");
    expect(notes[0]!.body).toContain("acme/infra\\!5");
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(readFileSync(path.join(dir, "blastgate-reports/blastgate.env"), "utf8")).toContain("BLASTGATE_COMMENT=created\n");
  });

  it("the policy directory reaches blastgate (a missing one is exit 2, verdict=error for later jobs)", async () => {
    const dir = workspace("safe");
    const job = resolvedJob();
    const r = await runJob({ ...job, variables: { ...job.variables, BLASTGATE_COMMENT: "false", BLASTGATE_FAIL_ON: "warn", BLASTGATE_POLICIES: "no-such-dir", BLASTGATE_ARGS: "--formats json" } }, dir, gitlabEnv(dir), "sh");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no-such-dir");
    expect(readFileSync(path.join(dir, "blastgate-reports/blastgate.env"), "utf8")).toContain("BLASTGATE_VERDICT=error\n");
  });

  it("a plan that is not there fails the job (exit 2)", async () => {
    const dir = tempDir("bg-gitlab-");
    const job = resolvedJob();
    const r = await runJob({ ...job, variables: { ...job.variables, BLASTGATE_COMMENT: "false" } }, dir, gitlabEnv(dir), "sh");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("plan file not found");
  });
});
