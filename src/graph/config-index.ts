// The configuration as a tree of modules with their resources, joined with what the sources add (locals,
// lifecycle, dynamic blocks). Pure: built from the Plan's slimmed configuration and optional TfSources.

import type { ConfigModule, ConfigResource, Configuration, ModuleCall, ProviderConfig } from "../plan/configuration.js";
import type { RefSubject } from "./refs.js";
import type { EdgeVia, ModuleSources, SourceResource, TfSources } from "./types.js";

/** One reference out of a resource block, parsed once, with the reason its edges will carry. */
export interface Hop {
  s: RefSubject;
  via: EdgeVia;
  /** Read from sources: a name that is no resource here is a template or iterator variable, not an error. */
  lenient: boolean;
}

export interface ModNode {
  /** `module.a.module.b`, empty at the root. */
  path: string;
  names: readonly string[];
  parent?: ModNode;
  /** The call in the parent that creates this module. */
  call?: ModuleCall;
  callName?: string;
  config: ConfigModule;
  children: Map<string, ModNode>;
  resources: Map<string, ResNode>;
  src?: ModuleSources;
  /** Parsed once, on first use (resolve.ts): the call's inputs by variable, its expansion, the outputs. */
  inputs?: Map<string, readonly RefSubject[]>;
  expansion?: readonly { s: RefSubject; kind: "count" | "for_each" | "depends_on"; via: EdgeVia }[];
  outputRefs?: Map<string, readonly RefSubject[]>;
}

export interface ResNode {
  /** Config address (`module.a.aws_x.y`). */
  address: string;
  /** Module-relative address. */
  rel: string;
  mod: ModNode;
  mode: "managed" | "data" | "ephemeral";
  cfg: ConfigResource;
  src?: SourceResource;
  /** Parsed once, on first use (resolve.ts). */
  hops?: readonly Hop[];
}

export interface ConfigIndex {
  root: ModNode;
  modules: Map<string, ModNode>;
  resources: Map<string, ResNode>;
  providers: Readonly<Record<string, ProviderConfig>>;
}

export function joinPath(parent: string, name: string): string {
  return parent ? `${parent}.module.${name}` : `module.${name}`;
}

export function resourceAddress(modPath: string, rel: string): string {
  return modPath ? `${modPath}.${rel}` : rel;
}

export function indexConfiguration(config: Configuration | undefined, sources?: TfSources): ConfigIndex {
  const modules = new Map<string, ModNode>();
  const resources = new Map<string, ResNode>();
  const empty: ConfigModule = { resources: [], moduleCalls: {}, outputs: {}, variables: {} };
  const add = (cfg: ConfigModule, path: string, names: string[], parent?: ModNode, call?: ModuleCall, callName?: string): ModNode => {
    const mod: ModNode = { path, names, config: cfg, children: new Map(), resources: new Map() };
    if (parent) mod.parent = parent;
    if (call) mod.call = call;
    if (callName !== undefined) mod.callName = callName;
    const src = sources?.modules.get(path);
    if (src) mod.src = src;
    modules.set(path, mod);
    for (const r of cfg.resources) {
      const address = resourceAddress(path, r.address);
      const node: ResNode = { address, rel: r.address, mod, mode: r.mode, cfg: r };
      const s = src?.resources.get(r.address);
      if (s) node.src = s;
      mod.resources.set(r.address, node);
      resources.set(address, node);
    }
    for (const [name, c] of Object.entries(cfg.moduleCalls)) {
      mod.children.set(name, add(c.module, joinPath(path, name), [...names, name], mod, c, name));
    }
    return mod;
  };
  const root = add(config?.rootModule ?? empty, "", []);
  return { root, modules, resources, providers: config?.providerConfig ?? {} };
}

/** Every resource in a module and the modules below it. */
export function* subtreeResources(mod: ModNode): Generator<ResNode> {
  yield* mod.resources.values();
  for (const c of mod.children.values()) yield* subtreeResources(c);
}

/**
 * The provider configuration a resource uses. `provider_config_key` is opaque (`aws`, `aws.east`, `module.c:aws`)
 * and a module that inherits its parent's provider has a key with no entry, so walk up the module path.
 */
export function providerFor(index: ConfigIndex, key: string | undefined): { key: string; config: ProviderConfig } | undefined {
  if (key === undefined) return undefined;
  let k = key;
  for (;;) {
    const p = index.providers[k];
    if (p && p.refs.length > 0) return { key: k, config: p };
    const colon = k.lastIndexOf(":");
    if (colon < 0) return p ? { key: k, config: p } : undefined;
    const mod = k.slice(0, colon);
    const name = k.slice(colon + 1);
    const up = mod.lastIndexOf(".module.");
    k = up < 0 ? name : `${mod.slice(0, up)}:${name}`;
  }
}
