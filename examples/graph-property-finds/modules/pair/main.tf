variable "seed" {
  type = string
}

resource "terraform_data" "first" {
  input = var.seed
}

resource "terraform_data" "second" {
  count = 2
  input = [terraform_data.first.id, terraform_data.first.id]
  lifecycle {
    replace_triggered_by = [terraform_data.first]
  }
}

# A constant output: referencing it depends on nothing inside.
output "o0" {
  value = "c1"
}

output "o1" {
  value      = [terraform_data.first.id]
  depends_on = [terraform_data.first]
}
