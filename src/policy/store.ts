// Approval records on disk: read the one for a plan, write one atomically without overwriting. I/O edge.

import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fail } from "../diagnostics/index.js";
import { approvalFileName, type ApprovalRecord } from "./approval.js";
import { shortFingerprint } from "./fingerprint.js";
import type { ApprovalCandidate } from "./model.js";

export const DEFAULT_APPROVALS_DIR = ".blastgate/approvals";
/** The environment variable holding the HMAC key that signs (approve) and verifies (check) approval records. */
export const APPROVAL_KEY_ENV = "BLASTGATE_APPROVAL_KEY";
const MAX_RECORD_BYTES = 256 * 1024;

/**
 * Reads the approval record for a fingerprint from a directory (named by the digest). A missing directory or record
 * is no approval, with a note saying so; a record that is not JSON is a rejected candidate.
 */
export async function readApprovals(dir: string, fp: string, cwd: string = process.cwd()): Promise<{ candidates: ApprovalCandidate[]; notes: string[] }> {
  // Messages name the path as given (relative paths stay relative).
  const file = path.join(dir, approvalFileName(fp));
  let text: string;
  try {
    const buf = await readFile(path.resolve(cwd, file));
    if (buf.length > MAX_RECORD_BYTES) return { candidates: [{ file, record: undefined, problem: "the file is too large to be an approval record" }], notes: [] };
    text = buf.toString("utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return { candidates: [{ file, record: undefined, problem: `cannot read it (${code ?? "error"})` }], notes: [] };
    let others = 0;
    try {
      others = (await readdir(path.resolve(cwd, dir))).filter((n) => n.endsWith(".json")).length;
    } catch {
      // No directory: no approvals at all.
    }
    const note = `no approval for this plan (${shortFingerprint(fp)}) in ${dir}` + (others > 0 ? `; ${others} record${others === 1 ? " is" : "s are"} for other plans` : "");
    return { candidates: [], notes: [note] };
  }
  try {
    return { candidates: [{ file, record: JSON.parse(text) as unknown }], notes: [] };
  } catch {
    return { candidates: [{ file, record: undefined, problem: "not valid JSON" }], notes: [] };
  }
}

/**
 * Writes an approval record as `<dir>/<digest>.json`, atomically (a temp file, then a hard link or rename), creating
 * the directory. An existing record is never replaced unless `force` is set.
 * @returns the path written.
 */
export async function writeApproval(dir: string, record: ApprovalRecord, opts: { force?: boolean } = {}): Promise<string> {
  const file = path.join(dir, approvalFileName(record.fingerprint));
  const tmp = path.join(dir, `.${approvalFileName(record.fingerprint)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, JSON.stringify(record, null, 2) + "\n", { mode: 0o644, flag: "wx" });
    // link() fails with EEXIST instead of replacing: no silent overwrite, and no window with a half-written record.
    if (opts.force === true) await rename(tmp, file);
    else await link(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      throw fail("BG2201", "an approval for this plan already exists", {
        location: { file },
        why: "approvals are never overwritten silently: the existing record names who signed off and why",
        fix: "keep the existing record, or pass --force to replace it",
      });
    }
    throw fail("BG2202", `cannot write the approval record (${code ?? "error"})`, { location: { file }, fix: "check that the directory is writable, or choose another with --dir" });
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}
