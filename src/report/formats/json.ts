// `json`: the versioned report document, as published in schemas/report.schema.json.

import type { ReportFormat } from "./types.js";

export const json: ReportFormat = {
  id: "json",
  description: "the versioned report document (schemas/report.schema.json)",
  render: (report) => JSON.stringify(report, null, 2) + "\n",
};
