// Before/after values behind accessors that honour sensitive and unknown masks; JSON.stringify shows no value.

import { sha256Hex } from "../sha256.js";

/** What reading one attribute gives: a value only when it is neither sensitive nor unknown. */
export type AttributeRead =
  | { state: "value"; value: unknown }
  | { state: "sensitive" }
  | { state: "unknown" }
  | { state: "absent" };

type Path = readonly (string | number)[];

function step(v: unknown, key: string | number): unknown {
  if (v === null || typeof v !== "object") return undefined;
  if (Array.isArray(v)) return typeof key === "number" ? v[key] : undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[String(key)] : undefined;
}

/** True when the mask marks the path or any ancestor of it. A missing mask counts as not marked. */
function marked(mask: unknown, path: Path): boolean {
  let m = mask;
  if (m === true) return true;
  for (const k of path) {
    m = step(m, k);
    if (m === true) return true;
    if (m === undefined || m === false || m === null) return false;
  }
  return false;
}

/** True when the value at the path contains any marked leaf below it (reading it whole would expose one). */
function markedBelow(mask: unknown, path: Path): boolean {
  let m = mask;
  for (const k of path) {
    if (m === true) return true;
    m = step(m, k);
  }
  const walk = (x: unknown): boolean => {
    if (x === true) return true;
    if (x === null || typeof x !== "object") return false;
    return Object.values(x as object).some(walk);
  };
  return walk(m);
}

const SENSITIVE_TEXT = JSON.stringify("\u0000sensitive");

/**
 * The canonical text digest() hashes, written directly: JSON.stringify of the value with every sensitive leaf replaced
 * by one marker and objects as {"o": [[key, value], ...]} with sorted keys (so they never collide with arrays),
 * undefined as null. Fingerprints bind approvals, so the text is exactly what stringifying that rebuilt tree gave
 * (test/plan/values-digest.test.ts holds it to that), without building the tree: a 10k-change plan spent ~60 ms here.
 */
function canonText(v: unknown, mask: unknown): string {
  if (mask === true) return SENSITIVE_TEXT;
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += (i > 0 ? "," : "") + canonText(v[i], step(mask, i));
    return s + "]";
  }
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    let s = '{"o":[';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      s += (i > 0 ? ",[" : "[") + JSON.stringify(k) + "," + canonText(o[k], step(mask, k)) + "]";
    }
    return s + "]}";
  }
  return (JSON.stringify(v) as string | undefined) ?? "null";
}

/**
 * Holds one change's before/after values and masks. The values live in private fields: they do not show in
 * JSON.stringify, console.log or object spreading, and every read goes through the masks.
 */
export class SensitiveValues {
  readonly #before: unknown;
  readonly #after: unknown;
  readonly #beforeSensitive: unknown;
  readonly #afterSensitive: unknown;
  readonly #afterUnknown: unknown;

  constructor(raw: { before?: unknown; after?: unknown; before_sensitive?: unknown; after_sensitive?: unknown; after_unknown?: unknown }) {
    this.#before = raw.before ?? null;
    this.#after = raw.after ?? null;
    this.#beforeSensitive = raw.before_sensitive;
    this.#afterSensitive = raw.after_sensitive;
    this.#afterUnknown = raw.after_unknown;
    Object.freeze(this);
  }

  /** Reads an attribute of the prior object. */
  before(path: Path): AttributeRead {
    return this.#read(this.#before, this.#beforeSensitive, undefined, path);
  }

  /** Reads an attribute of the planned object. */
  after(path: Path): AttributeRead {
    return this.#read(this.#after, this.#afterSensitive, this.#afterUnknown, path);
  }

  /** Whether the prior / planned object exists (is not null). */
  get hasBefore(): boolean {
    return this.#before !== null && this.#before !== undefined;
  }
  get hasAfter(): boolean {
    return this.#after !== null && this.#after !== undefined;
  }

  #read(root: unknown, sensitive: unknown, unknown: unknown, path: Path): AttributeRead {
    if (marked(sensitive, path) || markedBelow(sensitive, path)) return { state: "sensitive" };
    if (unknown !== undefined && (marked(unknown, path) || markedBelow(unknown, path))) return { state: "unknown" };
    let v = root;
    for (const k of path) {
      v = step(v, k);
      if (v === undefined) return { state: "absent" };
    }
    return { state: "value", value: v };
  }

  /** Top-level attribute names of the planned object (names only; read each through after()). */
  knownKeys(): string[] {
    const a = this.#after;
    if (a === null || typeof a !== "object" || Array.isArray(a)) return [];
    return Object.keys(a).sort();
  }

  /**
   * sha256 (hex) of the planned object, for plan fingerprints: keys sorted, every sensitive leaf replaced by one
   * marker (the digest never depends on a secret), unknown leaves taken from the after_unknown mask. The prior object
   * is left out on purpose: it is refreshed from the real world on every plan, so it would change between runs.
   */
  digest(): string {
    return sha256Hex("[" + canonText(this.#after, this.#afterSensitive) + "," + canonText(this.#afterUnknown ?? null, undefined) + "]");
  }

  toJSON(): string {
    return "(values hidden)";
  }
}
