// HTTP for the comment clients: JSON requests over an injected fetch, retry with bounded exponential backoff on rate
// limits and server errors, and errors that never carry the token.

import { fail } from "../diagnostics/index.js";

/** What the clients need from the outside world; tests pass a fake clock so retries take no time. */
export interface HttpDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  /** Milliseconds since the epoch (x-ratelimit-reset and Retry-After dates are absolute). */
  now(): number;
  /** In [0, 1): jitter for the backoff. */
  random(): number;
}

export const DEFAULT_HTTP_DEPS: HttpDeps = {
  fetch: (input, init) => globalThis.fetch(input, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  tries: number;
  /** The first backoff; each later one doubles (plus up to 25% jitter). */
  baseDelayMs: number;
  /** The longest single wait. */
  maxDelayMs: number;
  /** The most time spent waiting over all retries; a longer wait asked by the server fails at once instead. */
  budgetMs: number;
}

/** 4 tries, waits of about 0.5 s, 1 s, 2 s: under 10 s in all, so a CI job never hangs on a comment. */
export const DEFAULT_RETRY: RetryPolicy = { tries: 4, baseDelayMs: 500, maxDelayMs: 5_000, budgetMs: 9_000 };

/** A response worth trying again, and how long the server asked us to wait (ms), when it said. */
export interface RetryAdvice {
  retry: boolean;
  waitMs?: number;
  /** Why, in words, for the final error. */
  reason: string;
}

function header(h: Headers, name: string): string | undefined {
  const v = h.get(name);
  return v === null || v.trim() === "" ? undefined : v.trim();
}

/**
 * Reads Retry-After (seconds or an HTTP date) and x-ratelimit-reset (epoch seconds, GitHub; GitLab sends
 * RateLimit-Reset the same way). GitHub: docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 * ("If you exceed a secondary rate limit ... retry-after ... x-ratelimit-reset"). GitLab: docs.gitlab.com/ee/user/gitlab_com/index.html#gitlabcom-specific-rate-limits.
 */
export function serverWaitMs(h: Headers, now: number): number | undefined {
  const retryAfter = header(h, "retry-after");
  if (retryAfter !== undefined) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = header(h, "x-ratelimit-reset") ?? header(h, "ratelimit-reset");
  if (reset !== undefined && /^\d+$/.test(reset)) {
    const n = Number(reset);
    // An epoch in seconds; a small number is a delta in seconds (draft RateLimit headers).
    return n > 1_000_000_000 ? Math.max(0, n * 1000 - now) : n * 1000;
  }
  return undefined;
}

/** Decides whether a status is worth retrying: 429, a 403 that is a rate limit, and 5xx. */
export function retryAdvice(status: number, h: Headers, now: number): RetryAdvice {
  const wait = serverWaitMs(h, now);
  if (status === 429) return { retry: true, ...(wait !== undefined ? { waitMs: wait } : {}), reason: "rate limited (429)" };
  if (status === 403) {
    const limited = header(h, "x-ratelimit-remaining") === "0" || header(h, "retry-after") !== undefined;
    if (limited) return { retry: true, ...(wait !== undefined ? { waitMs: wait } : {}), reason: "rate limited (403)" };
    return { retry: false, reason: "forbidden (403)" };
  }
  if (status >= 500 && status <= 599) return { retry: true, ...(wait !== undefined ? { waitMs: wait } : {}), reason: `server error (${status})` };
  return { retry: false, reason: `HTTP ${status}` };
}

/** The backoff before attempt `n` (1-based count of failures so far): base * 2^(n-1), plus jitter, capped. */
export function backoffMs(failures: number, policy: RetryPolicy, random: number): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, failures - 1);
  return Math.min(policy.maxDelayMs, Math.round(exp * (1 + 0.25 * random)));
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join("***");
  }
  return out;
}

/** A failed API call: the status (0 for a network error), whether retrying could help, and a short message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly advice: RetryAdvice,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "PUT";
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** The API's own error text (GitHub `message`, GitLab `message`/`error`), cut short; never the request. */
function apiMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = j.message ?? j.error;
    if (typeof m === "string") return m.slice(0, 300);
    if (m !== undefined) return JSON.stringify(m).slice(0, 300);
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

/** One request, no retry: JSON in and out; throws HttpError for a non-2xx answer or a network failure. */
export async function requestJson<T>(spec: RequestSpec, deps: HttpDeps): Promise<JsonResponse<T>> {
  let res: Response;
  try {
    res = await deps.fetch(spec.url, {
      method: spec.method,
      headers: { ...spec.headers, ...(spec.body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
      redirect: "follow",
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new HttpError(0, `network error${cause ? ` (${cause})` : ""}`, { retry: true, reason: `network error${cause ? ` (${cause})` : ""}` });
  }
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    const advice = retryAdvice(res.status, res.headers, deps.now());
    const msg = apiMessage(text);
    throw new HttpError(res.status, `${res.status}${msg ? ` ${msg}` : ""}`, advice);
  }
  let body: unknown = null;
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(res.status, `${res.status} answer is not JSON`, { retry: false, reason: "answer is not JSON" });
    }
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export interface RetryOutcome<T> {
  value: T;
  attempts: number;
}

/**
 * Runs `op` until it succeeds, an error is not worth retrying, the tries run out, or the server asks for a wait
 * longer than the remaining budget. `op` must be safe to repeat (the comment upsert re-lists before it writes).
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, deps: HttpDeps, policy: RetryPolicy = DEFAULT_RETRY): Promise<RetryOutcome<T>> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await op(attempt), attempts: attempt };
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      if (!e.advice.retry || attempt >= policy.tries) throw withAttempts(e, attempt);
      const wait = e.advice.waitMs !== undefined ? e.advice.waitMs : backoffMs(attempt, policy, deps.random());
      if (waited + wait > policy.budgetMs) throw withAttempts(e, attempt, wait);
      waited += wait;
      await deps.sleep(wait);
    }
  }
}

/** The error after the last attempt, saying how many were made (and a server wait we would not sit out). */
export class RetryExhausted extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: number,
    readonly refusedWaitMs?: number,
  ) {
    super(last instanceof Error ? last.message : String(last));
    this.name = "RetryExhausted";
  }
}

function withAttempts(e: unknown, attempts: number, refusedWaitMs?: number): RetryExhausted {
  return new RetryExhausted(e, attempts, refusedWaitMs);
}

/** Turns a failed comment operation into a BlastgateError (exit 2) with the token removed from every word of it. */
export function commentFailure(host: string, action: string, e: unknown, secrets: readonly (string | undefined)[]): Error {
  const ex = e instanceof RetryExhausted ? e : new RetryExhausted(e, 1);
  const last = ex.last;
  const status = last instanceof HttpError ? last.status : undefined;
  const detail = last instanceof Error ? last.message : String(last);
  const tries = `${ex.attempts} ${ex.attempts === 1 ? "try" : "tries"}`;
  let why = `the ${host} API answered: ${detail} (after ${tries})`;
  if (ex.refusedWaitMs !== undefined) why += `; it asked to wait ${Math.ceil(ex.refusedWaitMs / 1000)} s more, longer than blastgate waits`;
  let fix = "run the job again; the gate's own result is in the report above";
  if (status === 401) fix = `check the token: set ${host === "GitHub" ? "GITHUB_TOKEN (or the action's github-token input)" : "GITLAB_TOKEN to a project or personal access token with the api scope"}`;
  else if (status === 403 && !(last instanceof HttpError && last.advice.retry)) fix = host === "GitHub" ? "give the workflow `permissions: pull-requests: write` (or issues: write)" : "use a token with the api scope and at least Reporter access (CI_JOB_TOKEN cannot write merge-request notes)";
  else if (status === 404) fix = `check the repository and the ${host === "GitHub" ? "pull request" : "merge request"} number, and that the token can see them`;
  return fail("BG5101", redact(`cannot ${action} the ${host} comment`, secrets), {
    why: redact(why, secrets),
    fix,
  });
}
