// Action lists and their one normalised kind; named predicates instead of array comparisons at call sites.

export const CHANGE_KINDS = [
  "create",
  "read",
  "update",
  "delete",
  "replace-delete-first",
  "replace-create-first",
  "forget",
  "forget-replace",
  "no-op",
  "import",
  "move",
  "unknown",
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Kinds that destroy an object or take it out of management. */
export const DESTRUCTIVE_KINDS: ReadonlySet<ChangeKind> = new Set(["delete", "replace-delete-first", "replace-create-first", "forget", "forget-replace"]);

export const KNOWN_ACTIONS: ReadonlySet<string> = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

/**
 * Normalises an action list (treated as a set, order only telling the replace order) plus the import and move
 * markers into one kind. Unknown action strings give "unknown", which callers flag, never drop.
 */
export function kindOf(actions: readonly string[], opts: { importing?: boolean; moved?: boolean } = {}): ChangeKind {
  const has = (a: string): boolean => actions.includes(a);
  if (actions.length === 0 || actions.some((a) => !KNOWN_ACTIONS.has(a))) return "unknown";
  if (has("forget")) {
    if (has("create")) return "forget-replace";
    return actions.length === 1 ? "forget" : "unknown";
  }
  if (has("delete")) {
    if (has("create")) {
      if (actions.length !== 2) return "unknown";
      return actions[0] === "create" ? "replace-create-first" : "replace-delete-first";
    }
    return actions.length === 1 ? "delete" : "unknown";
  }
  if (actions.length !== 1) return "unknown";
  const a = actions[0]!;
  if (a === "no-op" || a === "update") {
    if (opts.importing) return "import";
    if (opts.moved && a === "no-op") return "move";
  }
  return a as ChangeKind;
}

export function isDestructive(kind: ChangeKind): boolean {
  return DESTRUCTIVE_KINDS.has(kind);
}

export function isReplace(kind: ChangeKind): boolean {
  return kind === "replace-delete-first" || kind === "replace-create-first" || kind === "forget-replace";
}

/** Kinds that destroy the object (forget keeps it running). */
export function destroysObject(kind: ChangeKind): boolean {
  return kind === "delete" || kind === "replace-delete-first" || kind === "replace-create-first";
}
