// Property test: secrets in sensitive (and unmarked) values, and addresses full of backticks, pipes, HTML, mentions,
// ANSI escapes, bidi controls and newlines. No format may print a value, and none may break its own syntax.

import fc from "fast-check";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { FORMAT_IDS, FORMATS } from "../../src/report/formats/index.js";
import { buildReportSet } from "../../src/report/report-set.js";
import { planFromJson, reportFromPlan, unescapedPipes } from "./helpers.js";

const NASTY = ["`", "``", "|", "||", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;", "@octocat", "@org/team", "\x1b[31m", "\x1b]8;;http://x\x07", "\u202e", "\u2028", "\n", "\r\n", "\t", "$x$", "*", "_", "[a](b)", "<!--", "-->", "::error::", "%0A", ",", ":", "\\", "'", "#1", "]]>", "\u0000", "é", "🔥"];

const key = fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));
const secret = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((s) => `S3CR3T-${s}`);

/** HCL-quotes a key the way Terraform prints it in an address, keeping other characters raw (the worst case). */
function q(k: string): string {
  return `"${k.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function planJson(keys: string[], s: string): string {
  const resource_changes = keys.flatMap((k, i) => {
    const values = { before: { id: `id-${i}`, password: s, copy_of_password: s, nested: { token: s } }, before_sensitive: { password: true, nested: { token: true } } };
    const rows = [
      {
        address: `terraform_data.x[${q(k)}]`,
        mode: "managed",
        type: "terraform_data",
        name: "x",
        index: k,
        provider_name: "terraform.io/builtin/terraform",
        change: { actions: i % 2 === 0 ? ["delete"] : ["delete", "create"], ...values, after: i % 2 === 0 ? null : { password: s }, after_unknown: {}, after_sensitive: i % 2 === 0 ? false : { password: true }, replace_paths: [["password"], [k]] },
        action_reason: i % 2 === 0 ? "delete_because_each_key" : "replace_because_cannot_update",
      },
      {
        address: `module.m[${q(k)}].terraform_data.y`,
        module_address: `module.m[${q(k)}]`,
        mode: "managed",
        type: "terraform_data",
        name: "y",
        provider_name: "terraform.io/builtin/terraform",
        change: { actions: ["update"], before: { input: s }, after: { input: `${s}-2` }, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      },
    ];
    return rows;
  });
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.11.4",
    variables: { db_password: { value: s } },
    resource_changes,
    output_changes: { password: { actions: ["update"], before: s, after: `${s}-2`, after_unknown: false, before_sensitive: true, after_sensitive: true } },
    configuration: { root_module: { variables: { db_password: { sensitive: true } } } },
    applyable: true,
    complete: true,
    errored: false,
  });
}

/** Each Markdown table keeps the header's number of unescaped pipes on every row. */
function tablesIntact(md: string): boolean {
  let expected: number | undefined;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      expected = undefined;
      continue;
    }
    const n = unescapedPipes(line);
    if (expected === undefined) expected = n;
    else if (n !== expected) return false;
  }
  return true;
}

describe("no format leaks a value or breaks its syntax", () => {
  it("holds for random nasty addresses and secrets", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), secret, async (keys, s) => {
        const report = reportFromPlan(await planFromJson(planJson(keys, s), "nasty/plan.json"));
        expect(report.destructive.length).toBe(keys.length);
        for (const input of [report, buildReportSet([report, report])]) {
          for (const f of FORMAT_IDS) {
            for (const color of [false, true]) {
              const out = FORMATS[f].render(input, { color, width: 80 });
              expect(out, `${f} leaks the secret`).not.toContain(s);
              // Controls from plan data never reach any output raw; the terminal's own colour codes are SGR only.
              const withoutSgr = f === "terminal" && color ? out.replace(/\x1b\[[0-9;]*m/g, "") : out;
              expect(withoutSgr, `${f} has a raw control character`).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u202e]/);
              if (f === "json" || f === "sarif" || f === "gitlab" || f === "gitlab-terraform") expect(() => JSON.parse(out) as unknown, f).not.toThrow();
              if (f === "junit") expect(XMLValidator.validate(out)).toBe(true);
              if (f === "markdown") {
                expect(tablesIntact(out), "markdown table broken").toBe(true);
                expect(out).not.toMatch(/<(script|img)/i);
                expect(out).not.toMatch(/@[A-Za-z]/);
                expect((out.match(/<details>/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
              }
              if (f === "html") expect(out).not.toMatch(/<(img|script>alert)/i);
              if (f === "github") for (const line of out.trimEnd().split("\n").slice(1)) expect(line).toMatch(/^::(error|warning|notice)( [^:\r\n]*)?::[^\r\n]*$/);
              if (f === "mermaid") for (const line of out.trimEnd().split("\n").slice(1)) expect(line).toMatch(/^\s+(subgraph \w+\["[^"]*"\]|end|\w+\["[^"]*"\]:::\w+|\w+ -->\|"[^"]*"\| \w+|classDef .*|%% .*)$/);
              if (f === "agent") for (const line of out.trimEnd().split("\n").slice(1, -1)) expect(line).toMatch(/^[A-Z]+: /);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
