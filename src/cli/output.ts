// Output at the edge: atomic file writes and stdout.

import { appendFile, rename, writeFile, rm } from "node:fs/promises";
import path from "node:path";
import { fail } from "../diagnostics/index.js";

/** Writes a file atomically: a temp file in the same directory, then rename, so no half-written report remains. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw fail("BG4001", `cannot write the report (${err.code ?? "error"})`, { location: { file }, fix: "check that the directory exists and is writable" });
  }
}

/** Writes to stdout; a reader that closed early (`| head`) is not an error worth a stack trace. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === "EPIPE") resolve();
    };
    process.stdout.once("error", onError);
    const done = (): void => {
      process.stdout.off("error", onError);
      resolve();
    };
    if (process.stdout.write(text)) done();
    else process.stdout.once("drain", done);
  });
}

/** Appends to a file another program owns (GitHub's job summary). */
export async function appendText(file: string, text: string): Promise<void> {
  try {
    await appendFile(file, text);
  } catch (e) {
    throw fail("BG4001", `cannot write the job summary (${(e as NodeJS.ErrnoException).code ?? "error"})`, { location: { file }, fix: "check GITHUB_STEP_SUMMARY points at a writable file" });
  }
}
