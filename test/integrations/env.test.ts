// Reading GitHub Actions, GitLab CI and Atlantis environments, the context label, outputs and workflow commands.

import { describe, expect, it } from "vitest";
import { atlantisEnv, atlantisPolicyOutput, isAtlantis } from "../../src/integrations/atlantis.js";
import { ciContext, contextLine, contextMarkdown } from "../../src/integrations/context.js";
import { formatOutputs, githubEnv, nextLink, pullRequestNumber, sameOrigin, workflowCommand } from "../../src/integrations/github.js";
import { ghData, ghProperty } from "../../src/report/text.js";
import { gitlabEnv } from "../../src/integrations/gitlab.js";

const ATLANTIS = {
  ATLANTIS_TERRAFORM_VERSION: "1.11.4",
  DIR: "/atlantis/repos/acme/infra/42/default/envs/prod",
  REPO_REL_DIR: "envs/prod",
  WORKSPACE: "default",
  PROJECT_NAME: "prod",
  PULL_NUM: "42",
  PULL_URL: "https://github.com/acme/infra/pull/42",
  HEAD_COMMIT: "0123456789abcdef0123456789abcdef01234567",
  BASE_REPO_OWNER: "acme",
  BASE_REPO_NAME: "infra",
  PLANFILE: "/atlantis/x/prod-default.tfplan",
  SHOWFILE: "/atlantis/x/prod-default.json",
};

describe("ciContext", () => {
  it("reads Atlantis's step environment", () => {
    const ctx = ciContext(ATLANTIS)!;
    expect(ctx).toEqual({
      provider: "atlantis",
      repository: "acme/infra",
      change: 42,
      changeUrl: "https://github.com/acme/infra/pull/42",
      commit: ATLANTIS.HEAD_COMMIT,
      project: "prod",
      directory: "envs/prod",
      workspace: "default",
    });
    expect(contextLine(ctx)).toBe("Atlantis · acme/infra#42 · project prod (dir envs/prod, workspace default) · commit 0123456789ab");
  });

  it("reads GitHub Actions with a pull_request event", () => {
    const env = { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/infra", GITHUB_SHA: "merge", GITHUB_RUN_ID: "7", GITHUB_SERVER_URL: "https://github.com" };
    const ctx = ciContext(env, { pull_request: { number: 5, head: { sha: "headsha", ref: "feature" } } })!;
    expect(ctx).toMatchObject({ provider: "github-actions", repository: "acme/infra", change: 5, commit: "headsha", branch: "feature", runUrl: "https://github.com/acme/infra/actions/runs/7" });
  });

  it("reads GitLab CI in a merge-request pipeline", () => {
    const env = { GITLAB_CI: "true", CI_PROJECT_PATH: "acme/infra", CI_PROJECT_URL: "https://gitlab.example.com/acme/infra", CI_MERGE_REQUEST_IID: "3", CI_COMMIT_SHA: "abc", CI_JOB_URL: "https://gitlab.example.com/acme/infra/-/jobs/1" };
    const ctx = ciContext(env)!;
    expect(ctx).toMatchObject({ provider: "gitlab-ci", repository: "acme/infra", change: 3, changeUrl: "https://gitlab.example.com/acme/infra/-/merge_requests/3" });
    expect(contextLine(ctx)).toBe("GitLab CI · acme/infra!3 · commit abc");
  });

  it("is null outside CI, and Atlantis wins inside another CI's container", () => {
    expect(ciContext({})).toBeNull();
    expect(ciContext({ ...ATLANTIS, GITHUB_ACTIONS: "true" })!.provider).toBe("atlantis");
  });

  it("escapes Markdown and strips control characters from environment values", () => {
    const ctx = ciContext({ ...ATLANTIS, PROJECT_NAME: "x`|<img src=x>\u001b[31m_*" })!;
    expect(contextLine(ctx)).not.toMatch(/\u001b/);
    const md = contextMarkdown(ctx);
    expect(md).not.toContain("<img");
    expect(md).toContain("&lt;img");
    expect(md).toContain("x\\`\\|");
  });
});

describe("Atlantis", () => {
  it("is detected by its own variables only", () => {
    expect(isAtlantis(ATLANTIS)).toBe(true);
    expect(isAtlantis({ DIR: "/x", WORKSPACE: "default" })).toBe(false);
    expect(atlantisEnv(ATLANTIS)).toMatchObject({ pullNum: 42, showFile: ATLANTIS.SHOWFILE, planFile: ATLANTIS.PLANFILE });
  });

  it("a passing policy-check output never contains 'fail'; a failing one always does", () => {
    const pass = atlantisPolicyOutput("aws_instance.failover FAIL Failed\n", true);
    expect(pass.toLowerCase()).not.toContain("fail");
    expect(pass.replace(/\u200d/g, "")).toBe("aws_instance.failover FAIL Failed\n");
    expect(atlantisPolicyOutput("FAIL\n", false)).toContain("fail");
  });
});

describe("GitHub", () => {
  it("finds the pull request from the event or the ref", () => {
    expect(pullRequestNumber({ pull_request: { number: 12 } })).toBe(12);
    expect(pullRequestNumber({ issue: { number: 13, pull_request: {} } })).toBe(13);
    expect(pullRequestNumber({ issue: { number: 14 } })).toBeUndefined();
    expect(pullRequestNumber(undefined, "refs/pull/15/merge")).toBe(15);
    expect(pullRequestNumber(undefined, "refs/heads/main")).toBeUndefined();
  });

  it("takes the token from GITHUB_TOKEN and the API URL from GITHUB_API_URL", () => {
    expect(githubEnv({ GITHUB_TOKEN: "t0k3n", GITHUB_API_URL: "https://ghe.example.com/api/v3" })).toMatchObject({ token: "t0k3n", apiUrl: "https://ghe.example.com/api/v3" });
    expect(githubEnv({}).apiUrl).toBe("https://api.github.com");
  });

  it("writes outputs as name=value, and multi-line values as a heredoc whose delimiter is not in the value", () => {
    const text = formatOutputs({ verdict: "fail", paths: "a.json\nb.sarif" }, () => 0.5);
    const m = /^verdict=fail\npaths<<(\S+)\na\.json\nb\.sarif\n(\S+)\n$/.exec(text);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    expect(() => formatOutputs({ "bad name": "x" })).toThrow();
    let calls = 0;
    const values = ["ghadelimiter_" + Math.floor(0.1 * 1e12).toString(36), "ghadelimiter_" + Math.floor(0.2 * 1e12).toString(36)];
    const t2 = formatOutputs({ v: `x\n${values[0]}` }, () => [0.1, 0.2][calls++]!);
    expect(t2).toContain(`v<<${values[1]}\n`);
  });

  it("escapes workflow command data and properties", () => {
    expect(ghData("50%\nnext\r")).toBe("50%25%0Anext%0D");
    expect(ghProperty("a:b,c")).toBe("a%3Ab%2Cc");
    expect(workflowCommand("error", "boom\nline", { title: "t: x", file: "main.tf", line: 3 })).toBe("::error title=t%3A x,file=main.tf,line=3::boom%0Aline");
  });

  it("follows Link rel=next only on the same origin", () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe("https://api.github.com/x?page=2");
    expect(nextLink(null)).toBeUndefined();
    expect(sameOrigin("https://api.github.com", "https://api.github.com/x")).toBe(true);
    expect(sameOrigin("https://api.github.com", "https://evil.example/x")).toBe(false);
  });
});

describe("GitLab", () => {
  it("prefers GITLAB_TOKEN (PRIVATE-TOKEN) over CI_JOB_TOKEN (JOB-TOKEN), and the MR's project for forks", () => {
    expect(gitlabEnv({ GITLAB_TOKEN: "glpat-x", CI_JOB_TOKEN: "job" }).token).toEqual({ value: "glpat-x", header: "PRIVATE-TOKEN" });
    expect(gitlabEnv({ CI_JOB_TOKEN: "job" }).token).toEqual({ value: "job", header: "JOB-TOKEN" });
    expect(gitlabEnv({ CI_PROJECT_ID: "1", CI_MERGE_REQUEST_PROJECT_ID: "2", CI_MERGE_REQUEST_IID: "9", CI_SERVER_URL: "https://gl.example" })).toMatchObject({ projectId: "2", mergeRequestIid: 9, apiUrl: "https://gl.example/api/v4" });
  });
});
