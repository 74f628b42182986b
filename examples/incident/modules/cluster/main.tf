variable "name" { type = string }
variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "node_pools" {
  type = map(object({ size = number, machine = string }))
}

resource "terraform_data" "cluster_security_group" {
  input            = { name = "${var.name}-eks-control-plane" }
  triggers_replace = var.vpc_id
}

resource "terraform_data" "cluster" {
  input = {
    name           = "${var.name}-eks"
    version        = "1.30"
    security_group = terraform_data.cluster_security_group.id
  }
  triggers_replace = [var.vpc_id, var.subnet_ids]
}

resource "terraform_data" "node_pool" {
  for_each = var.node_pools

  input            = { name = each.key, size = each.value.size, machine = each.value.machine }
  triggers_replace = terraform_data.cluster.id
}

resource "terraform_data" "ingress_controller" {
  input            = { chart = "ingress-nginx", version = "4.11.2" }
  triggers_replace = [terraform_data.cluster.id, terraform_data.node_pool["system"].id]
}

output "cluster_id" {
  value = terraform_data.cluster.id
}

output "ingress_id" {
  value = terraform_data.ingress_controller.id
}
