// `ci` writes report directories, GitHub's step outputs and job summary: when one of them cannot be written, the run
// says which file, why and what to do, and exits 2 (never an internal error, never a pass).

import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, runCli } from "../helpers/paths.js";
import { tempDir } from "./helpers.js";

const SAFE = path.join(EXAMPLES, "safe/plan.json");
/** The environment of a run outside any CI, plus `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  for (const k of ["GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITLAB_CI", "CI"]) if (!(k in extra)) delete e[k];
  return e;
}

describe("ci: files it cannot write", () => {
  const dir = tempDir("bg-ci-write-");
  const afile = path.join(dir, "afile");
  writeFileSync(afile, "x");

  it.each([
    ["a --report-dir that is a file", ["ci", "gitlab", SAFE, "--report-dir", afile], {}, "cannot create the report directory (EEXIST)", afile, /a file of that name is in the way/],
    ["GITHUB_OUTPUT in a missing directory", ["ci", "github", SAFE], { GITHUB_OUTPUT: path.join(dir, "missing", "out") }, "cannot write the step outputs (ENOENT)", path.join(dir, "missing", "out"), /GITHUB_OUTPUT names it/],
    ...(existsSync("/dev/full")
      ? [["GITHUB_STEP_SUMMARY on a full device", ["ci", "github", SAFE], { GITHUB_STEP_SUMMARY: "/dev/full" }, "cannot write the job summary (ENOSPC)", "/dev/full", /free space.*GITHUB_STEP_SUMMARY names it/] as const]
      : []),
  ] as const)("%s: BG4001 naming the file, with a fix, exit 2", (_, args, extra, message, file, fix) => {
    const r = runCli([...args], { cwd: dir, env: env(extra) });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error[BG4001]: ${message}`);
    expect(r.stderr).toContain(`--> ${file}`);
    expect(r.stderr).toMatch(fix);
    expect(r.stderr).not.toContain("BG9000");
  });

  it("an error being reported that cannot be recorded too keeps the first error", () => {
    const r = runCli(["ci", "github", path.join(dir, "no-such-plan.json")], { cwd: dir, env: env({ GITHUB_STEP_SUMMARY: "/dev/full", GITHUB_OUTPUT: path.join(dir, "missing", "out") }) });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG1000]: plan file not found");
  });
});
