// sha256 hex of a string (UTF-8). One place for it because the plan fingerprint hashes one string per destructive
// change: Node's one-shot crypto.hash (20.12+) skips the Hash object createHash builds per call (a 10k-change plan
// with ~1,500 replaced resources spent ~25 ms there). Older Node 20 releases get the same bytes through createHash.

import * as crypto from "node:crypto";

const oneShot: ((algorithm: string, data: string, encoding: "hex") => string) | undefined = typeof crypto.hash === "function" ? crypto.hash : undefined;

export function sha256Hex(text: string): string {
  return oneShot !== undefined ? oneShot("sha256", text, "hex") : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}
