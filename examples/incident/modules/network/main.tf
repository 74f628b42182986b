variable "name" { type = string }
variable "cidr" { type = string }
variable "subnet_count" { type = number }

resource "terraform_data" "vpc" {
  input            = { name = var.name }
  triggers_replace = var.cidr
}

resource "terraform_data" "internet_gateway" {
  input            = { name = "${var.name}-igw" }
  triggers_replace = terraform_data.vpc.id

  # A gateway is swapped before the old one is torn down.
  lifecycle {
    create_before_destroy = true
  }
}

resource "terraform_data" "public_subnet" {
  input            = { name = "${var.name}-public" }
  triggers_replace = [terraform_data.vpc.id, cidrsubnet(var.cidr, 8, 0)]
}

resource "terraform_data" "private_subnet" {
  count = var.subnet_count

  input            = { name = "${var.name}-private-${count.index}" }
  triggers_replace = [terraform_data.vpc.id, cidrsubnet(var.cidr, 8, count.index + 10)]
}

resource "terraform_data" "nat_gateway" {
  input            = { name = "${var.name}-nat" }
  triggers_replace = [terraform_data.public_subnet.id, terraform_data.internet_gateway.id]
}

resource "terraform_data" "route_table" {
  input            = { default_route = "nat" }
  triggers_replace = [terraform_data.vpc.id, terraform_data.nat_gateway.id]
}

resource "terraform_data" "edge_security_group" {
  input            = { ingress = [80, 443] }
  triggers_replace = terraform_data.vpc.id
}

resource "terraform_data" "data_security_group" {
  input            = { ingress = [5432, 6379], from = var.cidr }
  triggers_replace = terraform_data.vpc.id
}

output "vpc_id" {
  value = terraform_data.vpc.id
}

output "public_subnet_id" {
  value = terraform_data.public_subnet.id
}

output "private_subnet_ids" {
  value = terraform_data.private_subnet[*].id
}

output "route_table_id" {
  value = terraform_data.route_table.id
}

output "edge_security_group_id" {
  value = terraform_data.edge_security_group.id
}

output "data_security_group_id" {
  value = terraform_data.data_security_group.id
}
