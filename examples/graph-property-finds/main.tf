# Shapes the random-configuration property test (test/graph/property.test.ts)
# found where an earlier blastgate disagreed with `terraform graph`; each is
# kept here with terraform's own answer (graph.dot).

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

module "pair" {
  source = "./modules/pair"
  count  = 1
  seed   = var.revision
}

# One instance's output, then the whole module (`length(module.pair)`): the
# plan lists `module.pair[0].o0`, `module.pair[0]` (an extra), ...,
# `module.pair`, and the last one is a real whole-module reference.
resource "terraform_data" "one_then_whole" {
  input = [module.pair[0].o0, module.pair[0].o0, length(module.pair)]
}

# A reference only in a postcondition: not in the plan JSON at all.
resource "terraform_data" "checked" {
  input = "checked"
  lifecycle {
    postcondition {
      condition     = module.pair[0].o1 != "never"
      error_message = "post"
    }
  }
}
