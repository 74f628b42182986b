import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

describe("condition action-reason", () => {
  runTable("action-reason", [
    { name: "exact reason", arg: "delete_because_no_resource_config", change: change("a.b", ["delete"], { actionReason: "delete_because_no_resource_config" }), expected: true },
    { name: "glob over reasons", arg: "delete_because_*", change: change("a.b", ["delete"], { actionReason: "delete_because_each_key" }), expected: true },
    { name: "other reason", arg: ["replace_by_request"], change: change("a.b", ["delete", "create"], { actionReason: "replace_because_tainted" }), expected: false },
    { name: "none matches a change without a reason", arg: "none", change: change("a.b", ["delete"]), expected: true },
    { name: "a reason is not none", arg: "none", change: change("a.b", ["delete"], { actionReason: "delete_because_count_index" }), expected: false },
  ]);
});
