// `ai_assisted`: whether the commit being planned is marked as AI-assisted (trailer or co-author, see docs/policy.md).

import { defineCondition } from "./types.js";

export default defineCondition<boolean>({
  id: "ai-assisted",
  description: "true selects changes when the commit is marked AI-assisted (AI-Assisted: true, or a coding assistant as co-author)",
  schema: { type: "boolean" },
  evaluate(arg, _subject, { context }) {
    return arg ? context.aiAssisted : !context.aiAssisted;
  },
});
