// Pull-request comments: the hidden marker, the body cap, and "update my previous comment, else add one".
// Host clients (github.ts, gitlab.ts) list, create and update; this file decides which.

import { HttpError } from "./http.js";

/** The hidden marker the markdown report carries; blastgate finds its own previous comment by it. */
export const MARKER = "<!-- blastgate-report -->";

/** GitHub's limit on a comment body (characters); GitLab's note limit is 1,000,000. */
export const COMMENT_LIMITS = { github: 65_536, gitlab: 1_000_000 } as const;

/** A second marker that tells apart several blastgate comments on one pull request (one per root module, say). */
export function idMarker(id: string): string {
  // Only name characters, and never "--" (which could end the HTML comment early).
  return `<!-- blastgate-report-id: ${id.replace(/[^A-Za-z0-9._/-]+/g, "-").replace(/-{2,}/g, "-")} -->`;
}

/** True when `body` is a blastgate comment with this id (no id: one without an id marker). */
export function isOwnComment(body: string, id?: string): boolean {
  if (!body.includes(MARKER)) return false;
  if (id) return body.includes(idMarker(id));
  return !body.includes("<!-- blastgate-report-id:");
}

const CUT_NOTE = "\n\n_The report was cut to fit the comment size limit; the full report is in the CI job's artifacts._\n";

/**
 * The body to post: the markers first (kept even when the text is cut), then the report, cut to `limit` characters
 * on a line boundary. The Markdown format fits its own budget; this is the last guard for several plans joined.
 */
export function commentBody(markdown: string, limit: number, id?: string): string {
  const head = [markdown.includes(MARKER) ? "" : MARKER, id ? idMarker(id) : ""].filter((s) => s !== "").join("\n");
  const full = head ? `${head}\n${markdown}` : markdown;
  if (full.length <= limit) return full;
  const room = Math.max(0, limit - CUT_NOTE.length);
  let cut = full.slice(0, room);
  const nl = cut.lastIndexOf("\n");
  if (nl > head.length) cut = cut.slice(0, nl);
  // Do not leave an open code fence or <details> swallowing the note.
  const fences = (cut.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) cut += "\n```";
  const opened = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < opened; i++) cut += "\n</details>";
  const out = cut + CUT_NOTE;
  return out.length <= limit ? out : out.slice(0, limit);
}

/** One existing comment, as both hosts describe it. */
export interface ExistingComment {
  id: number;
  body: string;
  /** GitLab system notes ("added 1 commit") are never ours. */
  system?: boolean;
}

/** What a host client offers; each call may throw HttpError. */
export interface CommentHost {
  readonly name: "GitHub" | "GitLab";
  list(): Promise<ExistingComment[]>;
  create(body: string): Promise<{ id: number; url?: string }>;
  update(id: number, body: string): Promise<{ id: number; url?: string }>;
}

export interface UpsertResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url?: string;
}

/**
 * Updates blastgate's newest previous comment (found by the marker), or creates one. Safe to repeat: a retry lists
 * again, so a create that reached the server before its answer was lost is updated, not duplicated.
 */
export async function upsertComment(host: CommentHost, body: string, id?: string): Promise<UpsertResult> {
  const existing = (await host.list()).filter((c) => !c.system && isOwnComment(c.body, id));
  const mine = existing[existing.length - 1];
  if (mine) {
    if (mine.body === body) return { action: "unchanged", id: mine.id };
    try {
      const r = await host.update(mine.id, body);
      return { action: "updated", ...r };
    } catch (e) {
      // Someone else's comment quoting the marker cannot be edited with this token: add our own instead.
      if (!(e instanceof HttpError) || e.advice.retry || (e.status !== 403 && e.status !== 404)) throw e;
    }
  }
  const r = await host.create(body);
  return { action: "created", ...r };
}
