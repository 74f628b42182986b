// `--format` (repeatable) and `--output FILE | NAME=FILE` (repeatable) resolved into targets, as a table.

import { describe, expect, it } from "vitest";
import { isBlastgateError } from "../../src/diagnostics/index.js";
import { FORMATS } from "../../src/report/formats/index.js";
import { resolveOutputs, targetOptions, type OutputTarget } from "../../src/report/outputs.js";
import { exampleReport } from "./helpers.js";

describe("resolveOutputs", () => {
  it.each([
    ["nothing: terminal on stdout", [], [], [{ format: "terminal", file: null }]],
    ["one format on stdout", ["json"], [], [{ format: "json", file: null }]],
    ["a bare file takes the one format", ["json"], ["r.json"], [{ format: "json", file: "r.json" }]],
    ["a bare file without --format takes the terminal report", [], ["r.txt"], [{ format: "terminal", file: "r.txt" }]],
    ["NAME=FILE adds formats; the terminal report stays on stdout", [], ["sarif=r.sarif", "junit=j.xml"], [{ format: "terminal", file: null }, { format: "sarif", file: "r.sarif" }, { format: "junit", file: "j.xml" }]],
    ["--format with NAME=FILE for some, stdout for one", ["markdown", "sarif"], ["sarif=out/r.sarif"], [{ format: "markdown", file: null }, { format: "sarif", file: "out/r.sarif" }]],
    ["repeated formats count once", ["json", "json"], [], [{ format: "json", file: null }]],
    ["a file name with = that is not a format name", ["json"], ["./a=b.json"], [{ format: "json", file: "./a=b.json" }]],
    ["gitlab-terraform by name", ["gitlab-terraform"], ["gitlab-terraform=tf.json"], [{ format: "gitlab-terraform", file: "tf.json" }]],
  ])("%s", (_name, formats, outputs, expected) => {
    expect(resolveOutputs(formats, outputs)).toEqual(expected);
  });

  it.each([
    ["two formats on stdout", ["json", "sarif"], [], "BG4004"],
    ["a bare file for two formats", ["json", "sarif"], ["r"], "BG4004"],
    ["two bare files", [], ["a", "b"], "BG4003"],
    ["an unknown format in NAME=FILE", [], ["sarrif=r.sarif"], "BG4002"],
    ["an unknown --format", ["yaml"], [], "BG4002"],
    ["NAME= without a file", [], ["sarif="], "BG4002"],
    ["one format, two files", [], ["sarif=a", "sarif=b"], "BG4003"],
    ["two formats, one file", ["json", "sarif"], ["json=r", "sarif=r"], "BG4005"],
  ])("rejects %s", (_name, formats, outputs, code) => {
    try {
      resolveOutputs(formats, outputs);
      expect.unreachable();
    } catch (e) {
      expect(isBlastgateError(e)).toBe(true);
      if (isBlastgateError(e)) {
        expect(e.diagnostic.code).toBe(code);
        expect(e.diagnostic.fix).toBeTruthy();
      }
    }
  });

  it("renders each target; colour only for the terminal report on stdout", async () => {
    const report = await exampleReport("safe");
    // As check renders each target.
    const renderOutputs = (targets: OutputTarget[], input: typeof report, options: { color: boolean; width: number }) =>
      targets.map((t) => ({ ...t, text: FORMATS[t.format].render(input, targetOptions(t, options)) }));
    const out = renderOutputs(resolveOutputs(["terminal", "json"], ["json=r.json"]), report, { color: true, width: 80 });
    expect(out.map((o) => [o.format, o.file])).toEqual([
      ["terminal", null],
      ["json", "r.json"],
    ]);
    expect(out[0]!.text).toContain("\x1b[");
    const toFile = renderOutputs(resolveOutputs(["terminal"], ["t.txt"]), report, { color: true, width: 80 });
    expect(toFile[0]!.text).not.toContain("\x1b[");
  });
});
