// `resource_type`: globs over the resource type (`aws_db_*`).

import { asList, globMatch } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

export default defineCondition<string | string[]>({
  id: "resource-type",
  description: "resource type globs, e.g. aws_db_* or google_sql_database_instance",
  schema: stringOrList("a resource type glob"),
  evaluate(arg, { change }) {
    return asList(arg).some((p) => globMatch(p, change.type));
  },
});
