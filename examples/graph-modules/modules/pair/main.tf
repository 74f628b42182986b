variable "name" {
  type = string
}

variable "upstream" {
  type    = string
  default = "none"
}

resource "terraform_data" "first" {
  input = "${var.name}-first-${var.upstream}"
}

resource "terraform_data" "second" {
  input = "${var.name}-second"
}

# Not used by any output.
resource "terraform_data" "hidden" {
  input = "${var.name}-hidden"
}

output "first_id" {
  value = terraform_data.first.id
}

output "second_id" {
  value = terraform_data.second.id
}
