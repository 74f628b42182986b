// The format registry: ids match file names, each format has a doc section in docs/reports.md and golden files.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_IDS, FORMATS } from "../../src/report/formats/index.js";
import { ROOT } from "../helpers/paths.js";

const HELPERS = new Set(["index.ts", "types.ts"]);

describe("format registry", () => {
  it("every format's id is its key and its file name; every file is registered", () => {
    for (const id of FORMAT_IDS) {
      expect(FORMATS[id].id).toBe(id);
      expect(existsSync(path.join(ROOT, "src/report/formats", `${id}.ts`)), `${id}.ts`).toBe(true);
      expect(FORMATS[id].extension).toMatch(/^[a-z]+$/);
      expect(FORMATS[id].description.length).toBeGreaterThan(10);
    }
    const files = readdirSync(path.join(ROOT, "src/report/formats")).filter((f) => !HELPERS.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([...FORMAT_IDS].sort());
  });

  it("every format has a section in docs/reports.md", () => {
    const doc = readFileSync(path.join(ROOT, "docs/reports.md"), "utf8");
    for (const id of FORMAT_IDS) expect(doc, id).toContain(`\n### ${id}\n`);
  });

  it("every format has golden files", () => {
    for (const id of FORMAT_IDS) {
      const golden = id === "terminal" ? "terminal.txt" : id === "json" ? "report.json" : `${id}.${FORMATS[id].extension}`;
      expect(existsSync(path.join(ROOT, "test/golden/incident", golden)) || existsSync(path.join(ROOT, "test/golden/incident-policy", golden)), golden).toBe(true);
    }
  });
});
