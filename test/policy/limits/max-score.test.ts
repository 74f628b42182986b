import { describe } from "vitest";
import { change } from "../helpers.js";
import { runLimitTable } from "./_table.js";

describe("limit max-score", () => {
  runLimitTable("max_score", [
    { name: "score over the limit", changes: [change("a.a")], analysis: { score: 85 }, allowed: 80, measured: 85, status: "fail" },
    { name: "score within the limit", changes: [change("a.a")], analysis: { score: 80 }, allowed: 80, measured: 80, status: "pass" },
    { name: "not checked when the selector matches nothing", changes: [change("a.a", ["update"])], analysis: { score: 99 }, allowed: 10, measured: 99, status: "pass" },
  ]);
});
