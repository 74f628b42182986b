variable "seed" {
  type = string
}

resource "terraform_data" "leaf" {
  input = "leaf-${var.seed}"
}

output "leaf_id" {
  value = terraform_data.leaf.id
}

output "leaf_output" {
  value = terraform_data.leaf.output
}
