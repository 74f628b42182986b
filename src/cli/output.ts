// Output at the edge: atomic file writes and stdout.

import { randomBytes } from "node:crypto";
import { appendFile, mkdir, open, rename, rm, stat, type FileHandle } from "node:fs/promises";
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

/**
 * What to do about a failed write, by errno code: one table for reports, stdout and the job summary, so each failure
 * says what fixes it (a full disk is not a missing directory).
 */
export function writeFix(code: string): string {
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return "free space on that device, or write the report elsewhere";
    case "EISDIR":
      return "that path is a directory: name a file in it";
    case "EACCES":
    case "EPERM":
      return "check the permissions of the file and its directory, or write the report elsewhere";
    case "EROFS":
      return "that file system is read-only: write the report elsewhere";
    case "ENOENT":
    case "ENOTDIR":
      return "create the directory first, or check the path";
    case "EEXIST":
      return "a file of that name is in the way: remove it or choose another path";
    default:
      return "check that the directory exists and is writable";
  }
}

/** A path under /dev or /proc/PID/fd (/dev/stdout, /dev/fd/3, /proc/self/fd/1): a stream to write to, never to replace. */
function namesAStream(file: string): boolean {
  const abs = path.resolve(file);
  return abs.startsWith("/dev/") || /^\/proc\/[^/]+\/fd\//.test(abs);
}

/** Attempts at a fresh temp name when one already exists (64 random bits: only a planted file collides). */
const TEMP_ATTEMPTS = 5;

/**
 * Writes a file atomically: a temp file in the same directory, then rename, so no half-written report remains.
 * The temp name is random and opened with O_CREAT|O_EXCL (flag "wx") and mode 0600, so a symlink or file planted at
 * that name is never followed or overwritten (the name is retried instead). The report then gets the usual mode
 * (0644 minus the umask); rename replaces the target itself, not what a symlink there points to. A target that is a
 * device, pipe or socket is written in place instead. Any failure removes the temp file and throws BG4001, also when
 * the removal fails too.
 */
export async function writeAtomic(file: string, text: string | Iterable<string>): Promise<void> {
  const dir = path.dirname(file);
  let tmp: string | undefined;
  // Pieces may be rendered while they are written: an error from rendering is rethrown as it is, not as BG4001 (not
  // text at all is a failed write, BG4001, as for writeFile).
  const rendered = typeof text !== "string" && typeof (text as Partial<Iterable<string>> | null)?.[Symbol.iterator] === "function";
  let renderError: { error: unknown } | undefined;
  const pieces = (function* (): Generator<string> {
    try {
      yield* piecesOf(text);
    } catch (error) {
      if (rendered) renderError = { error };
      throw error;
    }
  })();
  const writeTo = async (fh: FileHandle): Promise<void> => {
    const encoder = new PieceEncoder();
    for (const piece of pieces) {
      const bytes = encoder.encode(piece);
      for (let at = 0; at < bytes.length; ) at += (await fh.write(bytes, at, bytes.length - at)).bytesWritten;
    }
  };
  try {
    // A device, pipe or socket (a named pipe, /dev/full) is written as it is: a file renamed over it would replace it
    // (as root, even /dev/full or /dev/null). So is anything named under /dev or /proc/PID/fd: `-o /dev/stdout` with
    // stdout sent to a file is a link to that file, and renaming over it would replace the link /dev/stdout itself.
    const target = await stat(file).catch(() => undefined);
    if (namesAStream(file) || (target !== undefined && !target.isFile() && !target.isDirectory())) {
      const fh = await open(file, "w");
      try {
        await writeTo(fh);
      } finally {
        await fh.close();
      }
      return;
    }
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
      await writeTo(fh);
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
    if (renderError !== undefined) throw renderError.error;
    const code = errnoCode(e);
    throw fail("BG4001", `cannot write the report (${code})${leftover}`, { location: { file }, fix: writeFix(code) });
  }
}

/**
 * Writes to stdout, piece by piece (a large report is never converted to one Buffer); a reader that closed early
 * (`| head`) is not an error worth a stack trace. Any other failure (a full disk) throws BG4001: the report was not
 * delivered, so the run cannot pass.
 */
export async function writeStdout(text: string | Iterable<string>): Promise<void> {
  const out = process.stdout;
  let closed = false;
  let failed: string | undefined;
  let wake: (() => void) | undefined;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === "EPIPE") closed = true;
    else failed = errnoCode(e);
    wake?.();
  };
  out.on("error", onError);
  try {
    // One buffer, encoded into again once the stream holds nothing of it (writableLength 0: stdout to a file, a TTY or
    // a pipe that took it all). Not when write() is replaced (a test's spy keeps what it is given).
    const encoder = Object.prototype.hasOwnProperty.call(out, "write") ? undefined : new PieceEncoder();
    for (const piece of piecesOf(text)) {
      if (closed || failed !== undefined) break;
      if (out.write(encoder !== undefined && out.writableLength === 0 ? encoder.encode(piece) : piece)) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        out.once("drain", resolve);
      });
      if (wake !== undefined) out.off("drain", wake);
      wake = undefined;
    }
  } finally {
    out.off("error", onError);
  }
  if (failed !== undefined) throw fail("BG4001", `cannot write to standard output (${failed})`, { location: { file: "<stdout>" }, fix: writeFix(failed) });
}

/** Characters per piece when one long string is written (about a megabyte, or up to 3 MB of UTF-8). */
const PIECE_CHARS = 1 << 20;

/** The text in pieces, in order; a long string is cut between characters, never inside a surrogate pair. */
function* piecesOf(text: string | Iterable<string>): Generator<string> {
  if (typeof text !== "string") {
    yield* text;
    return;
  }
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PIECE_CHARS);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/**
 * UTF-8 of each piece into one reused buffer (the bytes Buffer.from gives): a fresh buffer per megabyte costs page
 * faults and garbage collection, which made writing an 80 MB report cost more than rendering it.
 */
class PieceEncoder {
  #buf = Buffer.allocUnsafe(0);
  encode(piece: string): Buffer {
    const n = Buffer.byteLength(piece, "utf8");
    if (n > this.#buf.length) this.#buf = Buffer.allocUnsafe(Math.max(n, 2 * this.#buf.length));
    return this.#buf.subarray(0, this.#buf.write(piece, 0, n, "utf8"));
  }
}

/** Files another program owns and blastgate appends to, by the variable that names them. */
const APPENDED = {
  GITHUB_STEP_SUMMARY: "the job summary",
  GITHUB_OUTPUT: "the step outputs",
} as const;

/** Appends to a file another program owns (GitHub's job summary or step outputs); BG4001 names it and the variable. */
export async function appendText(file: string, text: string, variable: keyof typeof APPENDED = "GITHUB_STEP_SUMMARY"): Promise<void> {
  try {
    await appendFile(file, text);
  } catch (e) {
    const code = errnoCode(e);
    throw fail("BG4001", `cannot write ${APPENDED[variable]} (${code})`, { location: { file }, fix: `${writeFix(code)} (${variable} names it)` });
  }
}

/** Creates a report directory (and its parents); BG4001 naming it when that fails. */
export async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    const code = errnoCode(e);
    throw fail("BG4001", `cannot create the report directory (${code})`, { location: { file: dir }, fix: writeFix(code) });
  }
}
