variable "seed" {
  type = string
}

resource "terraform_data" "l1" {
  input = "l1-${var.seed}"
}

module "l2" {
  source = "../level2"
  seed   = terraform_data.l1.output
}

output "l1_id" {
  value = terraform_data.l1.id
}

output "deep_id" {
  value = module.l2.deep_id
}

output "deep_output" {
  value = module.l2.deep_output
}
