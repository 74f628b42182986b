variable "name" { type = string }
variable "cidr" { type = string }

resource "terraform_data" "vpc" {
  input            = { name = var.name }
  triggers_replace = var.cidr
}

resource "terraform_data" "subnet" {
  count = 2

  input            = { name = "${var.name}-${count.index}" }
  triggers_replace = [terraform_data.vpc.id, cidrsubnet(var.cidr, 8, count.index)]
}

output "vpc_id" {
  value = terraform_data.vpc.id
}

output "subnet_ids" {
  value = terraform_data.subnet[*].id
}
