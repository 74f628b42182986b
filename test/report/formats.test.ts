// Every format on the examples, against golden files (rewrite with scripts/regen-goldens.sh and review the diff),
// plus the structural checks each output language has: JSON and SARIF schemas, XML well-formedness.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import ajvDraft04 from "ajv-draft-04";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/document.js";
import { FORMAT_IDS, FORMATS, type FormatId, type RenderOptions } from "../../src/report/formats/index.js";
import { loadSourceIndex } from "../../src/report/read-sources.js";
import { buildReportSet, type ReportInput } from "../../src/report/report-set.js";
import type { SourceIndex } from "../../src/report/source-locations.js";
import { ROOT } from "../helpers/paths.js";
import { exampleReport, incidentPolicy } from "./helpers.js";

const OPTS: RenderOptions = { color: false, width: 100 };
const SARIF_SCHEMA_PATH = path.resolve(ROOT, "../shared/schemas/sarif-schema-2.1.0.json");
const HAS_SARIF_SCHEMA = existsSync(SARIF_SCHEMA_PATH);
if (!HAS_SARIF_SCHEMA) console.warn(`SARIF schema validation skipped: ${SARIF_SCHEMA_PATH} is absent (it comes with shared/schemas)`);

interface Case {
  input: ReportInput;
  options: RenderOptions;
  /** Formats whose goldens the CLI test already owns (terminal.txt, report.json) are left to it. */
  formats: FormatId[];
}

const CLI_OWNED: FormatId[] = ["terminal", "json"];
const cases = new Map<string, Case>();
let incidentPolicyReport: Report;
let incidentSources: SourceIndex;

beforeAll(async () => {
  const notCli = FORMAT_IDS.filter((f) => !CLI_OWNED.includes(f));
  for (const name of ["incident", "safe", "deletes"]) cases.set(name, { input: await exampleReport(name), options: OPTS, formats: notCli });
  // The incident with a policy verdict and --tf-dir source locations.
  const base = await exampleReport("incident");
  const policy = incidentPolicy(base);
  incidentPolicyReport = await exampleReport("incident", {
    policy,
    verdict: { status: "fail", reasons: policy.results.filter((r) => r.status === "fail").map((r) => `policy rule \`${r.rule}\` fails: ${r.message}`) },
  });
  incidentSources = await loadSourceIndex("examples/incident", { cwd: ROOT });
  cases.set("incident-policy", { input: incidentPolicyReport, options: { ...OPTS, sources: [incidentSources] }, formats: FORMAT_IDS });
  const set = buildReportSet([incidentPolicyReport, await exampleReport("safe"), await exampleReport("replace-reasons")]);
  cases.set("multi", { input: set, options: { ...OPTS, sources: [incidentSources, undefined, undefined] }, formats: FORMAT_IDS });
});

const CASE_NAMES = ["incident", "safe", "deletes", "incident-policy", "multi"];
const render = (name: string, f: FormatId): string => FORMATS[f].render(cases.get(name)!.input, cases.get(name)!.options);

describe("golden files", () => {
  it.each(CASE_NAMES)("%s: every format matches its golden file", async (name) => {
    const c = cases.get(name)!;
    for (const f of c.formats) await expect(render(name, f)).toMatchFileSnapshot(`../golden/${name}/${f}.${FORMATS[f].extension}`);
  });

  it("never prints the incident's sensitive password, in any format", () => {
    for (const name of CASE_NAMES) for (const f of FORMAT_IDS) expect(render(name, f), `${name} ${f}`).not.toContain("hunter2-incident-secret");
  });

  it("renders the same text twice (deterministic)", () => {
    for (const name of CASE_NAMES) for (const f of cases.get(name)!.formats) expect(render(name, f)).toBe(render(name, f));
  });
});

describe("structure", () => {
  const reportSchema = JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")) as object;
  const setSchema = JSON.parse(readFileSync(path.join(ROOT, "schemas/report-set.schema.json"), "utf8")) as object;
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addSchema(reportSchema);
  const validateReport = ajv.getSchema("https://blastgate.dev/schemas/report.schema.json")!;
  const validateSet = ajv.compile(setSchema);

  it("json: one plan is the flat report document; several are the envelope; both match their schemas", () => {
    for (const name of ["incident", "safe", "deletes", "incident-policy"]) {
      const doc = JSON.parse(render(name, "json")) as unknown;
      expect(validateReport(doc), JSON.stringify(validateReport.errors)).toBe(true);
    }
    const env = JSON.parse(render("multi", "json")) as { reports: unknown[]; verdict: { status: string } };
    expect(validateSet(env), JSON.stringify(validateSet.errors)).toBe(true);
    expect(env.reports).toHaveLength(3);
    expect(env.verdict.status).toBe("fail");
  });

  it.skipIf(!HAS_SARIF_SCHEMA)("sarif: valid SARIF 2.1.0 (draft-04 schema), with rules and locations", () => {
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, "utf8")) as object;
    const validate = new ajvDraft04.default({ allErrors: true, strict: false }).compile(schema);
    for (const name of CASE_NAMES) {
      const log = JSON.parse(render(name, "sarif")) as unknown;
      expect(validate(log), `${name}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
    }
  });

  it("sarif: points at the .tf block with sources, at the plan without, and says so", () => {
    type Log = { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations?: { fullyQualifiedName: string }[] }[] }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    const withSources = JSON.parse(render("incident-policy", "sarif")) as Log;
    const svc = withSources.runs[0]!.results.find((r) => r.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName === 'terraform_data.service["api"]' && r.ruleId.startsWith("change/"))!;
    expect(svc.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: "examples/incident/main.tf" }, region: { startLine: 81 } });
    const db = withSources.runs[0]!.results.find((r) => r.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName === "module.database.terraform_data.database")!;
    expect(db.locations[0]!.physicalLocation!.artifactLocation.uri).toBe("examples/incident/modules/database/main.tf");
    const rules = withSources.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(rules).toEqual([...rules].sort());
    expect(rules).toContain("policy/protect-databases");
    const plain = JSON.parse(render("incident", "sarif")) as Log;
    const first = plain.runs[0]!.results[0]!;
    expect(first.locations[0]!.physicalLocation!.artifactLocation.uri).toBe("examples/incident/plan.json");
    expect(first.message.text).toContain("pass --tf-dir");
  });

  it("junit: well-formed XML; a case per verdict, rule and change; failures follow the gate", () => {
    for (const name of CASE_NAMES) expect(XMLValidator.validate(render(name, "junit")), name).toBe(true);
    type Suite = { testcase: { "@_name": string; failure?: unknown }[] };
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "testcase" || n === "testsuite" }).parse(render("incident-policy", "junit")) as { testsuites: { testsuite: Suite[] } };
    const tc = parsed.testsuites.testsuite[0]!.testcase;
    expect(tc).toHaveLength(1 + 5 + 30);
    expect(tc.filter((c) => c.failure !== undefined).length).toBe(1 + 2 + 30);
    const passing = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "testcase" }).parse(render("incident", "junit")) as { testsuites: { testsuite: Suite } };
    expect(passing.testsuites.testsuite.testcase.every((c) => c.failure === undefined)).toBe(true);
  });

  it("gitlab: Code Quality issues with the fields GitLab reads", () => {
    const issues = JSON.parse(render("incident-policy", "gitlab")) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    expect(issues.length).toBeGreaterThan(30);
    for (const i of issues) {
      expect(typeof i.description).toBe("string");
      expect(["info", "minor", "major", "critical", "blocker"]).toContain(i.severity);
      expect(i.location.lines.begin).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(issues.some((i) => i.check_name === "policy/dns-changes")).toBe(false); // waived: not an issue
  });

  it("gitlab-terraform: counts every action like GitLab's jq filter (a replace is a create and a delete)", () => {
    expect(JSON.parse(render("incident", "gitlab-terraform"))).toEqual({ create: 30, update: 0, delete: 30 });
    expect(JSON.parse(render("safe", "gitlab-terraform"))).toEqual({ create: 1, update: 1, delete: 0 });
    const multi = JSON.parse(render("multi", "gitlab-terraform")) as Record<string, number>;
    expect(Object.keys(multi)).toEqual(["create", "update", "delete"]);
  });

  it("markdown: the hidden marker first, the verdict next, the full report named when nothing is left out", () => {
    const md = render("incident-policy", "markdown");
    expect(md.split("\n")[0]).toBe("<!-- blastgate-report -->");
    expect(md.split("\n")[1]).toContain("STOP");
    expect(md).toContain("```mermaid");
    expect(md).toContain("<details>");
    expect(md).not.toContain("Left out");
  });

  it("agent: one fact per line with a known tag; quoted fields parse as JSON", () => {
    for (const name of CASE_NAMES) {
      const lines = render(name, "agent").trimEnd().split("\n");
      expect(lines[0]).toMatch(/^# blastgate agent report v1/);
      expect(lines.at(-1)).toBe("END");
      for (const l of lines.slice(1, -1)) {
        expect(l).toMatch(/^(VERDICT|WHY|PLAN|STOP|POLICY|RULE|DESTROY|MORE|CAUSE|DO): /);
        for (const m of l.matchAll(/"(?:[^"\\]|\\.)*"/g)) expect(() => JSON.parse(m[0]) as unknown).not.toThrow();
      }
    }
    const incident = render("incident-policy", "agent");
    expect(incident).toContain("VERDICT: fail");
    expect(incident).toContain('DO: "do not apply this plan; fix the cause or ask a human for a sign-off"');
  });

  it("github: annotations at most 10 per level, with the .tf file and line when known", () => {
    const lines = render("incident-policy", "github").trimEnd().split("\n");
    const count = (cmd: string): number => lines.filter((l) => l.startsWith(`::${cmd} `)).length;
    expect(count("error")).toBeLessThanOrEqual(10);
    expect(count("warning")).toBeLessThanOrEqual(10);
    expect(count("notice")).toBeLessThanOrEqual(10);
    expect(lines.some((l) => /^::\w+ file=examples\/incident\/(modules\/\w+\/)?main\.tf,line=\d+,title=/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^::notice title=blastgate::\d+ more findings/);
  });

  it("dot and mermaid: every destroyed resource is a node; edges follow the blast-radius paths", () => {
    const dotText = render("incident-policy", "dot");
    for (const d of incidentPolicyReport.destructive) expect(dotText).toContain(`label=${JSON.stringify(d.address).replace(/\\"/g, '\\"')}`);
    const edges = new Set(incidentPolicyReport.destructive.flatMap((d) => d.blast_radius.flatMap((e) => e.path.slice(1).map((to, k) => `${e.path[k]} -> ${to}`))));
    expect(edges.size).toBeGreaterThan(0);
    for (const e of edges) {
      const [from, to] = e.split(" -> ");
      expect(dotText).toContain(`${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
    }
    const mm = render("incident-policy", "mermaid");
    expect(mm.startsWith("flowchart LR\n")).toBe(true);
    expect(mm.match(/-->\|/g)?.length).toBe(edges.size);
  });

  it("html: self-contained (no external URL is loaded) and lists the destroyed addresses", () => {
    const page = render("incident-policy", "html");
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(page).toContain("Content-Security-Policy");
    expect(page).toContain("module.database.terraform_data.database");
  });
});
