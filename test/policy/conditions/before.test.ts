import { describe, expect, it } from "vitest";
import { parseAttributePath } from "../../../src/policy/conditions/before.js";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

const prodDb = { before: { identifier: "db", deletion_protection: true, tags: { env: "prod", "kubernetes.io/name": "pg" }, ports: [5432] } };

describe("condition before", () => {
  runTable("before", [
    { name: "tag value", arg: { "tags.env": "prod" }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "other tag value", arg: { "tags.env": "staging" }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: false },
    { name: "a list is any of", arg: { "tags.env": ["staging", "prod"] }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "boolean attribute", arg: { deletion_protection: true }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "a string true equals a boolean true", arg: { deletion_protection: "true" }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "quoted map key", arg: { 'tags["kubernetes.io/name"]': "pg" }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "list index", arg: { "ports[0]": 5432 }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: true },
    { name: "every entry must hold", arg: { "tags.env": "prod", deletion_protection: false }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: false },
    { name: "absent attribute", arg: { "tags.team": "x" }, change: change("aws_db_instance.a", ["delete"], prodDb), expected: false },
    {
      name: "a sensitive value is treated as matching, with a note (fail closed)",
      arg: { "tags.env": "prod" },
      change: change("aws_db_instance.a", ["delete"], { before: { tags: { env: "prod" } }, beforeSensitive: { tags: true } }),
      expected: true,
      note: "`tags.env` is sensitive",
    },
    { name: "a create has no before value", arg: { "tags.env": "prod" }, change: change("aws_db_instance.a", ["create"], { after: { tags: { env: "prod" } } }), expected: false },
    { name: "works after the resource block is deleted", arg: { "tags.env": "prod" }, change: change("aws_db_instance.a", ["delete"], { ...prodDb, actionReason: "delete_because_no_resource_config" }), expected: true },
  ]);

  it("parses attribute paths and rejects malformed ones", () => {
    expect(parseAttributePath("tags.env")).toEqual(["tags", "env"]);
    expect(parseAttributePath('tags["a.b"].c[3]')).toEqual(["tags", "a.b", "c", 3]);
    expect(parseAttributePath("tags.")).toMatch(/no attribute name/);
    expect(parseAttributePath("tags[x]")).toMatch(/malformed index/);
    expect(parseAttributePath("9lives")).toMatch(/must start/);
  });
});
