// The html report in a real headless Chromium (Debian's /usr/bin/chromium): the page loads with scripts enabled,
// the DOM holds the destroyed addresses, a #node= link traces a resource, and the screenshot shows the report
// (the verdict banner's colour at the top, a drawn graph below). Skips, saying so, when Chromium is absent.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/document.js";
import { html } from "../../src/report/formats/html.js";
import { exampleReport, incidentPolicy } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`html browser test skipped: ${CHROMIUM} is absent (apt-get install -y chromium, or set CHROMIUM_BIN)`);

function chromium(args: string[], dir: string): string {
  const r = spawnSync(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", `--user-data-dir=${path.join(dir, "profile")}`, ...args], {
    encoding: "utf8",
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Decodes an 8-bit RGB or RGBA PNG (what Chromium writes) into pixels. */
function decodePng(buf: Buffer): { width: number; height: number; pixel: (x: number, y: number) => [number, number, number] } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error("only 8-bit PNGs");
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error(`colour type ${data[9]} not supported`);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const rawByte = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let v: number;
      if (filter === 0) v = rawByte;
      else if (filter === 1) v = rawByte + a;
      else if (filter === 2) v = rawByte + b;
      else if (filter === 3) v = rawByte + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = rawByte + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => [out[y * stride + x * channels]!, out[y * stride + x * channels + 1]!, out[y * stride + x * channels + 2]!] };
}

describe.skipIf(!HAS_CHROMIUM)("html report in headless Chromium", () => {
  let report: Report;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    const base = await exampleReport("incident");
    const policy = incidentPolicy(base);
    report = await exampleReport("incident", { policy, verdict: { status: "fail", reasons: ["policy rule `protect-databases` fails"] } });
    dir = mkdtempSync(path.join(tmpdir(), "blastgate-html-"));
    file = path.join(dir, "report.html");
    writeFileSync(file, html.render(report, { color: false, width: 100 }));
  });

  it("renders the destroyed addresses, and a #node= link traces what a resource takes down", () => {
    const url = pathToFileURL(file).href;
    const dom = chromium(["--virtual-time-budget=5000", "--dump-dom", url], dir);
    for (const d of report.destructive) expect(dom).toContain(d.address.replace(/"/g, "&quot;").replace(/&(?!quot;)/g, "&amp;"));
    expect(dom).toContain('class="details" data-plan="0" aria-live="polite"><p class="hint">No resource selected.</p>');
    const traced = chromium(["--virtual-time-budget=5000", "--dump-dom", `${url}#node=${encodeURIComponent("module.network.terraform_data.vpc")}`], dir);
    expect(traced).toContain('<svg class="graph tracing"');
    expect(traced).toMatch(/<h4>module\.network\.terraform_data\.vpc<\/h4>/);
    expect(traced).toContain("needed by module.network.terraform_data.private_subnet[0]");
  });

  it("draws the report: a red verdict banner on top and a graph with many coloured nodes", () => {
    const png = path.join(dir, "shot.png");
    chromium(["--virtual-time-budget=5000", "--window-size=1400,1100", `--screenshot=${png}`, pathToFileURL(file).href], dir);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const img = decodePng(readFileSync(png));
    expect(img.width).toBe(1400);
    const [r, g, b] = img.pixel(5, 5);
    expect(r).toBeGreaterThan(150); // the fail banner, #b42318
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    // Light red node fills (#fde2e1) of destroyed resources, somewhere in the page.
    let pink = 0;
    let nonWhite = 0;
    for (let y = 0; y < img.height; y += 2)
      for (let x = 0; x < img.width; x += 2) {
        const [pr, pg, pb] = img.pixel(x, y);
        if (pr > 245 && pg > 215 && pg < 235 && pb > 215 && pb < 235) pink++;
        if (pr < 240 || pg < 240 || pb < 240) nonWhite++;
      }
    expect(pink).toBeGreaterThan(500);
    expect(nonWhite).toBeGreaterThan(10_000);
  });
});
