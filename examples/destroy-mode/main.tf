# A small preview environment that is torn down with `terraform plan -destroy`.

terraform {
  required_version = ">= 1.7.0"
}

variable "name" {
  type    = string
  default = "preview-1234"
}

resource "terraform_data" "network" {
  input = "${var.name}-net"
}

resource "terraform_data" "database" {
  input            = "${var.name}-db"
  triggers_replace = terraform_data.network.id
}

resource "terraform_data" "app" {
  count            = 2
  input            = "${var.name}-app-${count.index}"
  triggers_replace = [terraform_data.network.id, terraform_data.database.id]
}

resource "terraform_data" "dns_record" {
  input            = "${var.name}.preview.example.com"
  triggers_replace = terraform_data.app[*].id
}

output "url" {
  value = "https://${terraform_data.dns_record.output}"
}
