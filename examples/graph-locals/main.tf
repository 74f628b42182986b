# Graph shapes that `configuration` in plan JSON does not show directly:
# locals chains, replace_triggered_by, provisioners, module outputs via locals.
# Only `var.revision` changes between the prior apply and the plan.

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

resource "terraform_data" "source" {
  input = "source-${var.revision}"
}

resource "terraform_data" "other" {
  input = "other"
}

resource "terraform_data" "pool" {
  for_each = toset(["x", "y"])
  input    = each.key
}

module "svc" {
  source = "./modules/svc"
  name   = local.c
}

# local.a -> local.b -> local.c -> resources and module input
locals {
  a = terraform_data.source.id
  b = "${local.a}-b"
  c = upper(local.b)

  # local built from a for expression over a resource
  pool_ids = [for k, p in terraform_data.pool : p.id]

  # local referencing a module output, then another local
  svc_endpoint = module.svc.endpoint
  svc_url      = "https://${local.svc_endpoint}"

  # local that references no resource at all
  constant = "just-a-string"
}

resource "terraform_data" "from_chain" {
  input = local.c
}

resource "terraform_data" "from_pool" {
  input = local.pool_ids
}

resource "terraform_data" "from_module_local" {
  input = [local.svc_url, local.constant]
}

# replace_triggered_by on a resource attribute: an edge exists only through lifecycle.
resource "terraform_data" "triggered" {
  input = "replaced when source.output changes"
  lifecycle {
    replace_triggered_by = [terraform_data.source.output]
  }
}

# The only reference is inside a provisioner (builtin local-exec).
resource "terraform_data" "provisioned" {
  input = "provisioned"
  provisioner "local-exec" {
    command = "true"
    environment = {
      OTHER = terraform_data.other.id
    }
  }
}

output "url" {
  value = local.svc_url
}
