// Real plans made by terraform from generated configurations: an "estate" of N app module instances (each a tree of
// modules three deep holding dependency chains of terraform_data) and a 5,000-resource plan with one 1,000-long chain.
// Only terraform_data and local modules, so it works offline. Everything lands in bench/data/ and is reused.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const TF_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  TF_CLI_CONFIG_FILE: "/dev/null",
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
};
for (const k of Object.keys(TF_ENV)) if (k.startsWith("TF_VAR_") || k.startsWith("TF_CLI_ARGS") || k === "TF_LOG" || k === "TF_DATA_DIR") delete TF_ENV[k];

/** The apps of a seed estate: 3 in 20 sit on the network whose CIDR changes (replaced with all they hold), 4 in 20 get a new version (updates). */
export const NETWORKS = ["n0", "n1", "n2", "n3"];
export const CHANGED_NETWORK = "n1";
export const TIERS = ["web", "api", "worker"];
/** The dependency chain inside each tier module, in order. */
export const TIER_CHAIN = ["subnet", "route_table", "nat_gateway", "launch_template", "instance_group", "backend_service", "load_balancer", "dns_record"];
/** Resources per app instance: security_group, service_account, and per tier the chain plus dashboard and alert[0..1]. */
export const RESOURCES_PER_APP = 2 + TIERS.length * (TIER_CHAIN.length + 3);

export function appKey(i: number): string {
  return `a-${String(i).padStart(4, "0")}`;
}

export interface AppVars {
  network: string;
  app_version: string;
  team: string;
}

/** The app variable of the estate, before and after the change. */
export function estateVars(apps: number): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const netBefore: Record<string, { cidr: string }> = {};
  const netAfter: Record<string, { cidr: string }> = {};
  NETWORKS.forEach((n, i) => {
    netBefore[n] = { cidr: `10.${i}.0.0/16` };
    netAfter[n] = { cidr: n === CHANGED_NETWORK ? `10.${i + 100}.0.0/16` : `10.${i}.0.0/16` };
  });
  const before: Record<string, AppVars> = {};
  const after: Record<string, AppVars> = {};
  for (let i = 0; i < apps; i++) {
    const network = i % 7 === 3 ? CHANGED_NETWORK : NETWORKS.filter((n) => n !== CHANGED_NETWORK)[i % 3]!;
    const team = `team-${String(i % 9).padStart(2, "0")}`;
    before[appKey(i)] = { network, app_version: "1.4.2", team };
    after[appKey(i)] = { network, app_version: i % 5 === 1 ? "1.5.0" : "1.4.2", team };
  }
  return { before: { networks: netBefore, apps: before }, after: { networks: netAfter, apps: after } };
}

const ROOT_TF = `terraform {
  required_version = ">= 1.7.0"
}

variable "networks" {
  type = map(object({ cidr = string }))
}

variable "apps" {
  type = map(object({ network = string, app_version = string, team = string }))
}

locals {
  common_tags = {
    env = "prod"
  }
}

resource "terraform_data" "network" {
  for_each = var.networks

  input = {
    name = "vpc-\${each.key}"
    cidr = each.value.cidr
    tags = local.common_tags
  }
  triggers_replace = each.value.cidr
}

module "app" {
  for_each = var.apps
  source   = "./modules/app"

  name        = each.key
  network_id  = terraform_data.network[each.value.network].id
  app_version = each.value.app_version
  tags        = merge(local.common_tags, { team = each.value.team })
}

output "app_endpoints" {
  value = { for k, m in module.app : k => m.endpoint }
}
`;

const APP_TF = `variable "name" { type = string }
variable "network_id" { type = string }
variable "app_version" { type = string }
variable "tags" { type = map(string) }

resource "terraform_data" "security_group" {
  input = {
    name = "\${var.name}-sg"
  }
  triggers_replace = var.network_id
}

resource "terraform_data" "service_account" {
  input = {
    name = "\${var.name}-runtime"
  }
}

module "tier" {
  for_each = toset(${JSON.stringify(TIERS)})
  source   = "./tier"

  name            = "\${var.name}-\${each.key}"
  security_group  = terraform_data.security_group.id
  service_account = terraform_data.service_account.id
  app_version     = var.app_version
  tags            = var.tags
}

output "endpoint" {
  value = module.tier["web"].endpoint
}
`;

function tierTf(): string {
  const blocks = TIER_CHAIN.map((r, i) => {
    const prev = i === 0 ? "var.security_group" : `terraform_data.${TIER_CHAIN[i - 1]}.id`;
    const extra =
      r === "launch_template"
        ? `\n    image           = "app:\${var.app_version}"\n    service_account = var.service_account\n    tags            = var.tags`
        : r === "instance_group"
          ? `\n    template = terraform_data.launch_template.output.image`
          : "";
    return `resource "terraform_data" "${r}" {
  input = {
    name = "\${var.name}-${r.replace(/_/g, "-")}"${extra}
  }
  triggers_replace = ${prev}
}
`;
  });
  return `variable "name" { type = string }
variable "security_group" { type = string }
variable "service_account" { type = string }
variable "app_version" { type = string }
variable "tags" { type = map(string) }

${blocks.join("\n")}
module "monitoring" {
  source = "./monitoring"

  name   = var.name
  target = terraform_data.${TIER_CHAIN[TIER_CHAIN.length - 2]}.id
  tags   = var.tags
}

output "endpoint" {
  value = terraform_data.${TIER_CHAIN[TIER_CHAIN.length - 1]}.id
}
`;
}

const MONITORING_TF = `variable "name" { type = string }
variable "target" { type = string }
variable "tags" { type = map(string) }

resource "terraform_data" "dashboard" {
  input = {
    title = "\${var.name} overview"
  }
  triggers_replace = var.target
}

resource "terraform_data" "alert" {
  count = 2

  input = {
    name      = "\${var.name}-alert-\${count.index}"
    threshold = count.index == 0 ? "p99 > 800ms" : "5xx > 1%"
  }
  triggers_replace = terraform_data.dashboard.id
}
`;

/** 5,000 resources: a chain of 1,000 blocks from a changed seed (all replaced) plus 4,000 independent ones. */
function chainTf(chain: number, others: number): string {
  const out = [
    `terraform {\n  required_version = ">= 1.7.0"\n}\n\nvariable "seed" { type = string }\n`,
    `resource "terraform_data" "other" {\n  count = ${others}\n\n  input = { name = "other-\${count.index}", tier = "batch" }\n}\n`,
  ];
  for (let i = 0; i < chain; i++) {
    const prev = i === 0 ? "var.seed" : `terraform_data.c${String(i - 1).padStart(4, "0")}.id`;
    out.push(`resource "terraform_data" "c${String(i).padStart(4, "0")}" {\n  input            = { step = ${i} }\n  triggers_replace = ${prev}\n}\n`);
  }
  return out.join("\n");
}

function tf(dir: string, args: string[], stdoutFile?: string): { ms: number } {
  const t0 = performance.now();
  const r = spawnSync("terraform", args, { cwd: dir, env: TF_ENV, encoding: "buffer", maxBuffer: 4 * 1024 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`terraform ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr.toString("utf8").slice(-4000)}`);
  if (stdoutFile) writeFileSync(stdoutFile, r.stdout);
  return { ms };
}

export interface RealPlan {
  name: string;
  /** The plan JSON (`terraform show -json`). */
  json: string;
  /** The binary plan, kept for the `terraform show -json` speed measurement. */
  binary: string;
  /** Working directory (initialised), where the binary plan can be shown. */
  dir: string;
}

function log(msg: string): void {
  process.stderr.write(`generate: ${msg}\n`);
}

/** Makes (or reuses) a real plan: writes the config, applies `before`, plans `after`, shows it as JSON. */
function makeReal(dataDir: string, name: string, files: Record<string, string>, before: unknown, after: unknown, parallelism: number): RealPlan {
  const dir = path.join(dataDir, "tf", name);
  const json = path.join(dataDir, `${name}.json`);
  const binary = path.join(dir, "tfplan");
  const stamp = path.join(dir, ".complete");
  const fingerprint = JSON.stringify({ files, before, after });
  if (existsSync(stamp) && existsSync(json) && existsSync(binary) && readFileSync(stamp, "utf8") === fingerprint) return { name, json, binary, dir };
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  writeFileSync(path.join(dir, "before.tfvars.json"), JSON.stringify(before, null, 2));
  writeFileSync(path.join(dir, "after.tfvars.json"), JSON.stringify(after, null, 2));
  log(`${name}: terraform init`);
  tf(dir, ["init", "-input=false", "-no-color"]);
  log(`${name}: terraform apply (prior state)`);
  const a = tf(dir, ["apply", "-input=false", "-auto-approve", "-no-color", `-parallelism=${parallelism}`, "-var-file=before.tfvars.json"]);
  log(`${name}: applied in ${(a.ms / 1000).toFixed(1)} s; terraform plan`);
  const p = tf(dir, ["plan", "-input=false", "-no-color", `-parallelism=${parallelism}`, "-var-file=after.tfvars.json", "-out=tfplan"]);
  log(`${name}: planned in ${(p.ms / 1000).toFixed(1)} s; terraform show -json`);
  const tmp = json + ".tmp";
  tf(dir, ["show", "-json", "tfplan"], tmp);
  renameSync(tmp, json);
  writeFileSync(stamp, fingerprint);
  log(`${name}: ${json} (${(statSync(json).size / 1048576).toFixed(1)} MiB)`);
  return { name, json, binary, dir };
}

/** A real estate plan with `apps` app instances (RESOURCES_PER_APP each, plus the networks). */
export function realEstate(dataDir: string, apps: number): RealPlan {
  const { before, after } = estateVars(apps);
  const files = { "main.tf": ROOT_TF, "modules/app/main.tf": APP_TF, "modules/app/tier/main.tf": tierTf(), "modules/app/tier/monitoring/main.tf": MONITORING_TF };
  const total = apps * RESOURCES_PER_APP + NETWORKS.length;
  return makeReal(dataDir, `real-${total}`, files, before, after, 50);
}

/**
 * A chain plan: `chain` resources replaced in one chain plus `others` untouched ones. Terraform walks a chain one link
 * at a time (a 1,000-link apply ran for over 10 minutes here), so the real plan is made with 100 + 400 and scale.ts
 * extends it to the 5,000-resource case.
 */
export function realChain(dataDir: string, chain = 100, others = 400): RealPlan {
  return makeReal(dataDir, `chain-${chain + others}`, { "main.tf": chainTf(chain, others) }, { seed: "v1" }, { seed: "v2" }, 50);
}
