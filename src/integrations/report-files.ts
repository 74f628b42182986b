// File names for the reports the CI entry points write into the report directory, one per format. Stable names so a
// workflow can point artifact and upload steps at them without asking blastgate.

const NAMES: Record<string, string> = {
  json: "blastgate.json",
  markdown: "blastgate.md",
  sarif: "blastgate.sarif",
  junit: "blastgate.junit.xml",
  // GitLab's merge-request widgets (artifacts:reports:codequality / terraform).
  gitlab: "gl-code-quality-report.json",
  "gitlab-terraform": "tfplan.json",
  html: "blastgate.html",
  agent: "blastgate.agent.txt",
  terminal: "blastgate.txt",
  github: "blastgate.annotations.txt",
  dot: "blastgate.dot",
  mermaid: "blastgate.mmd",
};

/** The file name a format's report gets in the report directory. */
export function reportFileName(format: string, extension: string): string {
  return NAMES[format] ?? `blastgate.${format}.${extension}`;
}

/** Formats each provider writes when not told otherwise. */
export const DEFAULT_CI_FORMATS = {
  github: ["json", "markdown", "sarif"],
  gitlab: ["json", "markdown", "gitlab", "junit", "gitlab-terraform"],
  atlantis: [] as string[],
} as const;

/** Splits a list given as "a,b c" or several flags into ids, in order, without duplicates. */
export function parseFormatList(values: readonly string[] | string | undefined): string[] {
  const raw = values === undefined ? [] : [values].flat();
  const out: string[] = [];
  for (const v of raw) for (const id of v.split(/[\s,]+/)) if (id !== "" && !out.includes(id)) out.push(id);
  return out;
}

/** Sums of what the plans do, for CI outputs. */
export interface Counts {
  plans: number;
  destructive: number;
  create: number;
  update: number;
  delete: number;
  replace: number;
  forget: number;
}

interface CountableReport {
  summary: Record<string, number>;
  destructive: readonly unknown[];
}

export function countReports(reports: readonly CountableReport[]): Counts {
  const c: Counts = { plans: reports.length, destructive: 0, create: 0, update: 0, delete: 0, replace: 0, forget: 0 };
  for (const r of reports) {
    const s = (k: string): number => r.summary[k] ?? 0;
    c.destructive += r.destructive.length;
    c.create += s("create");
    c.update += s("update");
    c.delete += s("delete");
    c.replace += s("replace-delete-first") + s("replace-create-first") + s("forget-replace");
    c.forget += s("forget");
  }
  return c;
}
