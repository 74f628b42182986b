// Output at the edge: atomic file writes and stdout.

import { randomBytes } from "node:crypto";
import { appendFile, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fail } from "../diagnostics/index.js";

/** The errno code of a caught value, read defensively (anything can be thrown). */
function errnoCode(e: unknown): string {
  try {
    const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
    return typeof code === "string" ? code : "error";
  } catch {
    return "error";
  }
}

/** Attempts at a fresh temp name when one already exists (64 random bits: only a planted file collides). */
const TEMP_ATTEMPTS = 5;

/**
 * Writes a file atomically: a temp file in the same directory, then rename, so no half-written report remains.
 * The temp name is random and opened with O_CREAT|O_EXCL (flag "wx") and mode 0600, so a symlink or file planted at
 * that name is never followed or overwritten (the name is retried instead). The report then gets the usual mode
 * (0644 minus the umask); rename replaces the target itself, not what a symlink there points to. Any failure removes
 * the temp file and throws BG4001, also when the removal fails too.
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  let tmp: string | undefined;
  try {
    let fh;
    for (let attempt = 1; fh === undefined; attempt++) {
      const name = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString("hex")}.tmp`);
      try {
        fh = await open(name, "wx", 0o600);
        tmp = name;
      } catch (e) {
        if (errnoCode(e) !== "EEXIST" || attempt >= TEMP_ATTEMPTS) throw e;
      }
    }
    try {
      await fh.writeFile(text);
      await fh.chmod(0o644 & ~process.umask());
    } finally {
      await fh.close();
    }
    await rename(tmp as string, file);
  } catch (e) {
    let leftover = "";
    if (tmp !== undefined) {
      try {
        await rm(tmp, { force: true });
      } catch (r) {
        leftover = `; the temp file ${path.basename(tmp)} could not be removed (${errnoCode(r)})`;
      }
    }
    throw fail("BG4001", `cannot write the report (${errnoCode(e)})${leftover}`, { location: { file }, fix: "check that the directory exists and is writable" });
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
