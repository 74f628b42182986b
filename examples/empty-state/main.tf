# A brand-new environment planned against an empty state: everything is created.

terraform {
  required_version = ">= 1.7.0"
}

variable "name" {
  type    = string
  default = "billing"
}

variable "api_token" {
  type      = string
  sensitive = true
  default   = "tok-empty-state-not-a-secret"
}

locals {
  prefix = "${var.name}-dev"
}

resource "terraform_data" "vpc" {
  input = "${local.prefix}-vpc"
}

resource "terraform_data" "subnet" {
  count            = 3
  input            = "${local.prefix}-subnet-${count.index}"
  triggers_replace = terraform_data.vpc.id
}

resource "terraform_data" "security_group" {
  input            = "${local.prefix}-sg"
  triggers_replace = terraform_data.vpc.id
}

resource "terraform_data" "database" {
  input            = { name = "${local.prefix}-db", engine = "mysql" }
  triggers_replace = [terraform_data.subnet[*].id, terraform_data.security_group.id]
}

resource "terraform_data" "queue" {
  input = "${local.prefix}-events"
}

resource "terraform_data" "secret" {
  input = { name = "${local.prefix}-api-token", value = var.api_token }
}

module "worker" {
  source   = "./modules/worker"
  for_each = toset(["invoices", "payments"])

  name       = "${local.prefix}-${each.key}"
  queue_id   = terraform_data.queue.id
  secret_id  = terraform_data.secret.id
  subnet_ids = terraform_data.subnet[*].id
}

resource "terraform_data" "api" {
  input = {
    name     = "${local.prefix}-api"
    database = terraform_data.database.id
  }
}

resource "terraform_data" "load_balancer" {
  input            = "${local.prefix}-lb"
  triggers_replace = [terraform_data.api.id, terraform_data.security_group.id]
}

resource "terraform_data" "dns_record" {
  input            = "billing.dev.example.com"
  triggers_replace = terraform_data.load_balancer.id
}

output "api_id" {
  value = terraform_data.api.id
}

output "workers" {
  value = { for k, w in module.worker : k => w.service_id }
}
