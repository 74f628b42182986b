// `blastgate graph`: print a plan's dependency graph (resource or instance level) as JSON, DOT or Mermaid.
// Exit 0 when the graph is printed, 2 when it cannot be built (bad plan, bad --tf-dir).

import type { Argv } from "yargs";
import { renderDiagnostic } from "../../diagnostics/index.js";
import { buildDependencyGraph, GRAPH_FORMAT_IDS, GRAPH_FORMATS, loadTfSources, type GraphFormatId, type TfSources } from "../../graph/index.js";
import { loadPlan } from "../../plan/read.js";
import { writeAtomic, writeStdout } from "../output.js";
import type { CommandContext } from "../context.js";
import { planLoadOptions } from "./support/load.js";

export const LEVELS = ["resource", "instance"] as const;
export type Level = (typeof LEVELS)[number];

export interface GraphArgs {
  plan?: string;
  level: Level;
  format: GraphFormatId;
  output?: string;
  "tf-dir"?: string;
  "terraform-bin"?: string;
}

export function builder(y: Argv): Argv<GraphArgs> {
  return y
    .positional("plan", { type: "string", describe: "plan JSON file, binary plan file, or - for standard input (default: standard input when piped)" })
    .option("level", { alias: "l", choices: LEVELS, default: "resource" as Level, describe: "resource: one node per block, named like `terraform graph`; instance: one per resource_changes address" })
    .option("format", { alias: "f", choices: GRAPH_FORMAT_IDS, default: "json" as GraphFormatId, describe: "json (edges: from depends on to), dot (Graphviz) or mermaid (Markdown)" })
    .option("output", { alias: "o", type: "string", describe: "write to this file instead of standard output" })
    .option("tf-dir", { type: "string", describe: "directory of the root module's .tf files: adds locals, lifecycle (replace_triggered_by) and dynamic blocks" })
    .option("terraform-bin", { type: "string", describe: "terraform or tofu program used to convert binary plans (default: terraform, else tofu, on PATH)" })
    .example("$0 graph plan.json --format dot | dot -Tsvg > graph.svg", "draw the resource graph")
    .example("$0 graph plan.json --level instance --tf-dir .", "instance-level JSON, locals read from the sources")
    .example("terraform show -json tfplan | $0 graph - -f mermaid", "a Mermaid chart from standard input") as unknown as Argv<GraphArgs>;
}

export async function run(args: GraphArgs, ctx: CommandContext): Promise<number> {
  // yargs hands a lone `-` over as an empty string.
  const given = args.plan === "" ? "-" : args.plan;
  const input = given ?? (ctx.stdinIsTTY ? undefined : "-");
  if (input === undefined) {
    ctx.usageError("no plan given: pass a plan file, or `-` to read standard input (e.g. `terraform show -json tfplan | blastgate graph -`)");
    return 2;
  }
  const load = planLoadOptions(args);
  // Read the sources first: a bad --tf-dir fails fast, before a large plan is read.
  const sources: TfSources | undefined = args["tf-dir"] !== undefined ? await loadTfSources(args["tf-dir"]) : undefined;
  const plan = await loadPlan(input, load);
  const graphs = buildDependencyGraph(plan, sources ? { sources } : {});
  const graph = args.level === "instance" ? graphs.instance : graphs.resource;
  const text = GRAPH_FORMATS[args.format].render({ graph, unresolved: graphs.unresolved, cycles: graphs.cycles, lifecycle: graphs.lifecycle, locations: graphs.locations });
  if (args.output !== undefined) await writeAtomic(args.output, text);
  else await writeStdout(text);
  if (graphs.unresolved.length > 0 && args.format !== "json") {
    const first = graphs.unresolved[0]!;
    process.stderr.write(
      renderDiagnostic({
        code: "BG3101",
        severity: "warning",
        message: `${graphs.unresolved.length} reference(s) could not be followed, e.g. ${first.reference} from ${first.from}`,
        why: first.why,
        fix: sources ? "check that --tf-dir is the directory the plan was made from" : "pass --tf-dir with the configuration's directory (or use --format json to list them all)",
      }) + "\n",
    );
  }
  if (graphs.cycles.length > 0) {
    process.stderr.write(renderDiagnostic({ code: "BG3102", severity: "warning", message: `the graph has ${graphs.cycles.length} dependency cycle(s), e.g. ${graphs.cycles[0]!.join(" -> ")}`, why: "Terraform rejects cyclic configurations, so the plan was probably edited by hand" }) + "\n");
  }
  return 0;
}
