variable "name" {
  type = string
}

resource "terraform_data" "z" {
  input            = var.name
  triggers_replace = var.name
}

# Not behind the output.
resource "terraform_data" "other" {
  input = "other"
}

output "id" {
  value = terraform_data.z.id
}
