// `address`: address globs, module paths included (`module.prod.*`, `module.app["eu"].aws_db_instance.main`).

import { asList, addressMatch } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

export default defineCondition<string | string[]>({
  id: "address",
  description: "address globs; a pattern also matches everything inside it (module.old matches module.old.aws_s3_bucket.x)",
  schema: stringOrList("an address glob"),
  evaluate(arg, { change }) {
    return asList(arg).some((p) => addressMatch(p, change.address));
  },
});
