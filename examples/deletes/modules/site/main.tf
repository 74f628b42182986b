variable "name" {
  type = string
}

resource "terraform_data" "server" {
  input = "${var.name}-server"
}

resource "terraform_data" "volume" {
  input = "${var.name}-volume"
}
