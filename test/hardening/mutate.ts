// Mutations of real plan JSON for the fuzz suite: structural ones on the parsed tree (delete a key, wrong type,
// null, duplicate a row, hostile keys and strings) and byte-level ones on the serialised text (truncate, flip,
// insert, delete, duplicate). Every mutation is a plain value fast-check draws and shrinks.

import fc from "fast-check";

export const HOSTILE_NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf"];

export const HOSTILE_STRINGS = [
  "\u001b[31mred\u001b[0m",
  "\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007",
  "\u001b[2J\u001b[H",
  "line\nbreak\r\nand\ttab",
  "nul\u0000byte",
  "\u202eevil-rtl",
  "zero\u200bwidth",
  "emoji 🧨 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "lone surrogate \ud800 here",
  "::error::injected workflow command",
  "<script>alert(1)</script>",
  "](javascript:alert(1))",
  "`rm -rf /` $(touch pwned)",
  "%0A%0D",
  "${var.x}",
  ...HOSTILE_NAMES,
];

/** A mutation of the parsed tree at the node a walk of `choices` reaches. */
export type TreeOp =
  | { op: "delete"; at: number[] }
  | { op: "null"; at: number[] }
  | { op: "type"; at: number[]; value: unknown }
  | { op: "dup"; at: number[] }
  | { op: "hostileKey"; at: number[]; key: string; value: unknown }
  | { op: "renameKey"; at: number[]; key: string }
  | { op: "string"; at: number[]; value: string }
  | { op: "address"; row: number; address: string };

/** A mutation of the serialised bytes; positions are fractions of the length so they fit any seed. */
export type ByteOp =
  | { op: "truncate"; pos: number }
  | { op: "flip"; pos: number; mask: number }
  | { op: "insert"; pos: number; bytes: number[] }
  | { op: "cut"; pos: number; len: number }
  | { op: "repeat"; pos: number; len: number };

const WRONG_VALUES: unknown[] = [0, -1, 1.5e308, -0, "", "x", "1.2", true, false, [], {}, [null], { a: 1 }, [[[]]], "null", 9007199254740991, 1e21];

const at = fc.array(fc.nat({ max: 1000 }), { minLength: 0, maxLength: 14 });
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }));

/** Addresses that parse but carry hostile names, keys and characters. */
export const hostileAddress = fc.oneof(
  fc.constantFrom(...HOSTILE_NAMES).map((n) => `aws_db_instance.${n}`),
  fc.constantFrom(...HOSTILE_NAMES).map((n) => `${n}.x`),
  fc.constantFrom(...HOSTILE_NAMES).map((n) => `module.${n}.aws_s3_bucket.b`),
  fc.constantFrom(...HOSTILE_NAMES).map((n) => `data.${n}.${n}`),
  hostileString.map((k) => `aws_s3_bucket.b[${JSON.stringify(k)}]`),
  hostileString.map((k) => `module.m[${JSON.stringify(k)}].aws_s3_bucket.b`),
  fc.constantFrom(...HOSTILE_NAMES).map((n) => `aws_s3_bucket.b["${n}"]`),
);

export const treeOp: fc.Arbitrary<TreeOp> = fc.oneof(
  at.map((a) => ({ op: "delete" as const, at: a })),
  at.map((a) => ({ op: "null" as const, at: a })),
  fc.record({ at, value: fc.constantFrom(...WRONG_VALUES) }).map((r) => ({ op: "type" as const, ...r })),
  at.map((a) => ({ op: "dup" as const, at: a })),
  fc.record({ at, key: fc.constantFrom(...HOSTILE_NAMES), value: fc.constantFrom<unknown>({ polluted: true }, "x", [], { isAdmin: true }, null) }).map((r) => ({ op: "hostileKey" as const, ...r })),
  fc.record({ at, key: fc.constantFrom(...HOSTILE_NAMES) }).map((r) => ({ op: "renameKey" as const, ...r })),
  fc.record({ at, value: hostileString }).map((r) => ({ op: "string" as const, ...r })),
  fc.record({ row: fc.nat({ max: 100 }), address: hostileAddress }).map((r) => ({ op: "address" as const, ...r })),
);

/**
 * A position as a fraction of the length, spread evenly: fast-check biases numbers towards their bounds and small
 * values, which put most cuts and flips at offset 0 (an empty file) instead of inside the plan.
 */
const frac = fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (Math.imul(a ^ 0x9e3779b9, 2654435761) ^ Math.imul(b + 0x7f4a7c15, 40503)) >>> 0).map((h) => h / 2 ** 32);

export const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  frac.map((pos) => ({ op: "truncate" as const, pos })),
  fc.record({ pos: frac, mask: fc.integer({ min: 1, max: 255 }) }).map((r) => ({ op: "flip" as const, ...r })),
  fc.record({ pos: frac, bytes: fc.array(fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x00, 0x0a, 0x1b, 0xff, 0xc3, 0x30, 0x6e), { minLength: 1, maxLength: 4 }) }).map((r) => ({
    op: "insert" as const,
    ...r,
  })),
  fc.record({ pos: frac, len: fc.integer({ min: 1, max: 64 }) }).map((r) => ({ op: "cut" as const, ...r })),
  fc.record({ pos: frac, len: fc.integer({ min: 1, max: 256 }) }).map((r) => ({ op: "repeat" as const, ...r })),
);

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === "object";
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype instead). */
export function defineOwn(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Walks from the root following `choices` (each picks a child modulo the count); returns the parent and key. */
function locate(root: unknown, choices: readonly number[]): { parent: Record<string, unknown> | unknown[]; key: string | number } | undefined {
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let node = root;
  for (const c of choices) {
    if (!isContainer(node)) break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[c % keys.length]!;
    parent = node;
    key = k;
    node = (node as Record<string | number, unknown>)[k];
  }
  return parent === undefined || key === undefined ? undefined : { parent, key };
}

export function applyTreeOp(doc: unknown, m: TreeOp): void {
  if (m.op === "address") {
    const rows = (doc as { resource_changes?: unknown }).resource_changes;
    if (!Array.isArray(rows) || rows.length === 0) return;
    const row = rows[m.row % rows.length] as Record<string, unknown> | null;
    if (!isContainer(row) || Array.isArray(row)) return;
    row.address = m.address;
    delete row.module_address;
    delete row.index;
    return;
  }
  const loc = locate(doc, m.at);
  if (!loc) return;
  const { parent, key } = loc;
  const p = parent as Record<string | number, unknown>;
  switch (m.op) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
      return;
    case "null":
      p[key] = null;
      return;
    case "type":
      p[key] = structuredClone(m.value);
      return;
    case "dup":
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
      else defineOwn(parent, `${String(key)}`, structuredClone(p[key]));
      return;
    case "hostileKey": {
      const target = p[key];
      if (isContainer(target) && !Array.isArray(target)) defineOwn(target, m.key, structuredClone(m.value));
      return;
    }
    case "renameKey":
      if (!Array.isArray(parent)) {
        const v = p[key];
        delete p[key];
        defineOwn(parent, m.key, v);
      }
      return;
    case "string":
      if (typeof p[key] === "string") p[key] = m.value;
      return;
  }
}

export function applyByteOp(buf: Buffer, m: ByteOp): Buffer {
  const pos = Math.floor(m.pos * buf.length);
  switch (m.op) {
    case "truncate":
      return buf.subarray(0, pos);
    case "flip": {
      if (buf.length === 0) return buf;
      const b = Buffer.from(buf);
      b[pos] = b[pos]! ^ m.mask;
      return b;
    }
    case "insert":
      return Buffer.concat([buf.subarray(0, pos), Buffer.from(m.bytes), buf.subarray(pos)]);
    case "cut":
      return Buffer.concat([buf.subarray(0, pos), buf.subarray(pos + m.len)]);
    case "repeat":
      return Buffer.concat([buf.subarray(0, pos + m.len), buf.subarray(pos)]);
  }
}
