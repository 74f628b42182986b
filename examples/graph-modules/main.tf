# Graph shapes across modules: 3-level nesting, module count/for_each,
# depends_on on modules, references through module variables and outputs,
# an output that uses only part of a module, a whole-module reference.
# Only `var.revision` changes between the prior apply and the plan.

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

resource "terraform_data" "root_base" {
  input = "base-${var.revision}"
}

# root -> module.chain -> module.chain.module.l2 -> module.chain.module.l2.module.l3
module "chain" {
  source = "./modules/level1"
  seed   = terraform_data.root_base.output
}

# Reference to an output that is itself an output of a nested module.
resource "terraform_data" "uses_deep" {
  input = module.chain.deep_output
}

# Module with count; depends_on on a module call (applies to every resource inside).
module "counted" {
  source = "./modules/pair"
  count  = 2

  name       = "counted-${count.index}"
  depends_on = [terraform_data.root_base]
}

# Module with for_each, fed from one instance of the counted module.
module "each" {
  source   = "./modules/pair"
  for_each = toset(["east", "west"])

  name     = each.key
  upstream = module.counted[0].first_id
}

# Output using only `first` of the module: no edge to `second` or `hidden`.
resource "terraform_data" "partial" {
  input = module.each["east"].first_id
}

# depends_on = [module.x] on a resource: every resource in module.each.
resource "terraform_data" "after_each" {
  input      = "after every module.each resource"
  depends_on = [module.each]
}

# depends_on = [module.x] on a module call (module.chain has nested modules).
module "late" {
  source = "./modules/pair"

  name       = "late"
  depends_on = [module.chain]
}

# Whole-module reference (the object of all module.counted outputs).
resource "terraform_data" "whole" {
  input = length(module.counted)
}

output "deep" {
  value = module.chain.deep_id
}
