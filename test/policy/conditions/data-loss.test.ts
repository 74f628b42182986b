import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

const db = "aws_db_instance.main";

describe("condition data-loss", () => {
  runTable("data-loss", [
    { name: "certain", arg: ["certain", "likely"], change: change(db), analysis: { risk: { [db]: "certain" } }, expected: true },
    { name: "avoidable is not certain", arg: ["certain", "likely"], change: change(db), analysis: { risk: { [db]: "avoidable" } }, expected: false },
    { name: "a single value", arg: "unknown", change: change(db), analysis: { risk: { [db]: "unknown" } }, expected: true },
    { name: "a destructive change the analysis missed is unknown, never none", arg: "unknown", change: change(db), analysis: { missing: [db] }, expected: true },
    { name: "updates carry no data-loss risk", arg: ["certain", "likely", "unknown", "none", "avoidable"], change: change(db, ["update"]), expected: false },
  ]);
});
