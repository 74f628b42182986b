// The comment body (markers, size cap) and "update my previous comment, else create one".

import { describe, expect, it } from "vitest";
import { commentBody, idMarker, isOwnComment, MARKER, upsertComment, type CommentHost, type ExistingComment } from "../../src/integrations/comment.js";
import { HttpError, retryAdvice } from "../../src/integrations/http.js";

function fakeHost(comments: ExistingComment[], opts: { failUpdate?: number } = {}): CommentHost & { calls: string[] } {
  const calls: string[] = [];
  let next = 1000;
  return {
    name: "GitHub",
    calls,
    list: () => (calls.push("list"), Promise.resolve(comments.map((c) => ({ ...c })))),
    create: (body) => {
      calls.push("create");
      const id = next++;
      comments.push({ id, body });
      return Promise.resolve({ id });
    },
    update: (id, body) => {
      calls.push(`update ${id}`);
      if (opts.failUpdate) return Promise.reject(new HttpError(opts.failUpdate, `${opts.failUpdate}`, retryAdvice(opts.failUpdate, new Headers(), 0)));
      const c = comments.find((x) => x.id === id)!;
      c.body = body;
      return Promise.resolve({ id });
    },
  };
}

describe("commentBody", () => {
  it("puts the marker first unless the report has it", () => {
    expect(commentBody("# hi\n", 1000)).toBe(`${MARKER}\n# hi\n`);
    expect(commentBody(`${MARKER}\n# hi\n`, 1000)).toBe(`${MARKER}\n# hi\n`);
  });

  it("adds the id marker", () => {
    const b = commentBody(`${MARKER}\nx`, 1000, "prod");
    expect(b).toContain(idMarker("prod"));
    expect(isOwnComment(b, "prod")).toBe(true);
    expect(isOwnComment(b)).toBe(false);
    expect(isOwnComment(b, "staging")).toBe(false);
  });

  it("cuts to the limit on a line, keeps the marker, closes open blocks and says it was cut", () => {
    const md = `${MARKER}\n<details>\n\n\`\`\`\n` + "line of text\n".repeat(10_000);
    const b = commentBody(md, 65_536);
    expect(b.length).toBeLessThanOrEqual(65_536);
    expect(b.startsWith(MARKER)).toBe(true);
    expect(b).toContain("cut to fit");
    expect((b.match(/```/g) ?? []).length % 2).toBe(0);
    expect(b).toContain("</details>");
  });

  it("an id marker cannot be used to inject a comment end", () => {
    expect(idMarker("a-->b<x>")).toBe("<!-- blastgate-report-id: a-b-x- -->");
    expect(idMarker("infra/prod")).toBe("<!-- blastgate-report-id: infra/prod -->");
  });
});

describe("upsertComment", () => {
  it("creates when there is no previous comment", async () => {
    const host = fakeHost([{ id: 1, body: "LGTM" }]);
    expect(await upsertComment(host, `${MARKER}\nnew`)).toEqual({ action: "created", id: 1000 });
    expect(host.calls).toEqual(["list", "create"]);
  });

  it("updates the newest of its own previous comments", async () => {
    const host = fakeHost([
      { id: 1, body: `${MARKER}\nold` },
      { id: 2, body: "unrelated" },
      { id: 3, body: `${MARKER}\nolder but newer` },
    ]);
    expect(await upsertComment(host, `${MARKER}\nnew`)).toEqual({ action: "updated", id: 3 });
    expect(host.calls).toEqual(["list", "update 3"]);
  });

  it("leaves an identical comment alone", async () => {
    const host = fakeHost([{ id: 5, body: `${MARKER}\nsame` }]);
    expect(await upsertComment(host, `${MARKER}\nsame`)).toEqual({ action: "unchanged", id: 5 });
  });

  it("skips GitLab system notes and other ids", async () => {
    const host = fakeHost([
      { id: 1, body: `${MARKER}`, system: true },
      { id: 2, body: `${MARKER}\n${idMarker("staging")}` },
    ]);
    expect((await upsertComment(host, `${MARKER}\n${idMarker("prod")}\nx`, "prod")).action).toBe("created");
  });

  it("creates its own when the marked comment belongs to someone else (403 on update)", async () => {
    const host = fakeHost([{ id: 9, body: `quoting ${MARKER}` }], { failUpdate: 403 });
    expect((await upsertComment(host, `${MARKER}\nnew`)).action).toBe("created");
  });

  it("a repeat after a lost answer updates instead of duplicating", async () => {
    const comments: ExistingComment[] = [];
    const host = fakeHost(comments);
    await upsertComment(host, `${MARKER}\nv1`);
    await upsertComment(host, `${MARKER}\nv2`);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("v2");
  });
});
