import { describe } from "vitest";
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
