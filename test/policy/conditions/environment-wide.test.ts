import { describe } from "vitest";
import type { Finding } from "../../../src/analysis/types.js";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

const wide = (addresses: string[]): Finding[] => [{ id: "environment-wide", severity: "critical", message: "", addresses }];

describe("condition environment-wide", () => {
  runTable("environment-wide", [
    { name: "listed in the finding", arg: true, change: change("module.net.aws_vpc.main", ["delete", "create"]), analysis: { findings: wide(["module.net.aws_vpc.main"]) }, expected: true },
    { name: "no finding", arg: true, change: change("module.net.aws_vpc.main", ["delete", "create"]), expected: false },
    { name: "a finding without addresses covers the plan", arg: true, change: change("aws_vpc.main"), analysis: { findings: wide([]) }, expected: true },
    { name: "not listed", arg: true, change: change("aws_s3_bucket.a"), analysis: { findings: wide(["aws_vpc.main"]) }, expected: false },
    { name: "updates are never part of it", arg: true, change: change("aws_vpc.main", ["update"]), analysis: { findings: wide([]) }, expected: false },
    { name: "false selects the rest", arg: false, change: change("aws_s3_bucket.a"), analysis: { findings: wide(["aws_vpc.main"]) }, expected: true },
  ]);
});
