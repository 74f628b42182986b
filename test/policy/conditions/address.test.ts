import { describe } from "vitest";
import { change } from "../helpers.js";
import { runTable } from "./_table.js";

describe("condition address", () => {
  runTable("address", [
    { name: "exact address", arg: "aws_s3_bucket.logs", change: change("aws_s3_bucket.logs"), expected: true },
    { name: "a resource covers its instances", arg: "aws_instance.web", change: change("aws_instance.web[2]"), expected: true },
    { name: "a module covers everything inside it", arg: "module.old", change: change('module.old["eu"].module.inner.aws_s3_bucket.x'), expected: true },
    { name: "a module does not cover a longer name", arg: "module.old", change: change("module.older.aws_s3_bucket.x"), expected: false },
    { name: "* crosses module boundaries", arg: "module.*.aws_db_instance.main", change: change("module.a.module.b.aws_db_instance.main"), expected: true },
    { name: "brackets and quotes are literal", arg: 'module.app["eu"].*', change: change('module.app["eu"].aws_db_instance.main'), expected: true },
    { name: "brackets are not a character class", arg: 'module.app["eu"].*', change: change("module.app[e].aws_db_instance.main"), expected: false },
    { name: "? is one character", arg: "aws_instance.web[?]", change: change("aws_instance.web[7]"), expected: true },
    { name: "list: any of", arg: ["module.a", "module.b"], change: change("module.b.x.y"), expected: true },
  ]);
});
