// The plan's `configuration` section, slimmed to what the dependency graph needs: references, never values.

/** One attribute's references: `attribute` is a path inside the block (`tags`, `ebs_block_device[0].size`). */
export interface AttributeRefs {
  attribute: string;
  references: readonly string[];
}

export interface ConfigResource {
  /** Module-relative address (`aws_x.y`, `data.aws_z.w`). */
  address: string;
  mode: "managed" | "data" | "ephemeral";
  type: string;
  name: string;
  providerConfigKey?: string;
  /** References of every attribute and nested block, plus provisioners' (attribute `provisioner.<type>.<attr>`). */
  refs: readonly AttributeRefs[];
  countRefs?: readonly string[];
  forEachRefs?: readonly string[];
  dependsOn: readonly string[];
}

export interface ConfigOutput {
  references: readonly string[];
  sensitive: boolean;
  dependsOn: readonly string[];
}

export interface ConfigVariable {
  sensitive: boolean;
}

export interface ModuleCall {
  source: string;
  /** Input variable name -> references of the expression passed. */
  inputs: readonly AttributeRefs[];
  countRefs?: readonly string[];
  forEachRefs?: readonly string[];
  dependsOn: readonly string[];
  module: ConfigModule;
}

export interface ConfigModule {
  resources: readonly ConfigResource[];
  moduleCalls: Readonly<Record<string, ModuleCall>>;
  outputs: Readonly<Record<string, ConfigOutput>>;
  variables: Readonly<Record<string, ConfigVariable>>;
}

export interface ProviderConfig {
  name: string;
  fullName?: string;
  alias?: string;
  moduleAddress?: string;
  refs: readonly AttributeRefs[];
}

export interface Configuration {
  providerConfig: Readonly<Record<string, ProviderConfig>>;
  rootModule: ConfigModule;
}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function stringArray(v: Json): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** An expression is an object whose keys are only `references` (a string array) and/or `constant_value`. */
function isExpression(v: Json): v is { references?: string[]; constant_value?: unknown } {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  if (keys.length === 0) return true; // `{}`: an expression built only from functions and literals
  if (!keys.every((k) => k === "references" || k === "constant_value")) return false;
  return !("references" in v) || (Array.isArray(v.references) && v.references.every((r) => typeof r === "string"));
}

function exprRefs(v: Json): string[] | undefined {
  if (!isExpression(v)) return undefined;
  return stringArray((v as { references?: unknown }).references);
}

/** Flattens an `expressions` tree (attributes, nested blocks, block lists, map blocks) into attribute references. */
export function flattenExpressions(tree: Json, prefix = "", out: AttributeRefs[] = []): AttributeRefs[] {
  if (Array.isArray(tree)) {
    tree.forEach((item, i) => flattenExpressions(item, `${prefix}[${i}]`, out));
    return out;
  }
  if (!isObj(tree)) return out;
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const refs = exprRefs(v);
    if (refs !== undefined) {
      if (refs.length > 0) out.push({ attribute: path, references: refs });
    } else flattenExpressions(v, path, out);
  }
  return out;
}

function slimModule(m: Json): ConfigModule {
  const mod = isObj(m) ? m : {};
  const resources: ConfigResource[] = [];
  for (const r of Array.isArray(mod.resources) ? mod.resources : []) {
    if (!isObj(r) || typeof r.address !== "string") continue;
    const refs = flattenExpressions(r.expressions);
    if (Array.isArray(r.provisioners)) {
      r.provisioners.forEach((p, i) => {
        if (isObj(p)) flattenExpressions(p.expressions, `provisioner[${i}]`, refs);
      });
    }
    const res: ConfigResource = {
      address: r.address,
      mode: r.mode === "data" ? "data" : r.mode === "ephemeral" ? "ephemeral" : "managed",
      type: typeof r.type === "string" ? r.type : "",
      name: typeof r.name === "string" ? r.name : "",
      refs,
      dependsOn: stringArray(r.depends_on),
    };
    if (typeof r.provider_config_key === "string") res.providerConfigKey = r.provider_config_key;
    const c = exprRefs(r.count_expression);
    if (c) res.countRefs = c;
    const f = exprRefs(r.for_each_expression);
    if (f) res.forEachRefs = f;
    resources.push(res);
  }
  const moduleCalls: Record<string, ModuleCall> = Object.create(null);
  if (isObj(mod.module_calls)) {
    for (const [name, call] of Object.entries(mod.module_calls)) {
      if (!isObj(call)) continue;
      const mc: ModuleCall = {
        source: typeof call.source === "string" ? call.source : "",
        inputs: flattenExpressions(call.expressions),
        dependsOn: stringArray(call.depends_on),
        module: slimModule(call.module),
      };
      const c = exprRefs(call.count_expression);
      if (c) mc.countRefs = c;
      const f = exprRefs(call.for_each_expression);
      if (f) mc.forEachRefs = f;
      moduleCalls[name] = mc;
    }
  }
  const outputs: Record<string, ConfigOutput> = Object.create(null);
  if (isObj(mod.outputs)) {
    for (const [name, o] of Object.entries(mod.outputs)) {
      if (!isObj(o)) continue;
      outputs[name] = { references: exprRefs(o.expression) ?? [], sensitive: o.sensitive === true, dependsOn: stringArray(o.depends_on) };
    }
  }
  const variables: Record<string, ConfigVariable> = Object.create(null);
  if (isObj(mod.variables)) {
    for (const [name, v] of Object.entries(mod.variables)) variables[name] = { sensitive: isObj(v) && v.sensitive === true };
  }
  return { resources, moduleCalls, outputs, variables };
}

/** Slims a raw `configuration` object: keeps references, drops constant values and variable defaults. */
export function slimConfiguration(raw: Json): Configuration {
  const c = isObj(raw) ? raw : {};
  const providerConfig: Record<string, ProviderConfig> = Object.create(null);
  if (isObj(c.provider_config)) {
    for (const [key, p] of Object.entries(c.provider_config)) {
      if (!isObj(p)) continue;
      const pc: ProviderConfig = { name: typeof p.name === "string" ? p.name : key, refs: flattenExpressions(p.expressions) };
      if (typeof p.full_name === "string") pc.fullName = p.full_name;
      if (typeof p.alias === "string") pc.alias = p.alias;
      if (typeof p.module_address === "string") pc.moduleAddress = p.module_address;
      providerConfig[key] = pc;
    }
  }
  return { providerConfig, rootModule: slimModule(c.root_module) };
}
