// Safe edges: `terraform show` runs without a shell whatever the plan file is called (a fake terraform on PATH
// records its argv; the real one too when installed), and report files are written atomically (a failed write
// leaves the old report and no temp file; a process killed mid-write never leaves a half-written report).

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { writeAtomic } from "../../src/cli/output.js";
import { BlastgateError } from "../../src/diagnostics/index.js";
import { EXAMPLES, HAS_TERRAFORM, ROOT } from "../helpers/paths.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "blastgate-edges-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process in `cwd` with PATH and extra env set; returns the exit code and what it printed. */
async function cliIn(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const writes: string[] = [];
  const capture = (c: unknown): boolean => (writes.push(String(c)), true);
  const so = vi.spyOn(process.stdout, "write").mockImplementation(capture as never);
  const se = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
  const saved = { ...process.env };
  const home = process.cwd();
  Object.assign(process.env, env);
  process.chdir(cwd);
  try {
    return { code: await main(args), out: writes.join("") };
  } finally {
    process.chdir(home);
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    so.mockRestore();
    se.mockRestore();
  }
}

/** Every file under a directory (names only), to see that nothing was created by an injected command. */
function tree(d: string): string[] {
  return readdirSync(d, { recursive: true, encoding: "utf8" }).sort();
}

/** Files the injected commands would create (`touch pwned`, `touch gotcha`), anywhere under the test directory. */
function injected(): string[] {
  return tree(dir).filter((f) => /^(pwned\d?|gotcha)$/.test(path.basename(f)));
}

const HOSTILE_FILE_NAMES = [
  "my plan.tfplan",
  `it's "quoted".tfplan`,
  "$(touch pwned).tfplan",
  "`touch pwned2`.tfplan",
  "a;touch pwned3;b.tfplan",
  "x && touch pwned4 #.tfplan",
  "| touch pwned5",
  "-rf --version.tfplan",
  "line\nbreak.tfplan",
  "${IFS}touch${IFS}pwned6.tfplan",
  "ünï cødé 🧨.tfplan",
];

describe("terraform show never goes through a shell", () => {
  let fakeBin: string;
  let argvLog: string;
  beforeAll(() => {
    // A fake terraform that records its argv (NUL-separated) and prints a valid plan.
    fakeBin = path.join(dir, "fake bin $(touch gotcha)");
    mkdirSync(fakeBin);
    argvLog = path.join(dir, "argv.log");
    const script = `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$BLASTGATE_ARGV_LOG"\ncat "${path.join(EXAMPLES, "incident", "plan.json")}"\n`;
    writeFileSync(path.join(fakeBin, "terraform"), script);
    chmodSync(path.join(fakeBin, "terraform"), 0o755);
  });

  it.each(HOSTILE_FILE_NAMES)("a binary plan named %j is converted with argv [show, -json, its path] and nothing runs", async (name) => {
    const work = mkdtempSync(path.join(dir, "work-"));
    const file = path.join(work, name);
    writeFileSync(file, Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(128)]));
    const before = tree(work);
    // `./` keeps the argument parser from reading a leading dash as an option; terraform gets the absolute path.
    const { code, out } = await cliIn(work, ["check", `./${name}`, "--no-ai-assisted"], { PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ""}`, BLASTGATE_ARGV_LOG: argvLog });
    expect(code, out).toBe(1); // the incident plan fails the gate: the report was made from the converted JSON
    const argv = readFileSync(argvLog, "utf8").split("\0").slice(0, -1);
    expect(argv).toEqual(["show", "-json", path.resolve(work, name)]);
    expect(tree(work)).toEqual(before);
    expect(injected()).toEqual([]);
  });

  it("--terraform-bin with spaces and $(...) in its path runs that program, without a shell", async () => {
    const work = mkdtempSync(path.join(dir, "work-"));
    writeFileSync(path.join(work, "tfplan"), Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(128)]));
    const { code } = await cliIn(work, ["check", "tfplan", "--terraform-bin", path.join(fakeBin, "terraform"), "--no-ai-assisted"], { BLASTGATE_ARGV_LOG: argvLog });
    expect(code).toBe(1);
    expect(readFileSync(argvLog, "utf8").split("\0")[0]).toBe("show");
    expect(injected()).toEqual([]);
  });

  if (!HAS_TERRAFORM) console.warn("edges: the real-terraform conversion test is skipped: no `terraform` on PATH (the fake-terraform tests above still run)");
  it.skipIf(!HAS_TERRAFORM)("the real terraform converts a plan saved under a hostile name; nothing runs", { timeout: 120_000 }, async () => {
    const work = mkdtempSync(path.join(dir, "real-"));
    writeFileSync(path.join(work, "main.tf"), 'resource "terraform_data" "db" {\n  input = "v1"\n}\n');
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: "/dev/null" };
    const name = "$(touch pwned) it's \"my\" plan;touch pwned2.tfplan";
    for (const args of [["init", "-input=false", "-no-color"], ["plan", "-input=false", "-no-color", `-out=${name}`]]) {
      const r = spawnSync("terraform", args, { cwd: work, env, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
    const { code, out } = await cliIn(work, ["check", name, "--format", "json", "--no-ai-assisted"], { CHECKPOINT_DISABLE: "1" });
    expect(code, out).toBe(0);
    expect(JSON.parse(out.slice(out.indexOf("{"))).summary.create).toBe(1);
    expect(injected()).toEqual([]);
  });
});

describe("report files are written atomically", () => {
  const TMP = /\.tmp$/;

  it("a directory that does not exist: a clear BG4001, and no file or temp file anywhere", async () => {
    const target = path.join(dir, "missing-dir", "report.json");
    const e = await writeAtomic(target, "{}").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BlastgateError);
    expect((e as BlastgateError).diagnostic).toMatchObject({ code: "BG4001", location: { file: target } });
    expect(existsSync(path.dirname(target))).toBe(false);
  });

  it.runIf(existsSync("/dev/full"))("a full device (/dev/full): BG4001 saying to free space, and the device is written in place, not replaced", async () => {
    const e = await writeAtomic("/dev/full", "{}").catch((x: unknown) => x);
    expect((e as BlastgateError).diagnostic).toMatchObject({ code: "BG4001", message: "cannot write the report (ENOSPC)", location: { file: "/dev/full" } });
    expect((e as BlastgateError).diagnostic.fix).toMatch(/free space/);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it.runIf(process.platform === "linux" && existsSync("/dev/stdout"))("-o /dev/stdout with stdout sent to a file: the report reaches the file and /dev/stdout stays a link", () => {
    const wasLink = lstatSync("/dev/stdout").isSymbolicLink();
    const linkTo = wasLink ? readlinkSync("/dev/stdout") : undefined;
    const out = path.join(mkdtempSync(path.join(dir, "devstdout-")), "out.json");
    try {
      const r = spawnSync("bash", ["-c", 'node "$0" check "$1" -f json -o json=/dev/stdout > "$2"', path.join(ROOT, "bin", "blastgate.js"), path.join(EXAMPLES, "safe/plan.json"), out], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(out, "utf8")).verdict.status).toBe("pass");
      expect(lstatSync("/dev/stdout").isSymbolicLink()).toBe(wasLink);
    } finally {
      // Were it replaced (running as root), put the machine's link back.
      if (linkTo !== undefined && !lstatSync("/dev/stdout").isSymbolicLink()) {
        rmSync("/dev/stdout");
        symlinkSync(linkTo, "/dev/stdout");
      }
    }
  });

  it.runIf(existsSync("/dev/full"))("standard output on a full device: BG4001 naming stdout, exit 2 (not Node's 13 for a promise never settled)", () => {
    const r = spawnSync("bash", ["-c", 'node "$0" check "$1" > /dev/full', path.join(ROOT, "bin", "blastgate.js"), path.join(EXAMPLES, "safe/plan.json")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[BG4001]: cannot write to standard output (ENOSPC)");
    expect(r.stderr).toMatch(/--> <stdout>[\s\S]*fix: free space/);
  });

  it("a target that cannot be replaced (a directory): BG4001, the temp file is removed, the target untouched", async () => {
    const d = mkdtempSync(path.join(dir, "isdir-"));
    mkdirSync(path.join(d, "report.json"));
    writeFileSync(path.join(d, "report.json", "keep"), "x");
    const e = await writeAtomic(path.join(d, "report.json"), "{}").catch((x: unknown) => x);
    expect((e as BlastgateError).diagnostic.code).toBe("BG4001");
    expect((e as BlastgateError).diagnostic).toMatchObject({ message: "cannot write the report (EISDIR)", fix: "that path is a directory: name a file in it" });
    expect(readdirSync(d)).toEqual(["report.json"]);
    expect(readdirSync(path.join(d, "report.json"))).toEqual(["keep"]);
  });

  it("a failed write leaves the old report whole, removes its temp file and reports BG4001", async () => {
    const d = mkdtempSync(path.join(dir, "old-"));
    const target = path.join(d, "report.json");
    writeFileSync(target, '{"old":true}');
    // A text that cannot be written (an invalid string type) fails after the temp file was created.
    const e = await writeAtomic(target, 42 as unknown as string).catch((x: unknown) => x);
    expect((e as BlastgateError).diagnostic).toMatchObject({ code: "BG4001", location: { file: target } });
    expect(readFileSync(target, "utf8")).toBe('{"old":true}');
    expect(readdirSync(d)).toEqual(["report.json"]);
  });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.warn("edges: the read-only directory test is skipped: running as root, which may write anywhere (the unwritable-target tests above cover the same path)");
  it.skipIf(isRoot)("a read-only directory: BG4001 naming the file, and no temp file", async () => {
    const d = mkdtempSync(path.join(dir, "ro-"));
    chmodSync(d, 0o555);
    try {
      const e = await writeAtomic(path.join(d, "report.json"), "{}").catch((x: unknown) => x);
      expect((e as BlastgateError).diagnostic.code).toBe("BG4001");
      expect(readdirSync(d)).toEqual([]);
    } finally {
      chmodSync(d, 0o755);
    }
  });

  it("the CLI: --output into a missing directory exits 2 with BG4001 and writes nothing", async () => {
    const d = mkdtempSync(path.join(dir, "cli-"));
    const { code, out } = await cliIn(d, ["check", path.join(EXAMPLES, "safe", "plan.json"), "-f", "json", "-o", path.join(d, "nope", "r.json"), "--no-ai-assisted"], {});
    expect(code).toBe(2);
    expect(out).toMatch(/error\[BG4001\]/);
    expect(readdirSync(d)).toEqual([]);
  });

  /**
   * The real output.ts (and what it imports) transpiled to plain JavaScript, so a child process can run writeAtomic
   * and be killed mid-write (the test runner cannot be killed, and dist/ may be stale).
   */
  function transpiledWriter(): string {
    const out = mkdtempSync(path.join(dir, "js-"));
    for (const rel of ["src/cli/output.ts", "src/diagnostics/index.ts"]) {
      const js = ts.transpileModule(readFileSync(path.join(ROOT, rel), "utf8"), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
      mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      writeFileSync(path.join(out, rel.replace(/\.ts$/, ".js")), js);
    }
    writeFileSync(path.join(out, "package.json"), '{"type":"module"}');
    writeFileSync(
      path.join(out, "child.js"),
      `import { writeAtomic } from "./src/cli/output.js";\nconst text = "[" + '"x",'.repeat(Number(process.argv[3])) + '"end"]';\nprocess.stdout.write("go\\n");\nawait writeAtomic(process.argv[2], text);\nprocess.stdout.write("done\\n");\n`,
    );
    return path.join(out, "child.js");
  }

  it("a process killed at any moment of a 16 MB write never leaves a half-written report", { timeout: 180_000 }, async () => {
    const child = transpiledWriter();
    const d = mkdtempSync(path.join(dir, "kill-"));
    const target = path.join(d, "report.json");
    const OLD = '{"old":true}';
    writeFileSync(target, OLD);
    const ELEMENTS = 4 * 1024 * 1024;
    let keptOld = 0;
    let complete = 0;
    let midWrite = 0;
    let leftovers = 0;
    // Half the kills land as soon as the temp file has data (mid-write, for sure); the rest at spread-out times.
    const plans: ("mid-write" | "never" | number)[] = ["mid-write", 0, "mid-write", 100, "mid-write", "never"];
    for (const when of plans) {
      const p = spawn(process.execPath, [child, target, String(ELEMENTS)], { stdio: ["ignore", "pipe", "inherit"] });
      const closed = new Promise<void>((resolve) => p.on("close", () => resolve()));
      await new Promise<void>((resolve) => p.stdout.once("data", () => resolve()));
      if (when === "mid-write") {
        for (let k = 0; k < 20_000 && p.exitCode === null; k++) {
          const tmp = readdirSync(d).find((f) => TMP.test(f));
          if (tmp !== undefined && (statSync(path.join(d, tmp), { throwIfNoEntry: false })?.size ?? 0) > 0) {
            p.kill("SIGKILL");
            midWrite++;
            break;
          }
          await new Promise((r) => setTimeout(r, 1));
        }
      } else if (when !== "never") await new Promise((r) => setTimeout(r, when));
      if (when !== "never") p.kill("SIGKILL");
      await closed;
      // A killed writer leaves its temp file (hidden, named .tmp); count and remove it so the next run starts clean.
      for (const f of readdirSync(d).filter((x) => TMP.test(x))) {
        leftovers++;
        rmSync(path.join(d, f));
      }
      const text = readFileSync(target, "utf8");
      // Either the old report or the whole new one: never a prefix of the new one.
      if (text === OLD) keptOld++;
      else {
        expect(JSON.parse(text)).toHaveLength(ELEMENTS + 1);
        complete++;
        writeFileSync(target, OLD);
      }
    }
    console.log(
      `[blastgate hardening] report writer run ${plans.length} times, killed ${plans.filter((w) => w !== "never").length} (${midWrite} with the temp file half-written): old report kept ${keptOld}, new report complete ${complete}, half-written reports 0; ` +
        `temp files the killed writer left behind: ${leftovers}`,
    );
    expect(keptOld + complete).toBe(plans.length);
    expect(midWrite).toBeGreaterThan(0);
    expect(complete).toBeGreaterThan(0);
  });

  // The temp name used to be `.NAME.PID.MS.tmp`, opened without O_EXCL: a symlink planted there redirected the write.
  it("a symlink planted at the old guessable temp name is not followed, and the report still lands", async () => {
    const d = mkdtempSync(path.join(dir, "link-"));
    const victim = path.join(dir, `victim-${path.basename(d)}`);
    writeFileSync(victim, "precious");
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_001);
    try {
      symlinkSync(victim, path.join(d, `.report.json.${process.pid}.1700000000001.tmp`));
      await writeAtomic(path.join(d, "report.json"), "the report");
    } finally {
      now.mockRestore();
    }
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(readFileSync(path.join(d, "report.json"), "utf8")).toBe("the report");
    // Only the planted link (not ours to remove) and the report: no temp file of ours.
    expect(readdirSync(d).sort()).toEqual([`.report.json.${process.pid}.1700000000001.tmp`, "report.json"]);
  });

  it("the temp name is random: two writes of the same file at the same instant use different names", async () => {
    const d = mkdtempSync(path.join(dir, "rand-"));
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_002);
    try {
      await Promise.all(Array.from({ length: 8 }, (_, i) => writeAtomic(path.join(d, "report.json"), `report ${i}`)));
    } finally {
      now.mockRestore();
    }
    expect(readFileSync(path.join(d, "report.json"), "utf8")).toMatch(/^report \d$/);
    expect(readdirSync(d)).toEqual(["report.json"]);
  });

  it.skipIf(process.platform === "win32")("the report gets mode 0644 minus the umask (the temp file is created 0600)", async () => {
    const d = mkdtempSync(path.join(dir, "mode-"));
    await writeAtomic(path.join(d, "report.json"), "x");
    const umask = process.umask();
    expect(statSync(path.join(d, "report.json")).mode & 0o777).toBe(0o644 & ~umask);
  });

  it("a symlink at the target itself is replaced, not followed", async () => {
    const d = mkdtempSync(path.join(dir, "target-link-"));
    const victim = path.join(dir, `victim-target-${path.basename(d)}`);
    writeFileSync(victim, "precious");
    symlinkSync(victim, path.join(d, "report.json"));
    await writeAtomic(path.join(d, "report.json"), "the report");
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(lstatSync(path.join(d, "report.json")).isFile()).toBe(true);
    expect(readFileSync(path.join(d, "report.json"), "utf8")).toBe("the report");
  });
});
