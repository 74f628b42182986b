import { describe } from "vitest";
import { change } from "../helpers.js";
import { runLimitTable } from "./_table.js";

const vpc = "aws_vpc.main";
const sg = "aws_security_group.db";

describe("limit max-blast-radius", () => {
  runLimitTable("max_blast_radius", [
    { name: "largest radius over the limit", changes: [change(vpc, ["delete", "create"]), change(sg)], analysis: { radius: { [vpc]: 40, [sg]: 3 } }, allowed: 10, measured: 40, status: "fail" },
    { name: "within the limit", changes: [change(sg)], analysis: { radius: { [sg]: 3 } }, allowed: 10, measured: 3, status: "pass" },
    { name: "only selected changes count", changes: [change(vpc, ["delete", "create"]), change(sg)], analysis: { radius: { [vpc]: 40, [sg]: 3 } }, when: "{ address: aws_security_group.* }", allowed: 10, measured: 3, status: "pass" },
    { name: "no destructive change, no radius", changes: [change(vpc, ["update"])], allowed: 0, measured: 0, status: "pass" },
  ]);
});
