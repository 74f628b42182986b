// `provider`: provider globs, matched against the full address or its short forms (`aws`, `hashicorp/aws`).

import { asList, globMatch } from "../glob.js";
import { defineCondition, stringOrList } from "./types.js";

/** `registry.terraform.io/hashicorp/aws` → itself, `hashicorp/aws` and `aws` (0.12 plans write just `aws`). */
export function providerForms(provider: string): string[] {
  const parts = provider.split("/");
  const forms = [provider];
  if (parts.length >= 2) forms.push(parts.slice(-2).join("/"));
  if (parts.length >= 1) forms.push(parts[parts.length - 1]!);
  return forms;
}

export default defineCondition<string | string[]>({
  id: "provider",
  description: "provider globs: aws, hashicorp/aws or registry.terraform.io/hashicorp/aws",
  schema: stringOrList("a provider glob"),
  evaluate(arg, { change }) {
    const forms = providerForms(change.provider);
    return asList(arg).some((p) => forms.some((f) => globMatch(p, f)));
  },
});
