import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANGE_KINDS } from "../../../src/plan/actions.js";
import { ACTION_VALUES } from "../../../src/policy/conditions/action.js";
import { CONDITIONS } from "../../../src/policy/conditions/index.js";
import type { EvalContext } from "../../../src/policy/conditions/types.js";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

describe("condition action", () => {
  runTable("action", [
    { name: "a kind matches itself", arg: "delete", change: change("aws_s3_bucket.a", ["delete"]), expected: true },
    { name: "a list matches any of its kinds", arg: ["update", "replace-delete-first"], change: change("aws_s3_bucket.a", ["delete", "create"]), expected: true },
    { name: "replace orders are told apart", arg: "replace-delete-first", change: change("aws_s3_bucket.a", ["create", "delete"]), expected: false },
    { name: "group destructive includes forget", arg: "destructive", change: change("aws_s3_bucket.a", ["forget"]), expected: true },
    { name: "group destroy excludes forget", arg: "destroy", change: change("aws_s3_bucket.a", ["forget"]), expected: false },
    { name: "group destroy includes create-first replace", arg: "destroy", change: change("aws_s3_bucket.a", ["create", "delete"]), expected: true },
    { name: "group replace includes forget-replace", arg: "replace", change: change("aws_s3_bucket.a", ["create", "forget"]), expected: true },
    { name: "group replace excludes delete", arg: "replace", change: change("aws_s3_bucket.a", ["delete"]), expected: false },
    { name: "group destructive excludes update", arg: "destructive", change: change("aws_s3_bucket.a", ["update"]), expected: false },
    { name: "unrecognised actions count as destructive", arg: "destructive", change: change("aws_s3_bucket.a", ["explode"]), expected: true },
    { name: "any matches no-op", arg: "any", change: change("aws_s3_bucket.a", ["no-op"]), expected: true },
  ]);
});

describe("condition action: the kinds it declares", () => {
  // A rule's conditions are evaluated only for changes of the kinds `kinds` lists (src/policy/evaluate.ts): a kind
  // left out would hide matching changes from every rule, a kind too many only costs time.
  it("are exactly the kinds evaluate accepts, for any argument", () => {
    const arg = fc.oneof(fc.constantFrom(...ACTION_VALUES), fc.array(fc.constantFrom(...ACTION_VALUES), { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(arg, (a) => {
        const declared = CONDITIONS.action.kinds!(a);
        for (const kind of CHANGE_KINDS) {
          const c = { ...change("t.a", ["no-op"]), kind };
          expect(declared.includes(kind), `${JSON.stringify(a)} ${kind}`).toBe(CONDITIONS.action.evaluate(a, { change: c }, {} as EvalContext));
        }
      }),
    );
  });
});
