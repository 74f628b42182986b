// Small helpers for lists and maps shared by the stages: element-wise list equality (one copy of a list among the
// many rows that repeat it) and a map entry made on first use.

/** True when `a` holds exactly the elements of `b`, in order (`a` may come straight from parsed JSON). */
export function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The value of `key` in `map`, made with `make` and stored there the first time. */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}
