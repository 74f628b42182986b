// `gitlab-terraform`: the small JSON GitLab's merge request Terraform widget reads (artifacts:reports:terraform):
// `{"create": N, "update": N, "delete": N}`. Counted exactly as GitLab's documented jq filter does: every action of
// every resource change, so a replacement counts once as a create and once as a delete; read, no-op and forget
// are not counted. Several plans are summed (GitLab shows one widget line per report file).

import { asReportSet } from "../report-set.js";
import type { ReportFormat } from "./types.js";

export const gitlabTerraform: ReportFormat = {
  id: "gitlab-terraform",
  description: "GitLab merge request Terraform widget counts ({create, update, delete})",
  extension: "json",
  render(input) {
    const counts = { create: 0, update: 0, delete: 0 };
    for (const r of asReportSet(input).reports)
      for (const c of r.changes)
        for (const a of c.actions) if (a === "create" || a === "update" || a === "delete") counts[a]++;
    return JSON.stringify(counts) + "\n";
  },
};
