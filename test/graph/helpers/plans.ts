// Hand-edited copies of example plans, for shapes terraform will not write (cycles, provider references, ...).

import { readFileSync } from "node:fs";
import path from "node:path";
import { buildPlan } from "../../../src/plan/build.js";
import type { Plan } from "../../../src/plan/model.js";
import { EXAMPLES } from "../../helpers/paths.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- hand-editing raw plan JSON */
export async function editedPlan(example: string, edit: (raw: Record<string, any>) => void): Promise<Plan> {
  const raw = JSON.parse(readFileSync(path.join(EXAMPLES, example, "plan.json"), "utf8")) as Record<string, any>;
  edit(raw);
  return buildPlan([Buffer.from(JSON.stringify(raw))], { kind: "file", path: `${example}/edited.json`, encoding: "utf-8" }, { file: `${example}/edited.json` });
}
/* eslint-enable @typescript-eslint/no-explicit-any */
