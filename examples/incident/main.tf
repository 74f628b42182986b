# "prod" environment. Every resource is a terraform_data stand-in named after
# the real infrastructure it models. triggers_replace carries the values that
# would force a real replacement (a VPC's CIDR, the VPC a subnet lives in...),
# so one changed input cascades exactly like it does with real providers.

terraform {
  required_version = ">= 1.7.0"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "network_cidr" {
  type        = string
  description = "Address space of the environment's VPC."
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "services" {
  type = map(object({ port = number, replicas = number }))
  default = {
    api    = { port = 8080, replicas = 3 }
    web    = { port = 3000, replicas = 2 }
    worker = { port = 9000, replicas = 2 }
  }
}

# locals chain: network -> naming -> cluster endpoint -> service wiring
locals {
  name_prefix      = "${var.environment}-${var.region}"
  network_identity = "${local.name_prefix}/${module.network.vpc_id}"
  cluster_endpoint = "https://${module.cluster.cluster_id}.${local.network_identity}"
  service_defaults = {
    cluster  = local.cluster_endpoint
    database = module.database.endpoint
    cache    = module.database.cache_endpoint
  }
}

module "network" {
  source = "./modules/network"

  name         = local.name_prefix
  cidr         = var.network_cidr
  subnet_count = 3
}

module "database" {
  source = "./modules/database"

  name        = local.name_prefix
  vpc_id      = module.network.vpc_id
  subnet_ids  = module.network.private_subnet_ids
  db_sg_id    = module.network.data_security_group_id
  db_password = var.db_password
}

module "cluster" {
  source = "./modules/cluster"

  name       = local.name_prefix
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  node_pools = {
    system  = { size = 3, machine = "m6i.large" }
    general = { size = 6, machine = "m6i.2xlarge" }
  }
}

resource "terraform_data" "service" {
  for_each = var.services

  input = {
    name     = each.key
    port     = each.value.port
    replicas = each.value.replicas
  }
  triggers_replace = [local.service_defaults, module.cluster.ingress_id]
}

resource "terraform_data" "load_balancer" {
  input = {
    name    = "${local.name_prefix}-public"
    targets = [for s in terraform_data.service : s.id]
  }
  triggers_replace = [module.network.public_subnet_id, module.network.edge_security_group_id]
}

resource "terraform_data" "dns_record" {
  for_each = toset(["api", "www", "status"])

  input            = { name = "${each.key}.example.com", type = "CNAME" }
  triggers_replace = terraform_data.load_balancer.id
}

resource "terraform_data" "tls_certificate" {
  input            = { domains = ["api.example.com", "www.example.com", "status.example.com"] }
  triggers_replace = terraform_data.load_balancer.id
}

resource "terraform_data" "monitoring_dashboard" {
  input = { title = "${local.name_prefix} overview" }
  triggers_replace = [
    terraform_data.load_balancer.id,
    module.database.database_id,
    module.cluster.cluster_id,
  ]
}

resource "terraform_data" "alert_policy" {
  input            = { notify = "oncall@example.com" }
  triggers_replace = terraform_data.monitoring_dashboard.id
}

output "load_balancer_id" {
  value = terraform_data.load_balancer.id
}

output "database_endpoint" {
  value = module.database.endpoint
}

output "database_connection" {
  value     = module.database.connection
  sensitive = true
}
