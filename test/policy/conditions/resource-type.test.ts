import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

describe("condition resource-type", () => {
  runTable("resource-type", [
    { name: "exact type", arg: "aws_db_instance", change: change("aws_db_instance.main"), expected: true },
    { name: "glob", arg: "aws_db_*", change: change("module.data.aws_db_instance.main"), expected: true },
    { name: "glob is anchored", arg: "db_*", change: change("aws_db_instance.main"), expected: false },
    { name: "list: any of", arg: ["google_sql_*", "aws_rds_cluster"], change: change("aws_rds_cluster.c"), expected: true },
    { name: "other type", arg: ["aws_db_*"], change: change("aws_s3_bucket.logs"), expected: false },
  ]);
});
