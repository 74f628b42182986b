// What `check` writes where: `--format` (repeatable) and `--output FILE` or `--output NAME=FILE` (repeatable) become a
// list of targets, each one format to one file or to standard output; then every target is rendered. Pure: the
// CLI writes the texts (atomically) and prints the one for standard output.

import { fail } from "../diagnostics/index.js";
import { FORMAT_IDS, isFormatId, type FormatId, type RenderOptions } from "./formats/index.js";

export interface OutputTarget {
  format: FormatId;
  /** File to write; null for standard output. */
  file: string | null;
}

/**
 * Resolves `--format` values and `--output` values into targets:
 * - `--output NAME=FILE` writes format NAME to FILE (and asks for NAME even if `--format` did not);
 * - a bare `--output FILE` takes the one format that has no file (an error when several would);
 * - formats without a file go to standard output: at most one may;
 * - no `--format` at all means `terminal`, on standard output unless a bare `--output FILE` takes it.
 * Errors are BlastgateErrors (BG4002..BG4005) with a fix; the CLI shows them as usage errors (exit 2).
 */
export function resolveOutputs(formats: readonly string[] = [], outputs: readonly string[] = []): OutputTarget[] {
  const named = new Map<FormatId, string>();
  const bare: string[] = [];
  for (const spec of outputs) {
    const eq = spec.indexOf("=");
    const name = eq > 0 ? spec.slice(0, eq) : "";
    if (eq > 0 && isFormatId(name)) {
      const file = spec.slice(eq + 1);
      if (file === "") throw fail("BG4002", `--output ${spec} names no file`, { fix: `write --output ${name}=FILE` });
      if (named.has(name)) throw fail("BG4003", `--output names two files for the ${name} format`, { fix: "give each format one --output NAME=FILE" });
      named.set(name, file);
    } else if (eq > 0 && /^[a-z][a-z0-9-]*$/.test(name)) {
      throw fail("BG4002", `--output ${spec}: "${name}" is not a report format`, { fix: `known formats: ${FORMAT_IDS.join(", ")}; for a file name with "=", write ./${spec}` });
    } else bare.push(spec);
  }
  if (bare.length > 1) throw fail("BG4003", `--output names ${bare.length} files without a format`, { fix: "use --output NAME=FILE for each format" });
  for (const f of formats) if (!isFormatId(f)) throw fail("BG4002", `unknown format "${f}"`, { fix: `known formats: ${FORMAT_IDS.join(", ")}` });
  const asked: FormatId[] = [...new Set(formats as FormatId[])];
  if (asked.length === 0) asked.push("terminal");
  const targets: OutputTarget[] = [];
  const unfiled = asked.filter((f) => !named.has(f));
  if (bare.length === 1 && unfiled.length > 1) throw fail("BG4004", `--output ${bare[0]} names one file but ${unfiled.length} formats have none (${unfiled.join(", ")})`, { fix: "use --output NAME=FILE for each format" });
  for (const f of asked) targets.push({ format: f, file: named.get(f) ?? (bare.length === 1 ? bare[0]! : null) });
  for (const [f, file] of named) if (!asked.includes(f)) targets.push({ format: f, file });
  // Without --format, NAME=FILE outputs come in addition to the terminal report on standard output.
  const toStdout = targets.filter((t) => t.file === null);
  if (toStdout.length > 1) throw fail("BG4004", `${toStdout.length} formats would go to standard output (${toStdout.map((t) => t.format).join(", ")})`, { fix: "send all but one to files with --output NAME=FILE" });
  const files = new Map<string, FormatId>();
  for (const t of targets) {
    if (t.file === null) continue;
    const other = files.get(t.file);
    if (other) throw fail("BG4005", `the ${other} and ${t.format} reports would both be written to ${t.file}`, { fix: "give each format its own file" });
    files.set(t.file, t.format);
  }
  return targets;
}

/** The render options for one target: colour only for a terminal report on standard output (when `options.color` allows it). */
export function targetOptions(t: OutputTarget, options: RenderOptions): RenderOptions {
  return { ...options, color: options.color && t.file === null && t.format === "terminal" };
}
