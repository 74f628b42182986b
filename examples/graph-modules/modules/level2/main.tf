variable "seed" {
  type = string
}

resource "terraform_data" "l2" {
  input = "l2-${var.seed}"
}

module "l3" {
  source = "../level3"
  seed   = terraform_data.l2.output
}

output "deep_id" {
  value = module.l3.leaf_id
}

output "deep_output" {
  value = module.l3.leaf_output
}
