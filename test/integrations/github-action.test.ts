// The GitHub Action: action.yml run as the runner runs a composite action, with GitHub's environment pointing at
// temp files, and the documented workflow (docs/examples/github-actions.yml, also in the README) run step by step.

import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, HAS_TERRAFORM, ROOT, runCli } from "../helpers/paths.js";
import { condition, readAction, runAction, runStep, substitute, type ExprContext } from "./actions-runner.js";
import { startFakeApi, type FakeApi } from "./api-server.js";
import { tempDir, TF_ENV } from "./helpers.js";

const TOKEN = "ghs_actionTOKEN_0123456789_notforprinting";
const INCIDENT_STATUS = runCli(["check", "examples/incident/plan.json"]).status;
let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi(TOKEN);
});
afterAll(async () => {
  await api.close();
});

interface Runner {
  workspace: string;
  env: NodeJS.ProcessEnv;
  github: Record<string, string>;
  summary: string;
}

/** GitHub's environment for a pull_request run, every file in a fresh temp dir. */
function runner(pr = 12): Runner {
  const root = tempDir("bg-gha-");
  const workspace = path.join(root, "workspace");
  const runnerTemp = path.join(root, "runner-temp");
  mkdirSync(workspace);
  mkdirSync(runnerTemp);
  const event = path.join(root, "event.json");
  writeFileSync(event, JSON.stringify({ action: "synchronize", number: pr, pull_request: { number: pr, head: { sha: "5eed0000c0ffee", ref: "feature" } } }));
  const summary = path.join(root, "step-summary.md");
  writeFileSync(summary, "");
  const env: NodeJS.ProcessEnv = {
    ...TF_ENV,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "acme/infra",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: `refs/pull/${pr}/merge`,
    GITHUB_SHA: "merge0000",
    GITHUB_RUN_ID: "4242",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: api.url,
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: runnerTemp,
    BLASTGATE_RETRY_BASE_MS: "1",
  };
  return { workspace, env, github: { token: TOKEN, workspace, repository: "acme/infra" }, summary };
}

function putPlan(r: Runner, example: string, rel: string): void {
  mkdirSync(path.dirname(path.join(r.workspace, rel)), { recursive: true });
  cpSync(path.join(EXAMPLES, example, "plan.json"), path.join(r.workspace, rel));
}

describe("action.yml", () => {
  const action = readAction(path.join(ROOT, "action.yml"));

  it("declares the inputs and outputs the docs promise, each output from the blastgate step", () => {
    for (const i of ["plan", "policies", "formats", "fail-on", "comment", "tf-dir", "terraform-bin", "report-dir", "github-token"]) expect(action.inputs).toHaveProperty(i);
    for (const o of ["verdict", "destructive", "create", "update", "delete", "replace", "report-paths", "sarif", "json", "markdown", "comment-url"]) {
      expect(action.outputs[o]!.value).toBe(`\${{ steps.blastgate.outputs.${o} }}`);
    }
    expect(action.runs.using).toBe("composite");
  });

  it("on the incident: annotations, job summary, outputs (heredoc for the paths), SARIF and JSON files", async () => {
    const r = runner();
    putPlan(r, "incident", "plans/incident.json");
    const res = await runAction(ROOT, { plan: "plans/incident.json" }, r);
    expect(res.status).toBe(INCIDENT_STATUS);
    // annotations on stdout
    expect(res.stdout).toMatch(/^::(warning|error) .*title=.*::module\.network\.terraform_data\./m);
    // outputs
    expect(res.outputs.verdict).toBe(INCIDENT_STATUS === 1 ? "fail" : "pass");
    expect(res.outputs["exit-code"]).toBe(String(INCIDENT_STATUS));
    expect(res.outputs.destructive).toBe("30");
    expect(res.outputs.replace).toBe("30");
    expect(res.outputs.delete).toBe("0");
    const paths = res.outputs["report-paths"]!.split("\n");
    expect(paths.map((p) => path.basename(p))).toEqual(["blastgate.json", "blastgate.md", "blastgate.sarif"]);
    const sarif = JSON.parse(readFileSync(path.resolve(r.workspace, res.outputs.sarif!), "utf8")) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(path.resolve(r.workspace, res.outputs.json!), "utf8")) as { destructive: unknown[] };
    expect(report.destructive).toHaveLength(30);
    // the job summary: the Markdown report with the verdict and the run's context
    const summary = readFileSync(r.summary, "utf8");
    expect(summary).toContain("<!-- blastgate-report -->");
    expect(summary).toMatch(INCIDENT_STATUS === 1 ? /STOP|FAIL/ : /PASS/);
    expect(summary).toContain("acme/infra\\#12");
    expect(summary).toContain("commit 5eed0000c0ff");
    expect(summary).toContain("[run](https://github.com/acme/infra/actions/runs/4242)");
    // no comment unless asked
    expect(res.outputs.comment).toBe("");
  });

  it("a directory of plans, report-only, and annotations/summary turned off", async () => {
    const r = runner();
    putPlan(r, "incident", "plans/a-incident.json");
    putPlan(r, "safe", "plans/b-safe.json");
    const res = await runAction(ROOT, { plan: "plans/", "report-only": true, summary: false, annotations: false, formats: "json" }, r);
    expect(res.status).toBe(0);
    expect(res.outputs.destructive).toBe("30");
    expect(res.outputs.sarif).toBe("");
    expect(res.stdout).not.toMatch(/^::/m);
    expect(readFileSync(r.summary, "utf8")).toBe("");
    expect(readFileSync(res.outputs.json ? path.resolve(r.workspace, res.outputs.json) : "/nonexistent", "utf8")).toContain("b-safe.json");
  });

  it("with working-directory, the report paths in the outputs are absolute (later steps run from the workspace root)", async () => {
    const r = runner();
    putPlan(r, "safe", "infra/plan.json");
    const res = await runAction(ROOT, { plan: "plan.json", "working-directory": "infra" }, r);
    expect(res.status).toBe(0);
    expect(path.isAbsolute(res.outputs.sarif!)).toBe(true);
    expect(existsSync(res.outputs.sarif!)).toBe(true);
    expect(res.outputs["report-dir"]).toBe(path.join(r.workspace, "infra", "blastgate-reports"));
  });

  it("comments on the pull request with the action's github-token", async () => {
    const r = runner(21);
    putPlan(r, "safe", "plan.json");
    const res = await runAction(ROOT, { plan: "plan.json", comment: true }, r);
    expect(res.status).toBe(0);
    expect(res.outputs.comment).toBe("created");
    expect(api.github.get("acme/infra#21")).toHaveLength(1);
    expect(res.stdout + res.stderr).not.toContain(TOKEN);
  });

  it("a plan that cannot be read: exit 2, verdict=error, the diagnostic in the summary and as an annotation", async () => {
    const r = runner();
    const res = await runAction(ROOT, { plan: "missing/plan.json" }, r);
    expect(res.status).toBe(2);
    expect(res.outputs.verdict).toBe("error");
    expect(res.stdout).toContain("::error title=blastgate BG1000::plan file not found");
    expect(readFileSync(r.summary, "utf8")).toContain("could not analyse");
  });

  it("a glob matching nothing fails closed (exit 2)", async () => {
    const r = runner();
    const res = await runAction(ROOT, { plan: "plans/*.json" }, r);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("no plan file matches `plans/*.json`");
  });

  it("without a build in the action's checkout, it runs the npm package of the action's version", async () => {
    const r = runner();
    putPlan(r, "safe", "plan.json");
    const bare = tempDir("bg-action-");
    cpSync(path.join(ROOT, "action.yml"), path.join(bare, "action.yml"));
    cpSync(path.join(ROOT, "package.json"), path.join(bare, "package.json"));
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    // What `npm install --prefix $RUNNER_TEMP/blastgate-VERSION blastgate@VERSION` leaves (no registry in tests).
    const bin = path.join(r.env.RUNNER_TEMP!, `blastgate-${version}`, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, "blastgate"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, "bin/blastgate.js")}" "$@"\n`);
    chmodSync(path.join(bin, "blastgate"), 0o755);
    const res = await runAction(bare, { plan: "plan.json" }, r);
    expect(res.stderr).not.toContain("npm");
    expect(res.status).toBe(0);
    expect(res.outputs.verdict).toBe("pass");
  });
});

interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}

/** Runs the documented workflow's job: checkout and setup-terraform are stand-ins, run steps and blastgate are real. */
async function runWorkflow(yamlText: string, r: Runner): Promise<{ ctx: ExprContext; ran: string[] }> {
  const wf = parse(yamlText) as { permissions: Record<string, string>; jobs: Record<string, { steps: WorkflowStep[] }> };
  expect(wf.permissions["pull-requests"]).toBe("write");
  expect(wf.permissions["security-events"]).toBe("write");
  const [job] = Object.values(wf.jobs);
  const ctx: ExprContext = { inputs: {}, github: r.github, secrets: { GITHUB_TOKEN: TOKEN }, steps: {} };
  const ran: string[] = [];
  for (const step of job!.steps) {
    if (!condition(step.if, ctx)) continue;
    const id = step.id ?? `step${ran.length}`;
    if (step.run !== undefined) {
      const res = await runStep(substitute(step.run, ctx), { cwd: path.join(r.workspace, step["working-directory"] ?? "."), env: r.env });
      expect(res.status, `${step.name}: ${res.stderr}`).toBe(0);
      ctx.steps[id] = { outputs: res.outputs, outcome: "success" };
      ran.push(step.name ?? "run");
      continue;
    }
    const uses = step.uses!;
    const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
    if (uses.startsWith("actions/checkout@")) {
      cpSync(path.join(EXAMPLES, "safe"), path.join(r.workspace, "infra"), { recursive: true, filter: (s) => !/(plan\.json|plan\.txt|graph\.dot|\.terraform)$/.test(s) });
      // A repository's own values file (terraform loads terraform.tfvars by itself).
      cpSync(path.join(EXAMPLES, "safe", "after.tfvars"), path.join(r.workspace, "infra", "terraform.tfvars"));
    } else if (uses.startsWith("hashicorp/setup-terraform@")) {
      expect(withs.terraform_wrapper).toBe("false");
    } else if (/^[\w-]+\/blastgate@v1$/.test(uses)) {
      const res = await runAction(ROOT, withs, r);
      ctx.steps[id] = { outputs: res.outputs, outcome: res.status === 0 ? "success" : "failure" };
      expect(res.status, res.stderr).toBe(0);
    } else if (uses.startsWith("github/codeql-action/upload-sarif@")) {
      const sarif = JSON.parse(readFileSync(path.resolve(r.workspace, withs.sarif_file!), "utf8")) as { version: string };
      expect(sarif.version).toBe("2.1.0");
    } else if (uses.startsWith("actions/upload-artifact@")) {
      expect(existsSync(path.resolve(r.workspace, withs.path!))).toBe(true);
    } else {
      throw new Error(`the documented workflow uses ${uses}, which this test does not know`);
    }
    ran.push(step.name ?? uses);
  }
  return { ctx, ran };
}

describe.skipIf(!HAS_TERRAFORM)("the documented workflow (docs/examples/github-actions.yml)", () => {
  const file = readFileSync(path.join(ROOT, "docs/examples/github-actions.yml"), "utf8");

  it("runs end to end: terraform plan, blastgate (comment), SARIF upload, artifact", async () => {
    const r = runner(33);
    const { ctx, ran } = await runWorkflow(file, r);
    expect(ran).toEqual(["actions/checkout@v4", "hashicorp/setup-terraform@v3", "terraform plan", "blastgate", "upload SARIF to code scanning", "keep the reports"]);
    expect(ctx.steps.blastgate!.outputs.verdict).toBe("pass");
    expect(ctx.steps.blastgate!.outputs.comment).toBe("created");
    expect(api.github.get("acme/infra#33")![0]!.body).toContain("<!-- blastgate-report -->");
  });
});
