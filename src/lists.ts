// Element-wise equality of lists, for the places that share one copy of a list among the many rows that repeat it.

/** True when `a` holds exactly the elements of `b`, in order (`a` may come straight from parsed JSON). */
export function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
