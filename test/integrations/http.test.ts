// Retry and backoff for the comment clients: what is retried, how long it waits, that it stops, and redaction.

import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_RETRY, HttpError, redact, requestJson, RetryExhausted, retryAdvice, serverWaitMs, withRetry, type HttpDeps } from "../../src/integrations/http.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function fakeDeps(fetchImpl: HttpDeps["fetch"] = () => Promise.reject(new Error("no fetch"))): HttpDeps & { slept: number[] } {
  const slept: number[] = [];
  return { fetch: fetchImpl, sleep: (ms) => (slept.push(ms), Promise.resolve()), now: () => NOW, random: () => 0, slept };
}

describe("serverWaitMs", () => {
  it.each([
    ["Retry-After seconds", { "retry-after": "3" }, 3000],
    ["Retry-After HTTP date", { "retry-after": new Date(NOW + 5000).toUTCString() }, 5000],
    ["x-ratelimit-reset epoch seconds", { "x-ratelimit-reset": String(NOW / 1000 + 7) }, 7000],
    ["reset in the past", { "x-ratelimit-reset": String(NOW / 1000 - 100) }, 0],
    ["GitLab RateLimit-Reset", { "ratelimit-reset": String(NOW / 1000 + 2) }, 2000],
    ["nothing", {}, undefined],
  ])("%s", (_name, headers, want) => {
    expect(serverWaitMs(new Headers(headers), NOW)).toBe(want);
  });
});

describe("retryAdvice", () => {
  it.each([
    [429, {}, true],
    [403, { "x-ratelimit-remaining": "0" }, true],
    [403, { "retry-after": "1" }, true],
    [403, {}, false],
    [401, {}, false],
    [404, {}, false],
    [422, {}, false],
    [500, {}, true],
    [502, {}, true],
    [503, { "retry-after": "2" }, true],
  ])("%i %j retry=%s", (status, headers, retry) => {
    expect(retryAdvice(status, new Headers(headers), NOW).retry).toBe(retry);
  });
});

describe("backoffMs", () => {
  it("doubles from the base and is capped", () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, DEFAULT_RETRY, 0))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(backoffMs(1, DEFAULT_RETRY, 0.999)).toBeLessThanOrEqual(625);
  });

  it("the default policy never waits 10 s in all", () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_RETRY.tries; n++) total += backoffMs(n, DEFAULT_RETRY, 0.999);
    expect(total).toBeLessThan(10_000);
  });
});

describe("withRetry", () => {
  const err = (status: number, headers: Record<string, string> = {}): HttpError => new HttpError(status, `${status}`, retryAdvice(status, new Headers(headers), NOW));

  it("retries 5xx with exponential backoff, then succeeds", async () => {
    const deps = fakeDeps();
    let n = 0;
    const r = await withRetry(async () => {
      if (++n < 3) throw err(502);
      return "ok";
    }, deps);
    expect(r).toEqual({ value: "ok", attempts: 3 });
    expect(deps.slept).toEqual([500, 1000]);
  });

  it("waits what Retry-After says on 429", async () => {
    const deps = fakeDeps();
    let n = 0;
    await withRetry(async () => {
      if (++n === 1) throw err(429, { "retry-after": "2" });
      return 1;
    }, deps);
    expect(deps.slept).toEqual([2000]);
  });

  it("stops after the tries and says how many", async () => {
    const deps = fakeDeps();
    const p = withRetry(() => Promise.reject(err(500)), deps);
    await expect(p).rejects.toBeInstanceOf(RetryExhausted);
    await expect(p).rejects.toMatchObject({ attempts: 4 });
    expect(deps.slept).toHaveLength(3);
  });

  it("does not retry 401/403/404", async () => {
    for (const s of [401, 403, 404]) {
      const deps = fakeDeps();
      await expect(withRetry(() => Promise.reject(err(s)), deps)).rejects.toMatchObject({ attempts: 1 });
      expect(deps.slept).toEqual([]);
    }
  });

  it("refuses a server wait longer than the budget instead of hanging", async () => {
    const deps = fakeDeps();
    const p = withRetry(() => Promise.reject(err(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 3600) })), deps);
    await expect(p).rejects.toMatchObject({ attempts: 1, refusedWaitMs: 3_600_000 });
    expect(deps.slept).toEqual([]);
  });

  it("passes other errors through unchanged", async () => {
    const boom = new Error("boom");
    await expect(withRetry(() => Promise.reject(boom), fakeDeps())).rejects.toBe(boom);
  });
});

describe("requestJson", () => {
  it("turns a network failure into a retryable HttpError with status 0", async () => {
    const deps = fakeDeps(() => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })));
    await expect(requestJson({ method: "GET", url: "http://127.0.0.1:1/", headers: {} }, deps)).rejects.toMatchObject({ status: 0, advice: { retry: true } });
  });

  it("keeps the API's message, not the request", async () => {
    const deps = fakeDeps(() => Promise.resolve(new Response(JSON.stringify({ message: "Bad credentials" }), { status: 401 })));
    await expect(requestJson({ method: "GET", url: "http://x/", headers: { authorization: "Bearer s3cr3t-token" } }, deps)).rejects.toThrow(/^401 Bad credentials$/);
  });
});

describe("redact", () => {
  it("removes every occurrence of the token and its URL-encoded form", () => {
    expect(redact("a ghp_abc/def b ghp_abc%2Fdef c ghp_abc/def", ["ghp_abc/def"])).toBe("a *** b *** c ***");
  });
  it("ignores empty and tiny secrets", () => {
    expect(redact("abc", ["", undefined, "a"])).toBe("abc");
  });
});
