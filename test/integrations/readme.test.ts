// The README's integration snippets are the ones the other tests run: the GitHub workflow file, the GitLab job and
// the Atlantis config from the docs; and every command the README's integration section names answers --help.

import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/paths.js";
import { codeBlocks } from "./helpers.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Where it runs"));
const yamlIn = (text: string): string[] => codeBlocks(text).filter((b) => b.info === "yaml").map((b) => b.code);

describe("README: where it runs", () => {
  it("has a section per integration", () => {
    for (const h of ["### Around `terraform plan`", "### GitHub Actions", "### Pull-request and merge-request comments", "### GitLab CI", "### Atlantis", "### Install"]) expect(section).toContain(h);
    expect(section).toContain("github/codeql-action/upload-sarif");
  });

  it("shows the workflow test/integrations/github-action.test.ts runs (docs/examples/github-actions.yml)", () => {
    expect(yamlIn(section)).toContain(readFileSync(path.join(ROOT, "docs/examples/github-actions.yml"), "utf8"));
  });

  it("shows the SARIF upload and GitLab job that docs/integrations.md has (run by github-action and gitlab-ci tests)", () => {
    const docs = yamlIn(readFileSync(path.join(ROOT, "docs/integrations.md"), "utf8"));
    const gitlab = docs.find((b) => b.includes("extends: .blastgate"))!;
    const sarif = docs.find((b) => b.includes("upload-sarif"))!;
    expect(yamlIn(section)).toContain(gitlab);
    expect(yamlIn(section)).toContain(sarif);
    // the SARIF step is the one in the tested workflow (its name aside)
    const [step] = parse(sarif) as Record<string, unknown>[];
    const wf = parse(readFileSync(path.join(ROOT, "docs/examples/github-actions.yml"), "utf8")) as { jobs: { plan: { steps: Record<string, unknown>[] } } };
    expect(wf.jobs.plan.steps.map(({ name: _n, ...rest }) => rest)).toContainEqual(step);
  });

  it("shows the repo-level atlantis.yaml that test/integrations/atlantis.test.ts runs", () => {
    const atlantis = yamlIn(readFileSync(path.join(ROOT, "docs/atlantis.md"), "utf8")).find((b) => b.startsWith("version: 3"))!;
    expect(yamlIn(section)).toContain(atlantis);
  });

  it("every command it names exists", () => {
    for (const cmd of [["plan"], ["comment"], ["ci", "github"], ["ci", "gitlab"], ["ci", "atlantis"]]) {
      const r = runCli([...cmd, "--help"]);
      expect(r.status, r.stderr).toBe(0);
    }
  });
});
