# Module for_each keys that need HCL quoting in addresses: a dot, a quote, a
# template opener ("$${" is a literal "${") and brackets. References to one
# module instance's output reach only that instance's resources.

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

module "m" {
  source   = "./modules/item"
  for_each = toset(["a.b\"c$${x}]", "[k]", "plain"])

  name     = "${each.key}-${var.revision}"
}

# One instance's output, the key with a dot, a quote, a template opener and a bracket.
resource "terraform_data" "one" {
  input = module.m["a.b\"c$${x}]"].id
}

# One instance's output, the key in brackets.
resource "terraform_data" "bracket" {
  input = module.m["[k]"].id
}

# Every instance (a for expression over the whole module).
resource "terraform_data" "all" {
  input = [for k, m in module.m : m.id]
}
