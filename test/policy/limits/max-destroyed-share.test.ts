import { describe } from "vitest";
import { change } from "../helpers.js";
import { runLimitTable } from "./_table.js";

const four = [change("a.a"), change("a.b", ["delete", "create"]), change("a.c", ["update"]), change("a.d", ["no-op"])];

describe("limit max-destroyed-share", () => {
  runLimitTable("max_destroyed_share", [
    { name: "half deleted or replaced, at the limit", changes: four, analysis: { managedCount: 4 }, allowed: 0.5, measured: 0.5, status: "pass" },
    { name: "over the limit", changes: four, analysis: { managedCount: 4 }, allowed: 0.25, measured: 0.5, status: "fail" },
    { name: "forget keeps the object, so it is not destroyed", changes: [change("a.a", ["forget"]), change("a.b", ["no-op"])], analysis: { managedCount: 2 }, allowed: 0, measured: 0, status: "pass" },
    { name: "deposed objects are not extra resources", changes: [change("a.a"), change("a.a", ["delete"], { deposed: "abcd1234" }), change("a.b", ["no-op"])], analysis: { managedCount: 2 }, allowed: 0.4, measured: 0.5, status: "fail" },
    { name: "no managed resources: any destroy is all of it", changes: [change("a.a")], analysis: { managedCount: 0 }, allowed: 0.9, measured: 1, status: "fail" },
  ]);
});
