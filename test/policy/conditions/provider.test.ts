import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

const google = { provider: "registry.terraform.io/hashicorp/google" };

describe("condition provider", () => {
  runTable("provider", [
    { name: "short name", arg: "aws", change: change("aws_s3_bucket.a"), expected: true },
    { name: "namespace/name", arg: "hashicorp/aws", change: change("aws_s3_bucket.a"), expected: true },
    { name: "full address", arg: "registry.terraform.io/hashicorp/aws", change: change("aws_s3_bucket.a"), expected: true },
    { name: "glob over the registry", arg: "registry.opentofu.org/*", change: change("aws_s3_bucket.a"), expected: false },
    { name: "other provider", arg: ["aws", "azurerm"], change: change("google_sql_database_instance.a", ["delete"], google), expected: false },
    { name: "0.12 plans name only the provider", arg: "aws", change: change("aws_s3_bucket.a", ["delete"], { provider: "aws" }), expected: true },
  ]);
});
