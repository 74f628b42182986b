// Builds the slim Plan model from a plan JSON byte stream: chooses what the splitter parses, checks the document is
// a plan of a supported format_version, and slims each resource change as it arrives.

import { BlastgateError, fail, type Diagnostic } from "../diagnostics/index.js";
import { sameStrings } from "../lists.js";
import { AddressError, configAddress, formatAddress, formatModulePath, parseAddress, parseKeySuffix, parseModulePath, type InstanceKey, type ModuleStep, type ResourceAddress } from "./address.js";
import { isDestructive, kindOf, type ChangeKind } from "./actions.js";
import { slimConfiguration, type Configuration } from "./configuration.js";
import type { CheckResult, DeferredChange, OutputChange, Plan, PlanSource, PlanTool, PriorResource, ResourceChange, Variable } from "./model.js";
import { JsonDepthError, JsonSplitter, JsonSyntaxError, JsonValueTooLargeError, MAX_NESTING, toPointer, type Decision, type PathSegment, type Prune } from "./splitter.js";
import { SensitiveValues } from "./values.js";

/** format_version majors and the newest minor known for each (minor bumps are additive). */
const KNOWN_MINOR: Record<number, number> = { 0: 2, 1: 2 };
const MAX_LISTED_PATHS = 50;
/** Creates whose planned values are kept (to spot renames without a moved block); beyond it, memory wins. */
const MAX_CREATE_VALUES = 10_000;

type Json = unknown;
function isObj(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export interface BuildOptions {
  /** Name of the input for messages (the path, `<stdin>`, or the binary plan's path). */
  file: string;
  /** Reads prior_state in another thread while this one reads the rest (src/plan/prior-helper.ts). */
  priorHelper?: PriorHelper;
  /** The most bytes of JSON one value may have (the splitter's MAX_VALUE_BYTES unless set: tests set less). */
  maxValueBytes?: number;
}

/**
 * A reader of the prior_state section running beside buildPlan. It finds where the section's value starts, reads it
 * with the same builder code, and hands over the resources. buildPlan uses it only when the section it meets starts
 * at that very offset; otherwise it reads the section itself.
 */
export interface PriorHelper {
  /** The offset (in the bytes buildPlan is given) of the prior_state value the helper reads; undefined until known. */
  offset(): number | undefined;
  /** The section's resources (undefined: the section held none); rejects when the helper could not read it. */
  result(): Promise<PackedPrior | undefined>;
  /** The offset just past the value, once the helper has read it whole; undefined before. */
  end(): number | undefined;
  /** Settles once offset() is known or the helper has given up. */
  found(): Promise<void>;
  stop(): void;
}

/**
 * Thrown by buildPlan for anything that goes wrong once it has taken a helper's part (in either thread; the main
 * reader may meet an error past the section before one the helper met inside it): the caller reads the plan again
 * without a helper, and that read says what the plan holds or what is wrong with it.
 */
export class ReadAgainAlone extends Error {
  constructor(why: string) {
    super(why);
    this.name = "ReadAgainAlone";
  }
}

/** Keys whose presence at the top level means the document is something other than a plan. */
const NOT_A_PLAN_KEYS: Record<string, (file: string) => BlastgateError> = {
  plan_format_version: (file) =>
    fail("BG1007", "this is an HCP Terraform redacted plan (json-output-redacted), not `terraform show -json` output", {
      location: { file, pointer: "/plan_format_version" },
      why: "HCP Terraform's redacted plan API uses its own schema (plan_format_version, provider_schemas) without the configuration and values blastgate reads",
      fix: "run `terraform show -json PLANFILE > plan.json` on the saved plan (in HCP Terraform, download the JSON plan from the run's `json-output` endpoint, not `json-output-redacted`)",
    }),
  values: (file) =>
    fail("BG1004", "this is a Terraform state, not a plan", {
      location: { file, pointer: "/values" },
      why: "`terraform show -json` without a plan file prints the current state (a top-level `values` key), which says nothing about what a change will do",
      fix: "save a plan and show it: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`",
    }),
  valid: (file) =>
    fail("BG1005", "this is `terraform validate -json` output, not a plan", {
      location: { file, pointer: "/valid" },
      why: "validate output lists diagnostics; it has no resource changes",
      fix: "save a plan and show it: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`",
    }),
  diagnostics: (file) =>
    fail("BG1005", "this is `terraform validate -json` output, not a plan", {
      location: { file, pointer: "/diagnostics" },
      why: "validate output lists diagnostics; it has no resource changes",
      fix: "save a plan and show it: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`",
    }),
};

/** Top-level keys that mark a plan; a document with a format_version but none of them is something else. */
const PLAN_MARKERS = ["resource_changes", "planned_values", "configuration", "prior_state", "output_changes", "resource_drift"];

/** Top-level keys blastgate knows (read or deliberately skipped); others are noted. */
const KNOWN_TOP_KEYS = new Set([
  "format_version",
  "terraform_version",
  "variables",
  "planned_values",
  "resource_drift",
  "resource_changes",
  "deferred_changes",
  "output_changes",
  "prior_state",
  "configuration",
  "relevant_attributes",
  "checks",
  "timestamp",
  "applyable",
  "complete",
  "errored",
  "provider_schemas",
  "action_invocations",
  "condition_results",
]);

function decide(path: readonly PathSegment[]): Decision {
  const n = path.length;
  if (n === 0) return "descend";
  const top = path[0];
  if (n === 1) {
    switch (top) {
      case "resource_changes":
      case "resource_drift":
      case "deferred_changes":
      case "relevant_attributes":
      case "output_changes":
      case "prior_state":
        return "descend";
      case "configuration":
      case "variables":
      case "checks":
      case "format_version":
      case "terraform_version":
      case "timestamp":
      case "applyable":
      case "complete":
      case "errored":
        return "emit";
      default:
        return "skip";
    }
  }
  if (top === "prior_state") {
    if (n === 2) return path[1] === "values" ? "descend" : path[1] === "format_version" ? "emit" : "skip";
    if (path[1] !== "values") return "skip";
    if (n === 3) return path[2] === "root_module" ? "descend" : "skip";
    const last = path[n - 1];
    const prev = path[n - 2];
    if (last === "resources" || last === "child_modules") return "descend";
    if (typeof last === "number") return prev === "resources" ? "emit" : prev === "child_modules" ? "descend" : "skip";
    return "skip";
  }
  if (n === 2) return "emit";
  return "skip";
}

/**
 * Members the builder never reads, dropped before JSON.parse (the splitter's Prune). A resource change that is a no-op
 * is read for its actions, replace paths, masks and after_unknown, never its before and after values, which are most
 * of its bytes in a real plan; a prior_state resource is read for its address, mode, type and dependencies, never its
 * values. A no-op row is known only from its actions, which Terraform writes before the values.
 */
const ROW_PRUNE: Prune = { nested: { parent: "change", drop: ["before", "after"], when: { key: "actions", raw: '["no-op"]' } } };
const PRIOR_PRUNE: Prune = { drop: ["values", "sensitive_values"] };

function prune(path: readonly PathSegment[]): Prune | undefined {
  const top = path[0];
  if (path.length === 2) return top === "resource_changes" || top === "resource_drift" ? ROW_PRUNE : undefined;
  return top === "prior_state" && path.length > 2 ? PRIOR_PRUNE : undefined;
}

/** Walks an `after_unknown`-style mask and lists the paths marked true, as `a.b[0]` strings. */
function markedPaths(mask: Json, limit: number): string[] {
  const out: string[] = [];
  const walk = (m: Json, prefix: string): void => {
    if (out.length >= limit) return;
    if (m === true) {
      out.push(prefix === "" ? "(whole object)" : prefix);
      return;
    }
    if (Array.isArray(m)) m.forEach((x, i) => walk(x, `${prefix}[${i}]`));
    else if (isObj(m)) for (const [k, v] of Object.entries(m)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(mask, "");
  return out;
}

/** Top-level attribute names whose values differ between before and after. */
function changedTopLevel(before: Json, after: Json, afterUnknown: Json, limit: number): string[] {
  if (!isObj(before) || !isObj(after)) return [];
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (out.length >= limit) break;
    const unknown = isObj(afterUnknown) && afterUnknown[k] !== undefined && afterUnknown[k] !== false;
    if (unknown || JSON.stringify(before[k]) !== JSON.stringify(after[k])) out.push(k);
  }
  return out.sort();
}

function replacePathsOf(v: Json): (string | number)[][] {
  if (!Array.isArray(v)) return [];
  return v.filter(Array.isArray).map((p: Json[]) => p.filter((s): s is string | number => typeof s === "string" || typeof s === "number"));
}

/** What a replace path shows instead of a step that is a sensitive value. */
export const SENSITIVE_STEP = "(sensitive)";

/**
 * True when a `*_sensitive` mask hides the value at `path`: the mask or an ancestor is `true`. A string step into a
 * list mask is a set element (Terraform writes the element itself as the step), hidden when any element is marked.
 */
function maskHides(mask: Json, path: readonly (string | number)[]): boolean {
  let m = mask;
  for (const k of path) {
    if (m === true) return true;
    if (Array.isArray(m)) {
      if (typeof k === "string") return anyMarked(m);
      m = m[k];
    } else if (isObj(m)) m = Object.hasOwn(m, String(k)) ? m[String(k)] : undefined;
    else return false;
  }
  return m === true;
}

function anyMarked(mask: Json): boolean {
  const stack = [mask];
  while (stack.length > 0) {
    const m = stack.pop();
    if (m === true) return true;
    if (m !== null && typeof m === "object") stack.push(...Object.values(m));
  }
  return false;
}

/**
 * Replace paths with every string step after the attribute name that a sensitive mask covers replaced by
 * SENSITIVE_STEP: such a step is a value (an element of a sensitive set, a key of a sensitive map), and paths are
 * printed by every report and hashed into the plan fingerprint.
 */
function maskReplacePaths(paths: (string | number)[][], change: Record<string, Json>): (string | number)[][] {
  return paths.map((p) =>
    p.map((step, i) => (i > 0 && typeof step === "string" && (maskHides(change.before_sensitive, p.slice(0, i + 1)) || maskHides(change.after_sensitive, p.slice(0, i + 1))) ? SENSITIVE_STEP : step)),
  );
}

/**
 * The `changes` arrays of plans this reader built (deeply frozen, so nothing derived from them can go stale). A
 * plan a library caller assembles by hand is not in it, however frozen it looks.
 */
const READER_CHANGES = new WeakSet<object>();

/** True when these changes come from a plan the reader built: deeply frozen, so digests of them can be cached. */
export function isReaderBuilt(changes: object): boolean {
  return READER_CHANGES.has(changes);
}

/** The reader's map of each current-object row's address to its place, for plans in which no row repeats. */
const ROW_PLACES = new WeakMap<object, ReadonlyMap<string, number>>();

/**
 * The place in `changes` of each current-object row's address, when the reader built these changes and each row's
 * place is its node's id in the instance graph (no row seen twice, no empty deposed key): the map the reader made
 * anyway, which the graph uses instead of making its own.
 */
export function rowPlaces(changes: object): ReadonlyMap<string, number> | undefined {
  return ROW_PLACES.get(changes);
}

const EMPTY_LIST: readonly string[] = Object.freeze([]);
const EMPTY_PATHS: readonly (readonly (string | number)[])[] = Object.freeze([]);

/** What every instance of one resource shares, in every instance of its module: read once, then reused. */
interface ResourceTemplate {
  configAddress: string;
  mode: ResourceAddress["mode"];
  type: string;
  name: string;
  /** The provider of the last instance read (instances of a resource usually repeat it). */
  provider: string;
}

/** A module instance, by its address as the plan writes it, with the templates of its module's resources. */
interface ModuleEntry {
  address: string;
  steps: readonly ModuleStep[];
  configPath: string;
  /** Shared by every instance of the module (keyed by the resource part of the address, `data.a.b`). */
  resources: Map<string, ResourceTemplate>;
}

interface RowIdentity {
  entry: ModuleEntry;
  template: ResourceTemplate;
  key: InstanceKey | undefined;
}

function freezeSteps(steps: readonly ModuleStep[]): readonly ModuleStep[] {
  for (const st of steps) Object.freeze(st);
  return Object.freeze(steps);
}

/** True when `address` is in module instance `mod` itself (not in a module below it). */
function inModule(address: string, mod: string): boolean {
  if (mod === "") return !address.startsWith("module.");
  return address.startsWith(mod) && address.charCodeAt(mod.length) === 0x2e && !address.startsWith("module.", mod.length + 1);
}

/** Accumulates the model while the splitter reads. */
class PlanBuilder {
  readonly file: string;
  readonly topKeys: string[] = [];
  formatVersion: string | undefined;
  terraformVersion: string | undefined;
  timestamp: string | undefined;
  complete: boolean | undefined;
  applyable: boolean | undefined;
  errored: boolean | undefined;
  changes: ResourceChange[] = [];
  drift: ResourceChange[] = [];
  outputs: OutputChange[] = [];
  deferred: DeferredChange[] = [];
  checks: CheckResult[] = [];
  variableNames: string[] = [];
  prior: PriorResource[] | undefined;
  configuration: Configuration | undefined;
  /**
   * Takes the prior_state resources a helper thread read (packPrior), naming each as readPriorResource would have: a
   * resource whose address has a change shares that row's strings, the rest take interned ones, so the model is what
   * reading alone makes, with no second copy of every address.
   */
  takePackedPrior(packed: PackedPrior | undefined): void {
    if (packed === undefined) return;
    const { addresses, ends, fields, strings, deposed } = packed;
    const lists = packed.lists.map((l) => this.internList(l));
    const kept = strings.map((x) => this.intern(x));
    let d = 0;
    this.prior = [];
    for (let i = 0, start = 0; i < ends.length; i++) {
      const end = ends[i]!;
      const f = i * PACKED_FIELDS;
      const deposedKey = d < deposed.length && deposed[d]![0] === i ? deposed[d++]![1] : undefined;
      this.addPrior(addresses, start, end, kept[fields[f]!]!, kept[fields[f + 1]!]!, kept[fields[f + 2]!]!, lists[fields[f + 3]!]!, fields[f + 4] === 1, deposedKey);
      start = end;
    }
  }
  relevant: { resource: string; attribute: readonly (string | number)[] }[] = [];
  notes: Diagnostic[] = [];
  sawOpenTofuProvider = false;
  /**
   * The place in `changes` of a current-object row of each address seen so far. A prior_state resource of an address
   * that has a change takes its name from that row: one copy of the address string (the graph later looks it up
   * again) and no second parse of it.
   */
  private readonly seenRows = new Map<string, number>();
  /** The row after the last one a prior_state resource was named from (state lists them mostly in row order). */
  private nextPriorRow = 0;
  /**
   * Whether each row's place is its node's id in the instance graph (rowPlaces): false once a row repeats an earlier
   * one (BG1103: it gets no node of its own) or a row has an empty deposed key (a current object here, as policy
   * findings key it, but a node of its own, named as deposed, in the graph).
   */
  private placesAreNodes = true;
  /** The last prior_state depends_on list read per config resource (instances usually repeat it). */
  private readonly priorDeps = new Map<string, readonly string[]>();
  /** Address + deposed key of the deposed-object rows seen so far. */
  private readonly seenDeposed = new Set<string>();
  /**
   * One copy of each repeated string (config addresses, types, providers, depends_on entries) and of each module
   * path: a large plan repeats them once per instance, and the model keeps them all.
   */
  private readonly strings = new Map<string, string>();
  /** Module instances by address as written, the resource templates of each module, and the last module read. */
  private readonly modules = new Map<string, ModuleEntry>();
  private readonly moduleResources = new Map<string, Map<string, ResourceTemplate>>();
  private lastModule: ModuleEntry | undefined;

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }
  /**
   * One frozen array per distinct list: instances of one resource in many module instances repeat the same actions,
   * depends_on and attribute lists, and a 580k-change plan held ~1.1 KB per change before lists were shared.
   */
  private readonly lists = new Map<string, readonly string[]>();
  private internList(xs: readonly string[]): readonly string[] {
    if (xs.length === 0) return EMPTY_LIST;
    const key = xs.length === 1 ? xs[0]! : xs.join("\u0000");
    const known = this.lists.get(key);
    // A NUL inside an element could make two lists share a key: share only a list that is really equal.
    if (known !== undefined && sameStrings(xs, known)) return known;
    if (known !== undefined) return Object.freeze(xs.map((x) => this.intern(x)));
    const list = Object.freeze(xs.map((x) => this.intern(x)));
    this.lists.set(key, list);
    return list;
  }
  private readonly pathLists = new Map<string, readonly (readonly (string | number)[])[]>();
  private internPaths(ps: (string | number)[][]): readonly (readonly (string | number)[])[] {
    if (ps.length === 0) return EMPTY_PATHS;
    const key = JSON.stringify(ps);
    const known = this.pathLists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(ps.map((p) => Object.freeze(p.map((x) => (typeof x === "string" ? this.intern(x) : x)))));
    this.pathLists.set(key, list);
    return list;
  }
  private unknownActionNoted = 0;
  private createValuesKept = 0;

  constructor(file: string) {
    this.file = file;
  }

  onKey(path: readonly PathSegment[], key: string): void {
    if (path.length !== 0) return;
    this.topKeys.push(key);
    // Own keys only: a top-level key such as `__proto__` or `toString` must not find an inherited member.
    const notPlan = Object.hasOwn(NOT_A_PLAN_KEYS, key) ? NOT_A_PLAN_KEYS[key] : undefined;
    if (notPlan) throw notPlan(this.file);
  }

  private typeError(path: readonly PathSegment[], expected: string): BlastgateError {
    return fail("BG1010", `malformed plan: expected ${expected}`, {
      location: { file: this.file, pointer: toPointer(path) },
      why: "this field does not have the shape `terraform show -json` writes, so the plan cannot be read safely",
      fix: "regenerate the JSON with `terraform show -json PLANFILE` and do not edit it by hand",
    });
  }

  onValue(path: readonly PathSegment[], v: Json): void {
    const top = path[0];
    if (path.length === 1) {
      switch (top) {
        case "format_version":
          if (typeof v !== "string") throw this.typeError(path, "a string");
          this.checkVersion(v);
          this.formatVersion = v;
          return;
        case "terraform_version":
          if (typeof v === "string") this.terraformVersion = v;
          return;
        case "timestamp":
          if (typeof v === "string") this.timestamp = v;
          return;
        case "applyable":
        case "complete":
        case "errored":
          if (typeof v !== "boolean") throw this.typeError(path, "true or false");
          this[top] = v;
          return;
        case "configuration":
          if (!isObj(v)) throw this.typeError(path, "an object");
          this.configuration = slimConfiguration(v);
          return;
        case "variables":
          if (isObj(v)) this.variableNames = Object.keys(v).sort();
          return;
        case "checks":
          if (Array.isArray(v)) this.readChecks(v);
          return;
        default:
          // A descended key whose value was a scalar (e.g. "resource_changes": null).
          if (v !== null) throw this.typeError(path, top === "output_changes" || top === "prior_state" ? "an object" : "an array");
          return;
      }
    }
    switch (top) {
      case "resource_changes":
        this.changes.push(this.slimChange(v, path, true));
        return;
      case "resource_drift":
        this.drift.push(this.slimChange(v, path, false));
        return;
      case "deferred_changes":
        this.readDeferred(v, path);
        return;
      case "output_changes":
        this.readOutput(String(path[1]), v, path);
        return;
      case "relevant_attributes":
        if (isObj(v) && typeof v.resource === "string") this.relevant.push(Object.freeze({ resource: v.resource, attribute: Object.freeze(replacePathsOf([v.attribute])[0] ?? []) }));
        return;
      case "prior_state":
        if (path[1] === "format_version") return;
        this.readPriorResource(v, path);
        return;
    }
  }

  onClose(path: readonly PathSegment[]): void {
    if (path.length === 1 && path[0] === "prior_state") this.prior ??= [];
  }

  private checkVersion(v: string): void {
    const m = /^(\d+)\.(\d+)$/.exec(v);
    const pointer = "/format_version";
    if (!m) {
      // The text itself is not quoted: messages quote structure, never values, and this one is free text.
      throw fail("BG1003", `unsupported plan format_version: not a MAJOR.MINOR version (a string of ${v.length} characters)`, {
        location: { file: this.file, pointer },
        why: "every `terraform show -json` plan has a format_version like 1.2; this file was not written by Terraform or OpenTofu",
        fix: "regenerate the JSON with `terraform show -json PLANFILE` (or `tofu show -json PLANFILE`)",
      });
    }
    const major = Number(m[1]);
    const minor = Number(m[2]);
    const newest = KNOWN_MINOR[major];
    if (newest === undefined) {
      throw fail("BG1003", `unsupported plan format_version ${v}: blastgate reads major versions 0 and 1`, {
        location: { file: this.file, pointer },
        why: "a new major format version breaks compatibility, so reading it as 1.x could miss destructive changes",
        fix: "upgrade blastgate (`npm install blastgate@latest`), or show the plan with a Terraform/OpenTofu release that writes format 1.x",
      });
    }
    if (minor > newest) {
      this.notes.push({
        code: "BG1101",
        severity: "note",
        message: `plan format_version ${v} is newer than the newest blastgate knows (${major}.${newest}); read as ${major}.${newest} (minor versions only add fields)`,
        location: { file: this.file, pointer },
      });
    }
  }

  private slimChange(row: Json, path: readonly PathSegment[], keepValues: boolean): ResourceChange {
    // `/resource_changes/7`: one shared prefix and the index (the model keeps one pointer per row).
    const pointer = path.length === 2 && typeof path[1] === "number" && path[0] === "resource_changes" ? "/resource_changes/" + path[1] : toPointer(path);
    let v = row;
    if (!isObj(v)) throw this.typeError(path, "an object (a resource change)");
    if (typeof v.address !== "string") {
      // Terraform 1.0.0 wrote resource_drift rows without `address`; rebuild it from the parts it did write.
      if (typeof v.type !== "string" || typeof v.name !== "string") throw this.typeError([...path, "address"], "a string address");
      const rebuilt = formatAddress({
        module: typeof v.module_address === "string" ? this.moduleOf(v.module_address, [...path, "module_address"]) : [],
        mode: v.mode === "data" ? "data" : "managed",
        type: v.type,
        name: v.name,
        ...(typeof v.index === "number" || typeof v.index === "string" ? { key: v.index } : {}),
      });
      v = { ...v, address: rebuilt };
      if (keepValues) {
        this.notes.push({ code: "BG1105", severity: "warning", message: `a resource change has no address; rebuilt it as ${rebuilt} from type, name and module`, location: { file: this.file, pointer } });
      }
    }
    if (!isObj(v) || typeof v.address !== "string") throw this.typeError([...path, "address"], "a string address");
    const change = v.change;
    if (!isObj(change)) throw this.typeError([...path, "change"], "an object");
    const actions = change.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) throw this.typeError([...path, "change", "actions"], "an array of action strings");
    const moduleAddress = typeof v.module_address === "string" ? v.module_address : undefined;
    const id = this.identify(v.address, moduleAddress);
    let addr: ResourceAddress;
    let cfg: string;
    let modAddr: string;
    let template: ResourceTemplate | undefined;
    if (id !== undefined) {
      template = id.template;
      addr = { module: id.entry.steps, mode: template.mode, type: template.type, name: template.name };
      const idx = v.index;
      const key = typeof idx === "number" || typeof idx === "string" ? idx : id.key;
      if (key !== undefined) addr.key = key;
      cfg = template.configAddress;
      modAddr = id.entry.address;
    } else {
      addr = this.addressOf(v, path);
      addr.module = freezeSteps(addr.module);
      cfg = this.intern(configAddress(addr));
      modAddr = this.intern(moduleAddress ?? formatModulePath(addr.module));
      addr.type = this.intern(addr.type);
      addr.name = this.intern(addr.name);
    }
    let provider = "";
    if (typeof v.provider_name === "string") {
      if (template === undefined) provider = this.intern(v.provider_name);
      else provider = v.provider_name === template.provider ? template.provider : (template.provider = this.intern(v.provider_name));
    }
    if (typeof v.provider_name === "string" && v.provider_name.startsWith("registry.opentofu.org/")) this.sawOpenTofuProvider = true;
    const importing = isObj(change.importing);
    const previousAddress = typeof v.previous_address === "string" ? v.previous_address : undefined;
    const kind: ChangeKind = kindOf(actions, { importing, moved: previousAddress !== undefined && previousAddress !== v.address });
    const deposed = typeof v.deposed === "string" ? v.deposed : undefined;
    if (kind === "unknown" && this.unknownActionNoted++ < 20) {
      this.notes.push({
        code: "BG1102",
        severity: "warning",
        message: `resource change ${v.address} has actions blastgate does not know (${JSON.stringify(actions.slice(0, 5))}); it is reported as "unknown" and treated as destructive`,
        location: { file: this.file, pointer: pointer + "/change/actions" },
      });
    }
    if (keepValues) {
      // The address itself is the key of the usual row (no string built per row to hash); an empty deposed key is
      // the current object's row, as policy findings key it. A current-object row costs one map operation: set its
      // place (the caller appends the row to `changes` next), and see whether the map grew. A repeat leaves its own
      // place there, which names the same address.
      let repeated: boolean;
      if (deposed) {
        const rowKey = `${v.address}\u0000${deposed}`;
        repeated = this.seenDeposed.has(rowKey);
        if (!repeated) this.seenDeposed.add(rowKey);
      } else {
        const count = this.seenRows.size;
        this.seenRows.set(v.address, this.changes.length);
        repeated = this.seenRows.size === count;
      }
      if (deposed === "") this.placesAreNodes = false;
      if (repeated) {
        this.placesAreNodes = false;
        this.notes.push({
          code: "BG1103",
          severity: "warning",
          message: `resource change ${v.address}${deposed ? ` (deposed ${deposed})` : ""} appears more than once; every row is kept`,
          location: { file: this.file, pointer },
        });
      }
    }
    const rc: ResourceChange = {
      address: v.address,
      configAddress: cfg,
      moduleAddress: modAddr,
      module: addr.module,
      mode: addr.mode,
      type: addr.type,
      name: addr.name,
      provider,
      actions: this.internList(actions as string[]),
      kind,
      replacePaths: this.internPaths(maskReplacePaths(replacePathsOf(change.replace_paths), change)),
      importing,
      unknownAfter: this.internList(markedPaths(change.after_unknown, MAX_LISTED_PATHS)),
      changedAttributes: this.internList(kind === "update" || kind.startsWith("replace") ? changedTopLevel(change.before, change.after, change.after_unknown, MAX_LISTED_PATHS) : []),
      pointer,
    };
    if (addr.key !== undefined) rc.index = addr.key;
    if (deposed !== undefined) rc.deposed = deposed;
    if (typeof v.action_reason === "string") rc.actionReason = v.action_reason;
    if (previousAddress !== undefined) rc.previousAddress = previousAddress;
    // Values are kept for destructive changes (risk, policies) and a bounded number of creates (rename detection).
    if (keepValues && (isDestructive(kind) || kind === "unknown" || (kind === "create" && this.createValuesKept++ < MAX_CREATE_VALUES))) {
      rc.values = new SensitiveValues(change);
    }
    return Object.freeze(rc);
  }

  /**
   * The entry of a module instance by its address; undefined unless the address is a module path written the way
   * Terraform writes it (`[1]`, not `[01]`; no escape where a character would do; no trailing dot), so that a row's
   * address that starts with this text names the same module, and this text is what the whole parse would give.
   */
  private moduleEntry(address: string): ModuleEntry | undefined {
    // Rows come grouped by module: comparing with the last one is cheaper than hashing the address.
    const last = this.lastModule;
    if (last !== undefined && last.address === address) return last;
    const known = this.modules.get(address);
    if (known !== undefined) return known;
    let steps: ModuleStep[];
    try {
      steps = parseModulePath(address);
    } catch (e) {
      if (e instanceof AddressError) return undefined;
      throw e;
    }
    if (formatModulePath(steps) !== address) return undefined;
    const configPath = formatModulePath(steps, false);
    let resources = this.moduleResources.get(configPath);
    if (resources === undefined) this.moduleResources.set(configPath, (resources = new Map()));
    const entry: ModuleEntry = { address, steps: freezeSteps(steps), configPath, resources };
    this.modules.set(address, entry);
    return entry;
  }

  /**
   * Identifies a row without parsing its whole address: the module part is looked up by its text (the row's
   * module_address, else the module of the row before, which prior_state lists resource by resource), the resource
   * part by its text in that module; only the instance key is parsed. Undefined when the address does not have that
   * plain shape: the caller then parses it whole, which also reports a malformed address.
   */
  private identify(address: string, moduleAddress: string | undefined): RowIdentity | undefined {
    let entry: ModuleEntry | undefined;
    if (moduleAddress !== undefined) entry = this.moduleEntry(moduleAddress);
    else if (!address.startsWith("module.")) entry = this.moduleEntry("");
    else if (this.lastModule !== undefined && inModule(address, this.lastModule.address)) entry = this.lastModule;
    else {
      let parsed: ResourceAddress;
      try {
        parsed = parseAddress(address);
      } catch {
        return undefined;
      }
      entry = this.moduleEntry(formatModulePath(parsed.module));
    }
    if (entry === undefined || !inModule(address, entry.address)) return undefined;
    this.lastModule = entry;
    const from = entry.address === "" ? 0 : entry.address.length + 1;
    const bracket = address.indexOf("[", from);
    const resPart = bracket < 0 ? (from === 0 ? address : address.slice(from)) : address.slice(from, bracket);
    let template = entry.resources.get(resPart);
    if (template === undefined) {
      // No module (inModule checked) and no key (it ends before '['): the whole parse of a resource part.
      let r: ResourceAddress;
      try {
        r = parseAddress(resPart);
      } catch {
        return undefined;
      }
      template = {
        configAddress: this.intern(entry.configPath === "" ? resPart : `${entry.configPath}.${resPart}`),
        mode: r.mode,
        type: this.intern(r.type),
        name: this.intern(r.name),
        provider: "",
      };
      entry.resources.set(resPart, template);
    }
    let key: InstanceKey | undefined;
    if (bracket >= 0) {
      try {
        key = parseKeySuffix(address, bracket);
      } catch {
        return undefined;
      }
    }
    return { entry, template, key };
  }

  private moduleOf(s: string, path: PathSegment[]): ModuleStep[] {
    try {
      return parseModulePath(s);
    } catch {
      throw this.typeError(path, "a module address");
    }
  }

  /** Parses a row's address whole (and its module_address, which names the module when present). */
  private addressOf(v: Record<string, Json>, path: readonly PathSegment[]): ResourceAddress {
    const parsed = this.parseOrFail(parseAddress, v.address as string, "resource address", [...path, "address"]);
    if (typeof v.module_address === "string") parsed.module = this.parseOrFail(parseModulePath, v.module_address, "module address", [...path, "module_address"]);
    const idx = v.index;
    if (typeof idx === "number" || typeof idx === "string") parsed.key = idx as InstanceKey;
    return parsed;
  }

  /** Parses with `parse`, turning an AddressError into BG1011 at `path`. */
  private parseOrFail<T>(parse: (s: string) => T, text: string, what: string, path: readonly PathSegment[]): T {
    try {
      return parse(text);
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      throw fail("BG1011", `malformed ${what} at character ${e.offset + 1}: ${e.message}`, {
        location: { file: this.file, pointer: toPointer(path) },
        why: "blastgate keys the dependency graph by address; an address it cannot parse cannot be placed in it",
        fix: "regenerate the JSON with `terraform show -json PLANFILE` and do not edit it by hand",
      });
    }
  }

  private readOutput(name: string, v: Json, path: readonly PathSegment[]): void {
    if (!isObj(v) || !Array.isArray(v.actions)) throw this.typeError([...path, "actions"], "an array of action strings");
    const actions = v.actions.filter((a): a is string => typeof a === "string");
    this.outputs.push({ name, actions, kind: kindOf(actions), sensitive: v.after_sensitive === true || v.before_sensitive === true });
  }

  private readDeferred(v: Json, path: readonly PathSegment[]): void {
    if (!isObj(v)) throw this.typeError(path, "an object");
    const rc = isObj(v.resource_change) ? v.resource_change : {};
    const change = isObj(rc.change) ? rc.change : {};
    this.deferred.push({
      address: typeof rc.address === "string" ? rc.address : "",
      reason: typeof v.reason === "string" ? v.reason : "unknown",
      actions: Array.isArray(change.actions) ? change.actions.filter((a): a is string => typeof a === "string") : [],
    });
  }

  private readChecks(v: Json[]): void {
    for (const c of v) {
      if (!isObj(c)) continue;
      const a = isObj(c.address) ? c.address : {};
      this.checks.push({
        address: typeof a.to_display === "string" ? a.to_display : typeof a.name === "string" ? a.name : "",
        kind: typeof a.kind === "string" ? a.kind : "",
        status: typeof c.status === "string" ? c.status : "unknown",
      });
    }
  }

  private readPriorResource(v: Json, path: readonly PathSegment[]): void {
    if (!isObj(v) || typeof v.address !== "string") throw this.typeError(path, "a state resource object with an address");
    const rc = this.priorRow(v.address, 0, v.address.length);
    let cfg: string;
    let type: string | undefined;
    if (rc !== undefined) {
      cfg = rc.configAddress;
      type = rc.type;
    } else {
      const t = this.identify(v.address, undefined)?.template;
      if (t !== undefined) {
        cfg = t.configAddress;
        type = t.type;
      } else {
        try {
          cfg = this.intern(configAddress(parseAddress(v.address)));
        } catch {
          throw this.typeError([...path, "address"], "a resource address");
        }
      }
    }
    let dependsOn = EMPTY_LIST;
    const deps = v.depends_on;
    if (Array.isArray(deps)) {
      // Every instance of a resource usually lists the same dependencies: compare with the last list before interning.
      const last = this.priorDeps.get(cfg);
      if (last !== undefined && sameStrings(deps, last)) dependsOn = last;
      else {
        dependsOn = this.internList(deps.filter((d): d is string => typeof d === "string"));
        this.priorDeps.set(cfg, dependsOn);
      }
    }
    const mode = typeof v.mode === "string" ? (rc !== undefined && v.mode === rc.mode ? rc.mode : this.intern(v.mode)) : "managed";
    this.pushPrior(rc?.address ?? v.address, cfg, mode, typeof v.type === "string" ? (v.type === type ? type : this.intern(v.type)) : "", dependsOn, v.tainted === true, typeof v.deposed_key === "string" ? v.deposed_key : undefined);
  }

  /**
   * The change row a prior_state resource takes its name from: the row of its address (`text` from `start` to `end`),
   * unless that row's module_address named another module than its address (its config address is then not the
   * address's own). The row after the last one found usually is it: compared before the map of every address is
   * looked up (whose lookups miss the processor's cache on large plans); the address is cut out of `text` only for
   * that (V8 gives the string itself back when the cut is the whole of it).
   */
  private priorRow(text: string, start: number, end: number): ResourceChange | undefined {
    let k = this.nextPriorRow;
    let rc = this.changes[k];
    if (rc === undefined || rc.address.length !== end - start || !text.startsWith(rc.address, start)) {
      k = this.seenRows.get(text.slice(start, end)) ?? -1;
      rc = k < 0 ? undefined : this.changes[k];
    }
    if (rc === undefined) return undefined;
    this.nextPriorRow = k + 1;
    return inModule(rc.address, rc.moduleAddress) ? rc : undefined;
  }

  /** A prior_state resource a helper read (takePackedPrior): its strings are already what readPriorResource gives. */
  private addPrior(text: string, start: number, end: number, cfg: string, mode: string, type: string, dependsOn: readonly string[], tainted: boolean, deposedKey: string | undefined): void {
    const rc = this.priorRow(text, start, end);
    if (rc === undefined) this.pushPrior(text.slice(start, end), cfg, mode, type, dependsOn, tainted, deposedKey);
    else this.pushPrior(rc.address, rc.configAddress, mode === rc.mode ? rc.mode : mode, type === rc.type ? rc.type : type, dependsOn, tainted, deposedKey);
  }

  private pushPrior(address: string, cfg: string, mode: string, type: string, dependsOn: readonly string[], tainted: boolean, deposedKey: string | undefined): void {
    const pr: PriorResource = { address, configAddress: cfg, mode, type, dependsOn, tainted };
    if (deposedKey !== undefined) pr.deposedKey = deposedKey;
    (this.prior ??= []).push(Object.freeze(pr));
  }

  finish(source: PlanSource): Plan {
    if (this.formatVersion === undefined) {
      const keys = this.topKeys;
      const marker = PLAN_MARKERS.some((k) => keys.includes(k));
      throw fail("BG1006", marker ? "the plan has no format_version" : "this JSON is not a Terraform plan", {
        location: { file: this.file, pointer: "" },
        why: marker
          ? "every `terraform show -json` plan starts with format_version; without it the format cannot be trusted"
          : `a plan has a format_version and resource_changes or planned_values; this document has ${keys.length ? `only the keys ${keys.slice(0, 8).join(", ")}` : "no keys"}`,
        fix: "save a plan and show it: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`",
      });
    }
    if (!PLAN_MARKERS.some((k) => this.topKeys.includes(k))) {
      const kind = this.topKeys.includes("provider_schemas")
        ? "`terraform providers schema -json` output"
        : this.topKeys.includes("input_type") || this.topKeys.includes("resources")
          ? "another tool's JSON"
          : this.topKeys.every((k) => ["format_version", "terraform_version"].includes(k))
            ? "the state of an empty workspace (`terraform show -json` without a plan file)"
            : "not a plan";
      throw fail("BG1006", `this JSON is not a Terraform plan: it looks like ${kind}`, {
        location: { file: this.file, pointer: "" },
        why: `a plan has resource_changes, planned_values or configuration; this document has only ${this.topKeys.join(", ")}`,
        fix: "save a plan and show it: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`",
      });
    }
    const unknownKeys = this.topKeys.filter((k) => !KNOWN_TOP_KEYS.has(k));
    if (unknownKeys.length > 0) {
      this.notes.push({
        code: "BG1104",
        severity: "note",
        message: `the plan has top-level keys blastgate does not read: ${unknownKeys.slice(0, 10).join(", ")}`,
        location: { file: this.file },
      });
    }
    const configVars = this.configuration?.rootModule.variables ?? {};
    const variables: Variable[] = this.variableNames.map((name) => ({ name, sensitive: configVars[name]?.sensitive === true }));
    let tool: PlanTool = "unknown";
    if (this.sawOpenTofuProvider) tool = "opentofu";
    else if (this.terraformVersion !== undefined) {
      const [maj, min] = this.terraformVersion.split(".").map((x) => parseInt(x, 10));
      const late = maj !== undefined && min !== undefined && (maj > 1 || (maj === 1 && min >= 8));
      tool = late && this.applyable === undefined && this.errored !== undefined ? "opentofu" : "terraform";
    }
    const plan: Plan = {
      source,
      formatVersion: this.formatVersion,
      tool,
      changes: this.changes,
      drift: this.drift,
      outputs: this.outputs,
      deferred: this.deferred,
      checks: this.checks,
      variables,
      relevantAttributes: this.relevant,
      notes: this.notes,
    };
    if (this.terraformVersion !== undefined) plan.terraformVersion = this.terraformVersion;
    if (this.timestamp !== undefined) plan.timestamp = this.timestamp;
    if (this.complete !== undefined) plan.complete = this.complete;
    if (this.applyable !== undefined) plan.applyable = this.applyable;
    if (this.errored !== undefined) plan.errored = this.errored;
    if (this.prior !== undefined) plan.priorState = this.prior;
    if (this.configuration !== undefined) plan.configuration = this.configuration;
    // Rows were frozen as they were read: freezing their arrays here keeps deepFreeze from visiting each row again.
    Object.freeze(this.changes);
    Object.freeze(this.drift);
    Object.freeze(this.relevant);
    if (this.prior !== undefined) Object.freeze(this.prior);
    const frozen = deepFreeze(plan);
    READER_CHANGES.add(frozen.changes);
    if (this.placesAreNodes) ROW_PLACES.set(frozen.changes, this.seenRows);
    return frozen;
  }
}

function deepFreeze<T>(o: T): T {
  const stack: unknown[] = [o];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== "object" || Object.isFrozen(x) || x instanceof SensitiveValues) continue;
    Object.freeze(x);
    for (const v of Object.values(x)) stack.push(v);
  }
  return o;
}

/** Converts a splitter syntax error into a diagnostic naming the file, line and column. */
export function syntaxDiagnostic(e: JsonSyntaxError, file: string): BlastgateError {
  if (e instanceof JsonDepthError) {
    return fail("BG1013", `the plan nests objects and arrays deeper than ${e.levels} levels`, {
      location: { file, line: e.line, column: e.column, pointer: e.pointer || undefined },
      why: `plans Terraform writes nest a few dozen levels; blastgate stops at ${e.levels}${e.levels === MAX_NESTING ? "" : " in the parts it passes over"} so a hostile document cannot exhaust the stack or memory`,
      fix: "regenerate the JSON with `terraform show -json PLANFILE > plan.json`; do not edit it by hand",
    });
  }
  if (e instanceof JsonValueTooLargeError) {
    const mib = (n: number): string => (n / (1024 * 1024)).toFixed(0);
    const what = e.what === "key" ? `an object key${e.pointer ? "" : " at the top level"} in the plan is ${mib(e.bytes)} MiB long` : `one value in the plan is ${mib(e.bytes)} MiB of JSON${e.pointer ? "" : " (the document itself)"}`;
    return fail("BG1014", `${what}, more than blastgate can read as one value (${mib(e.limit)} MiB)`, {
      location: { file, line: e.line, column: e.column, pointer: e.pointer || undefined },
      why: "blastgate reads a plan value by value (each resource change, each state resource), and Node.js cannot hold one value's text over about 512 MiB as a string; such a value is usually a file's content kept in a resource attribute",
      fix: "keep contents that large out of resource attributes (store them in a file or an object store and pass its path or hash), then plan again; the plan cannot be checked as it is",
    });
  }
  return fail("BG1002", `invalid JSON: ${e.message}`, {
    location: { file, line: e.line, column: e.column, pointer: e.pointer || undefined },
    why: "the plan JSON cannot be parsed, so what it would do cannot be known",
    fix: /truncated|ends early|ends inside/.test(e.message)
      ? "the file looks cut short: write it again with `terraform show -json PLANFILE > plan.json` and check the disk did not fill"
      : "regenerate the JSON with `terraform show -json PLANFILE > plan.json`; do not edit it by hand or mix other output into it",
  });
}

/**
 * Reads a plan from a stream of UTF-8 JSON chunks. Pure apart from consuming the iterable: the I/O lives in read.ts.
 * Throws BlastgateError for anything that is not a readable plan.
 */
export async function buildPlan(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, source: Omit<PlanSource, "bytes">, opts: BuildOptions): Promise<Plan> {
  const builder = new PlanBuilder(opts.file);
  let helper = opts.priorHelper;
  let helped = false;
  const splitter = new JsonSplitter({
    decide: (path, at) => {
      if (helper !== undefined && path.length === 1 && path[0] === "prior_state") {
        // A second prior_state key would follow the helper's: what order the reader keeps is its own to say.
        if (helped) throw new Error("prior_state appears twice");
        if (helper.offset() === at) {
          helped = true;
          return "skip";
        }
        helper.stop();
        helper = undefined;
      }
      return decide(path);
    },
    // The helper has checked the section's bytes by then, usually: they are passed over unread.
    skipTo: (path, at) => (helped && path.length === 1 && helper?.offset() === at ? helper.end() : undefined),
    prune,
    onKey: (p, k) => builder.onKey(p, k),
    onValue: (p, v) => builder.onValue(p, v),
    onClose: (p) => builder.onClose(p),
  }, opts.maxValueBytes !== undefined ? { maxValueBytes: opts.maxValueBytes } : {});
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      splitter.push(chunk);
    }
    splitter.end();
    if (helped) builder.takePackedPrior(await helper!.result());
    return builder.finish({ ...source, bytes });
  } catch (e) {
    if (helped) throw new ReadAgainAlone(e instanceof Error ? e.message : String(e));
    if (e instanceof JsonSyntaxError) {
      if (bytes === 0 || /empty/.test(e.message)) {
        throw fail("BG1001", "the plan file is empty", {
          location: { file: opts.file },
          why: "an empty file holds no plan: often `terraform show -json` failed and its error went to the terminal instead",
          fix: "run `terraform show -json PLANFILE > plan.json` again and check it printed no error",
        });
      }
      throw syntaxDiagnostic(e, opts.file);
    }
    throw e;
  } finally {
    if (!helped) helper?.stop();
  }
}

/**
 * prior_state resources as a helper thread sends them (packPrior): the addresses as one string, every other string
 * and list once. A structured clone of the resource objects themselves cost the main thread 0.6 s at 580k resources
 * and left it a second copy of every address, config address and type (28 MiB at 120k).
 */
export interface PackedPrior {
  /** The addresses, one after another. */
  addresses: string;
  /** Where each resource's address ends in `addresses`. */
  ends: Int32Array<ArrayBuffer>;
  /** Per resource, PACKED_FIELDS numbers: config address, mode and type (places in `strings`), dependsOn (in `lists`), tainted (1 or 0). */
  fields: Int32Array<ArrayBuffer>;
  strings: string[];
  lists: (readonly string[])[];
  /** [resource, deposed key], in resource order. */
  deposed: [number, string][];
}

const PACKED_FIELDS = 5;

/** The resources readPriorSection read, packed for the main thread (its takePackedPrior gives them back). */
export function packPrior(prior: readonly PriorResource[]): PackedPrior {
  const stringAt = new Map<string, number>();
  const strings: string[] = [];
  const listAt = new Map<readonly string[], number>();
  const lists: (readonly string[])[] = [];
  const place = (x: string): number => {
    let at = stringAt.get(x);
    if (at === undefined) stringAt.set(x, (at = strings.push(x) - 1));
    return at;
  };
  const ends = new Int32Array(prior.length);
  const fields = new Int32Array(prior.length * PACKED_FIELDS);
  const deposed: [number, string][] = [];
  let end = 0;
  for (let i = 0; i < prior.length; i++) {
    const p = prior[i]!;
    ends[i] = end += p.address.length;
    const f = i * PACKED_FIELDS;
    fields[f] = place(p.configAddress);
    fields[f + 1] = place(p.mode);
    fields[f + 2] = place(p.type);
    // The builder interns lists, so one list object stands for every resource that repeats it.
    let at = listAt.get(p.dependsOn);
    if (at === undefined) listAt.set(p.dependsOn, (at = lists.push(p.dependsOn) - 1));
    fields[f + 3] = at;
    fields[f + 4] = p.tainted ? 1 : 0;
    if (p.deposedKey !== undefined) deposed.push([i, p.deposedKey]);
  }
  return { addresses: prior.map((p) => p.address).join(""), ends, fields, strings, lists, deposed };
}

/**
 * Reads the prior_state value at the start of `chunks` (the bytes from its first one on) and returns its resources, as
 * buildPlan would read them; what follows the value is not read. For the helper thread (src/plan/prior-worker.ts).
 */
export async function readPriorSection(chunks: AsyncIterable<Buffer>, file: string): Promise<{ prior: PriorResource[] | undefined; length: number }> {
  const builder = new PlanBuilder(file);
  const prefix = Buffer.from('{"prior_state":');
  /** Where the value ends, counted from its first byte (-1 until it has). */
  let length = -1;
  // Thrown once the value ends: what follows (another prior_state key, say) is the main reader's alone to read.
  const ended = new Error("the prior_state value ended");
  const splitter = new JsonSplitter({
    decide: (path) => (path.length > 0 && path[0] !== "prior_state" ? "skip" : decide(path)),
    prune,
    onValue: (p, v) => {
      builder.onValue(p, v);
      if (p.length === 1) {
        length = 0;
        throw ended;
      }
    },
    onClose: (p, end) => {
      builder.onClose(p);
      if (p.length === 1) {
        length = end - prefix.length;
        throw ended;
      }
    },
  });
  splitter.push(prefix);
  for await (const chunk of chunks) {
    try {
      splitter.push(chunk);
    } catch (e) {
      if (e !== ended) throw e;
    }
    if (length >= 0) return { prior: builder.prior, length };
  }
  throw new Error("the prior_state value does not end");
}
