// Plan input at the edge: a JSON file, stdin, or a binary plan converted by `terraform|tofu show -json`.
// Everything here is I/O; parsing and the model are in build.ts.

import { spawn } from "node:child_process";
import { constants as fsc } from "node:fs";
import { access, mkdtemp, open, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { TextDecoder } from "node:util";
import path from "node:path";
import { fail } from "../diagnostics/index.js";
import { buildPlan, ReadAgainAlone } from "./build.js";
import { PRIOR_HELPER_MIN_BYTES, startPriorHelper } from "./prior-helper.js";
import type { Plan, PlanSource } from "./model.js";

export interface LoadOptions {
  /** Program that converts binary plans (`terraform` or `tofu`, or a path); found on PATH when absent. */
  terraformBin?: string;
  /** Working directory for the converter (where the plan's configuration was initialised). */
  cwd?: string;
  /** Read size in bytes. */
  chunkSize?: number;
  /** The stream used for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** Read a large file's prior_state in a second thread (default true; src/plan/prior-helper.ts). */
  priorHelper?: boolean;
  /** The file size from which that thread is started (default PRIOR_HELPER_MIN_BYTES, 96 MiB). */
  priorHelperMinBytes?: number;
  /**
   * For tests: wait until the thread has found prior_state ("found") or read it ("done") before reading, so that a
   * small plan takes the paths a large one takes (otherwise the reader gets there first and reads it alone).
   */
  priorHelperWait?: "found" | "done";
  /** Called after each chunk with the bytes read so far and the file's size (undefined for streams). */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Reads a file in chunks into two buffers used in turn: a chunk's memory is read into again once the consumer asks for
 * the chunk after next, which the splitter allows (it keeps no view of a chunk after push). Memory the process has
 * just touched is still in the processor's cache and mapped: reading gen-120k into a fresh 4 MiB buffer per chunk
 * cost 1.4 s of scanning, into two reused buffers 0.6-0.8 s.
 */
async function* fileChunks(file: string, chunkSize: number, onProgress?: LoadOptions["onProgress"]): AsyncGenerator<Buffer> {
  const fh = await open(file, "r");
  // One read is kept in flight while the previous chunk is parsed: reading and parsing overlap (a profile of the
  // 120k plan showed ~0.9 s of 7.9 s idle, waiting on reads issued only after the parse of the chunk before).
  const buffers: Buffer[] = [];
  let turn = 0;
  const readAt = (at: number): Promise<{ buf: Buffer; bytesRead: number }> => {
    const buf = (buffers[turn++ & 1] ??= Buffer.allocUnsafe(chunkSize));
    const p = fh.read(buf, 0, chunkSize, at).then((r) => ({ buf, bytesRead: r.bytesRead }));
    p.catch(() => {}); // awaited below; a read failing while a chunk is parsed must not be an unhandled rejection
    return p;
  };
  let pending: Promise<{ buf: Buffer; bytesRead: number }> | undefined;
  try {
    const total = onProgress ? (await fh.stat()).size : undefined;
    let pos = 0;
    pending = readAt(0);
    for (;;) {
      const { buf, bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      pos += bytesRead;
      // The other buffer: the consumer has finished with the chunk it held, since it asked for this one.
      pending = readAt(pos);
      onProgress?.(pos, total);
      yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    if (pending) await pending.catch(() => undefined);
    await fh.close();
  }
}

async function* streamChunks(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const c of stream as AsyncIterable<Buffer | string>) yield typeof c === "string" ? Buffer.from(c) : c;
}

/** The chunks, telling `onProgress` the bytes passed on so far (counted from `start`; no total). */
async function* counted(chunks: AsyncIterable<Buffer>, onProgress: LoadOptions["onProgress"], start = 0): AsyncGenerator<Buffer> {
  let read = start;
  for await (const c of chunks) {
    read += c.length;
    onProgress?.(read, undefined);
    yield c;
  }
}

/** Detected text encoding, filled in by `decode` once it has seen the first bytes. */
interface EncodingInfo {
  encoding: string;
}

/**
 * The encoding the first bytes of a plan say (a byte-order mark, or UTF-16's zero bytes around ASCII) and how many
 * bytes of byte-order mark to strip.
 */
function sniffEncoding(head: Buffer): { encoding: "utf-8" | "utf-16le" | "utf-16be"; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bom: 2 };
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return { encoding: "utf-16le", bom: 0 };
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0) return { encoding: "utf-16be", bom: 0 };
  return { encoding: "utf-8", bom: 0 };
}

/**
 * Normalises input text to UTF-8: strips a UTF-8 byte-order mark, transcodes UTF-16 (PowerShell's `>` writes it with
 * a BOM), and rejects the noise hashicorp/setup-terraform's wrapper puts around the JSON.
 */
async function* decode(chunks: AsyncIterable<Buffer>, file: string, info: EncodingInfo): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | undefined;
  let sniffed = false;
  let head: Buffer = Buffer.alloc(0);
  for await (let chunk of chunks) {
    if (!sniffed) {
      // The first chunk is usually the whole read (4 MiB): take it as it is rather than copy it.
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 4) {
        // Kept across chunks, whose memory the reader reuses: a copy.
        head = Buffer.from(head);
        continue;
      }
      sniffed = true;
      const { encoding, bom } = sniffEncoding(head);
      chunk = head.subarray(bom);
      if (encoding !== "utf-8") {
        info.encoding = encoding;
        decoder = new TextDecoder(encoding);
      }
      if (decoder) chunk = Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
      checkWrapperNoise(chunk, file);
      yield chunk;
      continue;
    }
    yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), "utf8") : chunk;
  }
  if (!sniffed && head.length > 0) {
    checkWrapperNoise(head, file);
    yield head;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, "utf8");
  }
}

/** hashicorp/setup-terraform wraps terraform and prints `[command]...` before the JSON and `::debug::` lines after it. */
function checkWrapperNoise(first: Buffer, file: string): void {
  const text = first.subarray(0, 512).toString("utf8").trimStart();
  if (text.startsWith("[command]") || text.startsWith("::debug::") || text.startsWith("::set-output")) {
    throw fail("BG1008", "the plan JSON is wrapped in the output of hashicorp/setup-terraform's wrapper", {
      location: { file, line: 1, column: 1 },
      why: "setup-terraform's wrapper script echoes `[command]...` and `::debug::`/`::set-output` lines around terraform's output, so the file is not plain JSON",
      fix: "turn the wrapper off with `terraform_wrapper: false` in the hashicorp/setup-terraform step (or call `terraform-bin show -json`), then write the plan JSON again",
    });
  }
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, fsc.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Chooses the program that converts binary plans: the flag, else terraform, else tofu on PATH. */
export async function findConverter(opts: LoadOptions): Promise<string> {
  const env = opts.env ?? process.env;
  if (opts.terraformBin) return opts.terraformBin;
  const found = (await onPath("terraform", env)) ?? (await onPath("tofu", env));
  if (!found) {
    throw fail("BG1012", "this is a binary plan file, and neither `terraform` nor `tofu` is on PATH to convert it", {
      why: "a binary plan can only be read by the Terraform or OpenTofu release that wrote it (`terraform show -json`)",
      fix: "install terraform or tofu, pass its path with `--terraform-bin PATH`, or convert first: `terraform show -json tfplan > plan.json`",
    });
  }
  return found;
}

function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

/** Runs `BIN show -json FILE` without a shell and builds the plan from its output as it streams. */
async function convertBinary(file: string, displayName: string, opts: LoadOptions): Promise<Plan> {
  const bin = await findConverter(opts);
  const child = spawn(bin, ["show", "-json", path.resolve(file)], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...(opts.env ?? process.env), TF_IN_AUTOMATION: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    shell: false,
  });
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  child.stderr.on("data", (d: Buffer) => {
    if (stderrBytes < 64 * 1024) stderr.push(d);
    stderrBytes += d.length;
  });
  const exited = new Promise<{ code: number | null; signal?: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.on("error", (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  let plan: Plan | undefined;
  let buildError: unknown;
  const info: EncodingInfo = { encoding: "utf-8" };
  try {
    // The converted JSON is the plan read: its bytes are the progress shown (and what the CLI's heap tuner hears).
    const json = counted(streamChunks(child.stdout), opts.onProgress);
    plan = await buildPlan(decode(json, displayName, info), { kind: "binary", path: displayName, encoding: "utf-8", converter: path.basename(bin) }, { file: displayName });
  } catch (e) {
    buildError = e;
    child.kill("SIGTERM");
  }
  const { code, signal, error } = await exited;
  if (error) {
    throw fail("BG1012", `cannot run \`${bin}\` to convert the binary plan: ${error.code === "ENOENT" ? "program not found" : error.message}`, {
      location: { file: displayName },
      fix: opts.terraformBin ? "check the path given to `--terraform-bin`" : "install terraform or tofu, or pass its path with `--terraform-bin PATH`",
    });
  }
  // Any failure of the converter fails the read, even after it printed a whole plan: it may have printed the wrong
  // one or crashed on the way out, and a gate must not pass on output its producer disowns. Only our own SIGTERM
  // (sent when the output was unreadable) leaves the read's error in charge.
  const killedByUs = buildError !== undefined && signal === "SIGTERM";
  if (code !== 0 && !killedByUs) {
    const msg = stripAnsi(Buffer.concat(stderr).toString("utf8")).trim().split("\n").filter((l) => l.trim() !== "").slice(0, 20).join("\n      ");
    const how = code !== null ? `exit ${code}` : `killed by ${signal ?? "a signal"}`;
    const said = msg ? `${path.basename(bin)} said: ${msg}` : `${path.basename(bin)} printed nothing on stderr`;
    throw fail("BG1009", `\`${path.basename(bin)} show -json\` could not convert the binary plan (${how})`, {
      location: { file: displayName },
      why: plan !== undefined ? `it printed a plan but then failed, so that plan cannot be trusted; ${said}` : said,
      fix: "run the conversion in the directory where the plan was made, after `terraform init`, with the same Terraform/OpenTofu version (`--terraform-bin` chooses the program); an encrypted OpenTofu plan needs its encryption config",
    });
  }
  if (buildError) throw buildError;
  return plan!;
}

async function readHead(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function fileError(e: NodeJS.ErrnoException, file: string): Error {
  if (e.code === "ENOENT") return fail("BG1000", "plan file not found", { location: { file }, fix: "check the path; to read from standard input, pass `-`" });
  if (e.code === "EISDIR") return fail("BG1000", "the plan path is a directory, not a file", { location: { file }, fix: "pass the plan file (`plan.json` or a binary `tfplan`), not its directory" });
  if (e.code === "EACCES" || e.code === "EPERM") return fail("BG1000", "permission denied reading the plan file", { location: { file }, fix: "check the file's permissions" });
  return fail("BG1000", `cannot read the plan file (${e.code ?? "error"})`, { location: { file } });
}

/**
 * Loads a plan from a path, or `-` for standard input. Binary plans (zip archives) are detected by content and
 * converted with terraform/tofu. Throws BlastgateError on any input problem.
 */
export async function loadPlan(input: string, opts: LoadOptions = {}): Promise<Plan> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  if (input === "-") return loadStdin(opts, chunkSize);
  let head: Buffer;
  try {
    head = await readHead(input, 4);
  } catch (e) {
    throw fileError(e as NodeJS.ErrnoException, input);
  }
  if (head.equals(ZIP_MAGIC)) return convertBinary(input, input, opts);
  const info: EncodingInfo = { encoding: "utf-8" };
  const source: Omit<PlanSource, "bytes"> = { kind: "file", path: input, encoding: "utf-8" };
  // The helper reads the file's own bytes: only for plain UTF-8 (with a byte-order mark or in UTF-16 the main reader's
  // offsets are elsewhere, and the helper would never be used).
  const sniffed = sniffEncoding(head);
  const plainUtf8 = sniffed.encoding === "utf-8" && sniffed.bom === 0;
  const helper = opts.priorHelper !== false && plainUtf8 && (await sizeOf(input)) >= (opts.priorHelperMinBytes ?? PRIOR_HELPER_MIN_BYTES) ? startPriorHelper(input) : undefined;
  try {
    if (helper !== undefined && opts.priorHelperWait !== undefined) await (opts.priorHelperWait === "found" ? helper.found() : helper.result().catch(() => undefined));
    const plan = await buildPlan(decode(fileChunks(input, chunkSize, opts.onProgress), input, info), source, { file: input, priorHelper: helper });
    return withEncoding(plan, info.encoding);
  } catch (e) {
    if (!(e instanceof ReadAgainAlone)) throw e;
    helper?.stop();
    return loadPlan(input, { ...opts, priorHelper: false });
  } finally {
    helper?.stop();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

function withEncoding(plan: Plan, encoding: string): Plan {
  if (encoding === plan.source.encoding) return plan;
  return Object.freeze({ ...plan, source: Object.freeze({ ...plan.source, encoding }) });
}

async function loadStdin(opts: LoadOptions, chunkSize: number): Promise<Plan> {
  const stream = opts.stdin ?? process.stdin;
  const it = streamChunks(stream)[Symbol.asyncIterator]();
  // Sniff for a binary plan: it must go to a file for terraform to read it.
  const first: Buffer[] = [];
  let n = 0;
  for (;;) {
    if (n >= 4) break;
    const r = await it.next();
    if (r.done) break;
    first.push(r.value);
    n += r.value.length;
  }
  const head = Buffer.concat(first);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    yield* counted({ [Symbol.asyncIterator]: () => it }, opts.onProgress, head.length);
  }
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
    const dir = await mkdtemp(path.join(tmpdir(), "blastgate-"));
    const tmp = path.join(dir, "stdin.tfplan");
    try {
      const parts: Buffer[] = [];
      for await (const c of rest()) parts.push(c);
      await writeFile(tmp, Buffer.concat(parts), { mode: 0o600 });
      const plan = await convertBinary(tmp, "<stdin>", opts);
      return plan;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  void chunkSize;
  const info: EncodingInfo = { encoding: "utf-8" };
  const plan = await buildPlan(decode(rest(), "<stdin>", info), { kind: "stdin", path: "<stdin>", encoding: "utf-8" }, { file: "<stdin>" });
  return withEncoding(plan, info.encoding);
}
