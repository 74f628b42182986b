import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

describe("condition ai-assisted", () => {
  runTable("ai-assisted", [
    { name: "marked", arg: true, change: change("a.b"), context: { aiAssisted: true, aiEvidence: ["AI-Assisted: true"] }, expected: true },
    { name: "not marked", arg: true, change: change("a.b"), expected: false },
    { name: "false selects unmarked changes", arg: false, change: change("a.b"), expected: true },
  ]);
});
