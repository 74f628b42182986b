// Arrays of a report document made only when something reads them. Pure.
//
// A report lists every resource change of the plan (`changes`), 580k objects for a 580k-change plan, which most
// formats never read: only JSON and GitLab's counts do. Made eagerly, they cost ~0.4 s and ~70 MiB held to the end of
// the run (docs/performance.md, item 35). A deferred array is a property that makes the array the first time it is
// read and from then on is a plain data property holding it; JSON rendered in pieces (safeJsonPieces) asks for its
// elements a window at a time instead, so they are garbage once written.

/** The elements of an array not made yet: how many, and a way to make any run of them. */
export class DeferredArray {
  constructor(
    readonly length: number,
    readonly slice: (start: number, end: number) => unknown[],
  ) {}
}

interface Entry {
  array: DeferredArray;
  /** The accessor deferArray defined: while the property still has it, the array has not been replaced. */
  get: () => unknown;
  /** The array, once read (on a frozen object the accessor stays, and serves this one). */
  made?: unknown[];
}

const PENDING = new WeakMap<object, Map<string, Entry>>();

/**
 * Defines `obj[key]` (enumerable, in the place the key already has, if any) as an array of `length` elements made by
 * `slice` when first read. Reading it makes the whole array once and turns the property into a plain data property
 * holding it; assigning to it replaces it, as for any property. On an object frozen before the first read, the
 * accessor stays and returns the one array it made.
 */
export function deferArray(obj: object, key: string, length: number, slice: (start: number, end: number) => unknown[]): void {
  const dataProperty = (target: object, value: unknown): void => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  };
  const get = function (this: object): unknown {
    const made = (entry.made ??= slice(0, length));
    if (this === obj && Object.getOwnPropertyDescriptor(obj, key)?.configurable) {
      dataProperty(obj, made);
      PENDING.get(obj)?.delete(key);
    }
    return made;
  };
  const set = function (this: object, value: unknown): void {
    dataProperty(this, value);
    if (this === obj) PENDING.get(obj)?.delete(key);
  };
  const entry: Entry = { array: new DeferredArray(length, slice), get };
  Object.defineProperty(obj, key, { get, set, enumerable: true, configurable: true });
  let entries = PENDING.get(obj);
  if (entries === undefined) PENDING.set(obj, (entries = new Map()));
  entries.set(key, entry);
}

/**
 * The deferred array behind `obj[key]` while nothing has read it yet (nor replaced it), else undefined: then the
 * property's value is read like any other (on a frozen object, the one array made, with any change made to it).
 */
export function pendingArray(obj: object, key: string): DeferredArray | undefined {
  const entry = PENDING.get(obj)?.get(key);
  if (entry === undefined || entry.made !== undefined) return undefined;
  return Object.getOwnPropertyDescriptor(obj, key)?.get === entry.get ? entry.array : undefined;
}
