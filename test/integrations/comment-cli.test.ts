// `blastgate comment` and `ci ... --comment` against a local stand-in for the GitHub and GitLab APIs: create, update
// the previous comment across pages, retry rate limits and 5xx, then fail with exit 2; the token never shows.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MARKER } from "../../src/integrations/comment.js";
import { ROOT, runCli } from "../helpers/paths.js";
import { startFakeApi, type FakeApi } from "./api-server.js";
import { runCliAsync, tempDir, TF_ENV, type ShellResult } from "./helpers.js";

const TOKEN = "ghp_TESTtoken0123456789secretvalue";
const SAFE = path.join(ROOT, "examples/safe/plan.json");
const INCIDENT = path.join(ROOT, "examples/incident/plan.json");
const INCIDENT_STATUS = runCli(["check", INCIDENT]).status;

let api: FakeApi;
const outputs: ShellResult[] = [];

beforeAll(async () => {
  api = await startFakeApi(TOKEN);
});
afterAll(async () => {
  await api.close();
});
afterEach(() => {
  api.faults.length = 0;
  api.requests.length = 0;
  api.github.clear();
  api.gitlab.clear();
});

function githubEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...TF_ENV, GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, BLASTGATE_RETRY_BASE_MS: "1", ...extra };
}
function gitlabEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...TF_ENV, GITLAB_CI: "true", CI_API_V4_URL: `${api.url}/api/v4`, CI_PROJECT_ID: "acme/infra", CI_MERGE_REQUEST_IID: "3", GITLAB_TOKEN: TOKEN, BLASTGATE_RETRY_BASE_MS: "1", ...extra };
}
async function cli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<ShellResult> {
  const r = await runCliAsync(args, { env, ...(cwd ? { cwd } : {}) });
  outputs.push(r);
  return r;
}
const gh = (pr = "7"): string[] => ["comment", "--provider", "github", "--repo", "acme/infra", "--pr", pr];

describe("blastgate comment on GitHub", () => {
  it("creates the comment, then updates the same one (found by its marker on page 2), never adding another", async () => {
    api.github.set("acme/infra#7", [
      { id: 1, body: "first!" },
      { id: 2, body: "LGTM" },
      { id: 3, body: "please fix" },
    ]);
    const r1 = await cli([...gh(), SAFE], githubEnv());
    expect(r1.stderr).toContain("blastgate: comment created: https://github.example/acme/infra#7#issuecomment-");
    expect(r1.status).toBe(0);
    const list = api.github.get("acme/infra#7")!;
    expect(list).toHaveLength(4);
    const mine = list[3]!;
    expect(mine.body.startsWith(MARKER)).toBe(true);
    expect(mine.body.split(MARKER)).toHaveLength(2);
    // the list was read across pages before creating
    expect(api.requests.filter((q) => q.method === "GET").map((q) => q.path)).toEqual(["/repos/acme/infra/issues/7/comments?per_page=100", "/repos/acme/infra/issues/7/comments?per_page=100&page=2"]);

    api.github.get("acme/infra#7")!.push({ id: 50, body: "a later human comment" });
    const r2 = await cli([...gh(), INCIDENT], githubEnv());
    expect(r2.status).toBe(INCIDENT_STATUS);
    expect(r2.stderr).toContain(`blastgate: comment updated`);
    expect(api.github.get("acme/infra#7")).toHaveLength(5);
    expect(api.github.get("acme/infra#7")![3]!.body).toContain("module.network.terraform"); // the incident's report replaced the safe one
    expect(api.requests.filter((q) => q.method === "PATCH").map((q) => q.path)).toEqual([`/repos/acme/infra/issues/comments/${mine.id}`]);
  });

  it("sends the token only as a bearer header, with the API version header", async () => {
    await cli([...gh(), SAFE], githubEnv());
    for (const q of api.requests) {
      expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(q.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(q.path).not.toContain(TOKEN);
    }
  });

  it("waits out a 429 (Retry-After) and a rate-limit 403 (x-ratelimit-reset), then posts", async () => {
    api.faults.push({ status: 429, headers: { "retry-after": "0" } }, { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) }, body: { message: "API rate limit exceeded" } });
    const r = await cli([...gh(), SAFE], githubEnv());
    expect(r.stderr).toContain("comment created");
    expect(r.status).toBe(0);
    expect(api.github.get("acme/infra#7")).toHaveLength(1);
  });

  it("retries 5xx with backoff, and a create whose answer was lost is not duplicated", async () => {
    // A 500 on the first list, then the POST reaches the server (comment stored) but its answer is a 502: the
    // retry lists again, finds the comment and leaves it (same body) instead of adding a second one.
    api.faults.push({ status: 500, method: "GET" }, { status: 502, method: "POST", after: true });
    const r = await cli([...gh(), SAFE], githubEnv());
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("comment unchanged");
    expect(api.github.get("acme/infra#7")).toHaveLength(1);
    expect(api.requests.map((q) => q.method)).toEqual(["GET", "GET", "POST", "GET"]);
  });

  it("gives up after 4 tries on persistent 5xx: exit 2 with a clear error, even though the gate passes", async () => {
    for (let i = 0; i < 10; i++) api.faults.push({ status: 503, body: { message: "Service Unavailable" } });
    const started = Date.now();
    const r = await cli([...gh(), SAFE], githubEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG5101]: cannot post the GitHub comment");
    expect(r.stderr).toContain("503 Service Unavailable (after 4 tries)");
    expect(api.requests).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("refuses to wait an hour for a rate limit: exit 2 at once, saying how long the API asked", async () => {
    api.faults.push({ status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) }, body: { message: "API rate limit exceeded" } });
    const r = await cli([...gh(), SAFE], githubEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/asked to wait \d+ s more, longer than blastgate waits/);
    expect(api.requests).toHaveLength(1);
  });

  it("a bad token fails at once (no retry) with the fix, and the token is not printed", async () => {
    const wrong = "ghp_WRONGtoken_should_never_be_printed";
    const r = await cli([...gh(), SAFE], githubEnv({ GITHUB_TOKEN: wrong }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("401 Bad credentials");
    expect(r.stderr).toContain("check the token");
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(api.requests).toHaveLength(1);
  });

  it("without a token: exit 2 before any request", async () => {
    const r = await cli([...gh(), SAFE], githubEnv({ GITHUB_TOKEN: "" }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG5102]: no GitHub token");
    expect(api.requests).toHaveLength(0);
  });

  it("posts a ready Markdown file with --body-file, and keeps separate comments apart with --comment-id", async () => {
    const dir = tempDir();
    const md = path.join(dir, "r.md");
    writeFileSync(md, "## hello\n");
    expect((await cli([...gh(), "--body-file", md, "--comment-id", "prod"], githubEnv())).status).toBe(0);
    expect((await cli([...gh(), "--body-file", md, "--comment-id", "staging"], githubEnv())).status).toBe(0);
    expect((await cli([...gh(), "--body-file", md, "--comment-id", "prod"], githubEnv())).stderr).toContain("comment unchanged");
    expect(api.github.get("acme/infra#7")).toHaveLength(2);
  });

  it("reads the pull request from GitHub's event file", async () => {
    const dir = tempDir();
    const event = path.join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 31, head: { sha: "feedbeef" } } }));
    const r = await cli(["comment", SAFE], githubEnv({ GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/infra", GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: "pull_request" }));
    expect(r.status).toBe(0);
    expect(api.github.get("acme/infra#31")![0]!.body).toContain("commit feedbeef");
  });
});

describe("blastgate comment on GitLab", () => {
  it("creates the merge-request note with PRIVATE-TOKEN, then updates it across pages, skipping system notes", async () => {
    api.gitlab.set("acme/infra!3", [
      { id: 1, body: `${MARKER} mentioned in a system note`, system: true },
      { id: 2, body: "looks fine" },
      { id: 3, body: "added 1 commit", system: true },
    ]);
    const r1 = await cli(["comment", SAFE], gitlabEnv());
    expect(r1.status).toBe(0);
    expect(r1.stderr).toContain("comment created");
    const r2 = await cli(["comment", INCIDENT], gitlabEnv());
    expect(r2.status).toBe(INCIDENT_STATUS);
    expect(r2.stderr).toContain("comment updated");
    const notes = api.gitlab.get("acme/infra!3")!;
    expect(notes).toHaveLength(4);
    expect(notes[3]!.body.startsWith(MARKER)).toBe(true);
    expect(api.requests.every((q) => q.headers["private-token"] === TOKEN && q.headers.authorization === undefined)).toBe(true);
    expect(api.requests.filter((q) => q.method === "GET")[1]!.path).toContain("page=2");
    expect(api.requests.some((q) => q.method === "PUT" && q.path === `/api/v4/projects/acme%2Finfra/merge_requests/3/notes/${notes[3]!.id}`)).toBe(true);
  });

  it("uses CI_JOB_TOKEN as JOB-TOKEN when there is no GITLAB_TOKEN", async () => {
    const r = await cli(["comment", SAFE], gitlabEnv({ GITLAB_TOKEN: "", CI_JOB_TOKEN: TOKEN }));
    expect(r.status).toBe(0);
    expect(api.requests.every((q) => q.headers["job-token"] === TOKEN)).toBe(true);
  });

  it("retries a 502 and a 429, then posts", async () => {
    api.faults.push({ status: 502 }, { status: 429, headers: { "retry-after": "0" } });
    const r = await cli(["comment", SAFE], gitlabEnv());
    expect(r.status).toBe(0);
    expect(api.gitlab.get("acme/infra!3")).toHaveLength(1);
  });

  it("a forbidden token explains that CI_JOB_TOKEN cannot write notes; exit 2", async () => {
    api.faults.push({ status: 403, body: { message: "403 Forbidden" } });
    const r = await cli(["comment", SAFE], gitlabEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("403 Forbidden (after 1 try)");
    expect(r.stderr).toContain("CI_JOB_TOKEN cannot write merge-request notes");
  });

  it("outside a merge-request pipeline `comment` is an error (exit 2)", async () => {
    const r = await cli(["comment", SAFE], gitlabEnv({ CI_MERGE_REQUEST_IID: "" }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG5103]: cannot comment: not a merge-request pipeline");
  });
});

describe("ci github --comment", () => {
  function actionsEnv(dir: string, pr = 8): NodeJS.ProcessEnv {
    const event = path.join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: pr, head: { sha: "0123abcd" } } }));
    writeFileSync(path.join(dir, "out"), "");
    writeFileSync(path.join(dir, "summary.md"), "");
    return githubEnv({ GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/infra", GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_OUTPUT: path.join(dir, "out"), GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"), GITHUB_RUN_ID: "1" });
  }

  it("posts the comment and reports it in the outputs", async () => {
    const dir = tempDir();
    const r = await cli(["ci", "github", SAFE, "--comment", "--report-dir", path.join(dir, "r")], actionsEnv(dir));
    expect(r.status).toBe(0);
    const out = readFileSync(path.join(dir, "out"), "utf8");
    expect(out).toContain("comment=created\n");
    expect(out).toMatch(/comment-url=https:\/\/github\.example\/acme\/infra#8#issuecomment-\d+\n/);
  });

  it("a comment that cannot be posted fails the step (exit 2) although the gate passes, and says so in the outputs", async () => {
    for (let i = 0; i < 10; i++) api.faults.push({ status: 500 });
    const dir = tempDir();
    const r = await cli(["ci", "github", SAFE, "--comment", "--report-dir", path.join(dir, "r")], actionsEnv(dir));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG5101]");
    const out = readFileSync(path.join(dir, "out"), "utf8");
    expect(out).toContain("verdict=pass\n");
    expect(out).toContain("exit-code=2\n");
    expect(out).toContain("comment=failed\n");
  });

  it("--report-only does not hide a comment failure", async () => {
    for (let i = 0; i < 10; i++) api.faults.push({ status: 500 });
    const dir = tempDir();
    const r = await cli(["ci", "github", INCIDENT, "--comment", "--report-only", "--report-dir", path.join(dir, "r")], actionsEnv(dir));
    expect(r.status).toBe(2);
  });

  it("outside a pull request the comment is skipped, not an error", async () => {
    const dir = tempDir();
    const env = actionsEnv(dir);
    writeFileSync(env.GITHUB_EVENT_PATH!, JSON.stringify({ ref: "refs/heads/main" }));
    const r = await cli(["ci", "github", SAFE, "--comment", "--report-dir", path.join(dir, "r")], { ...env, GITHUB_EVENT_NAME: "push" });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("blastgate: no comment: not a pull-request run (event push)");
    expect(readFileSync(path.join(dir, "out"), "utf8")).toContain("comment=skipped\n");
    expect(api.requests).toHaveLength(0);
  });
});

describe("the token", () => {
  it("never appears in anything blastgate printed in these tests", () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const o of outputs) expect(o.stdout + o.stderr).not.toContain(TOKEN);
  });
});
