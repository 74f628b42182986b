// The plan wrapper's reading of terraform's arguments.

import { describe, expect, it } from "vitest";
import { parsePlanArgs, planSucceeded, TerraformArgsError, terraformErrorSummary, terraformPlanArgv } from "../../src/integrations/terraform.js";

describe("parsePlanArgs", () => {
  it.each([
    [[], { planArgs: [], detailedExitcode: false }],
    [["-var-file=a.tfvars"], { planArgs: ["-var-file=a.tfvars"], detailedExitcode: false }],
    [["-out=tfplan", "-lock=false"], { planArgs: ["-lock=false"], out: "tfplan", detailedExitcode: false }],
    [["-out", "my plan"], { planArgs: [], out: "my plan", detailedExitcode: false }],
    [["--out=x"], { planArgs: [], out: "x", detailedExitcode: false }],
    [["-chdir=infra", "-var", "a=b"], { planArgs: ["-var", "a=b"], chdir: "infra", detailedExitcode: false }],
    [["-detailed-exitcode"], { planArgs: ["-detailed-exitcode"], detailedExitcode: true }],
    [["-detailed-exitcode=false"], { planArgs: ["-detailed-exitcode=false"], detailedExitcode: false }],
    [["-var", "out=1"], { planArgs: ["-var", "out=1"], detailedExitcode: false }],
  ])("%j", (args, want) => {
    expect(parsePlanArgs(args)).toEqual(want);
  });

  it("rejects -out without a value", () => {
    expect(() => parsePlanArgs(["-out"])).toThrow(TerraformArgsError);
    expect(() => parsePlanArgs(["-out="])).toThrow(TerraformArgsError);
  });

  it("builds the argument list with -chdir first and -out last", () => {
    expect(terraformPlanArgv(parsePlanArgs(["-var-file=x"]), "infra", "/tmp/p")).toEqual(["-chdir=infra", "plan", "-var-file=x", "-out=/tmp/p"]);
  });

  it("treats exit 2 as success only with -detailed-exitcode", () => {
    expect(planSucceeded(0, false)).toBe(true);
    expect(planSucceeded(2, false)).toBe(false);
    expect(planSucceeded(2, true)).toBe(true);
    expect(planSucceeded(1, true)).toBe(false);
    expect(planSucceeded(null, false)).toBe(false);
  });
});

describe("terraformErrorSummary", () => {
  it("keeps the Error: block without colour or the box frame", () => {
    const stderr = "\u001b[31m╷\u001b[0m\n\u001b[31m│\u001b[0m \u001b[1m\u001b[31mError: \u001b[0mFailed to read variables file\n│ \n│ Given variables file nope.tfvars does not exist.\n╵\n";
    expect(terraformErrorSummary(stderr)).toBe("Error: Failed to read variables file\nGiven variables file nope.tfvars does not exist.");
  });
  it("falls back to the last lines", () => {
    expect(terraformErrorSummary("a\nb\nc\n", 2)).toBe("b\nc");
  });
});
