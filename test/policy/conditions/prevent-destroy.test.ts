import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

const db = "aws_db_instance.main";

describe("condition prevent-destroy", () => {
  runTable("prevent-destroy", [
    { name: "known prevent_destroy", arg: true, change: change(db), analysis: { preventDestroy: [db] }, expected: true },
    { name: "not known", arg: true, change: change(db), expected: false },
    { name: "false selects the others", arg: false, change: change(db), expected: true },
    { name: "false does not select a protected one", arg: false, change: change(db), analysis: { preventDestroy: [db] }, expected: false },
    {
      name: "the analysis's prevent-destroy finding counts too",
      arg: true,
      change: change(db),
      analysis: { findings: [{ id: "prevent-destroy", severity: "critical", message: "", addresses: [db] }] },
      expected: true,
    },
  ]);
});
