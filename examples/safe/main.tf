# A small "staging" environment. The planned change is routine: a new app
# version (update in place) and one more DNS record (create).

terraform {
  required_version = ">= 1.7.0"
}

variable "environment" {
  type    = string
  default = "staging"
}

variable "app_version" {
  type = string
}

variable "dns_names" {
  type = set(string)
}

locals {
  name_prefix = "${var.environment}-app"
}

module "network" {
  source = "./modules/network"

  name = local.name_prefix
  cidr = "10.20.0.0/16"
}

resource "terraform_data" "database" {
  input            = { identifier = "${local.name_prefix}-db", engine = "postgres" }
  triggers_replace = module.network.subnet_ids
}

resource "terraform_data" "app" {
  # Changing input updates in place: id stays, only `output` becomes unknown.
  input = {
    image    = "registry.example.com/app:${var.app_version}"
    replicas = 2
  }
  # Dependents reference `.id`, which an in-place update keeps.
  triggers_replace = [module.network.vpc_id, terraform_data.database.id]
}

resource "terraform_data" "load_balancer" {
  input            = { name = "${local.name_prefix}-lb" }
  triggers_replace = [terraform_data.app.id, module.network.subnet_ids]
}

resource "terraform_data" "dns_record" {
  for_each = var.dns_names

  input            = { name = "${each.key}.staging.example.com", type = "CNAME" }
  triggers_replace = terraform_data.load_balancer.id
}

output "app_image" {
  value = terraform_data.app.output.image
}
