variable "name" { type = string }
variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "db_sg_id" { type = string }
variable "db_password" {
  type      = string
  sensitive = true
}

resource "terraform_data" "db_subnet_group" {
  input            = { name = "${var.name}-db" }
  triggers_replace = var.subnet_ids
}

resource "terraform_data" "database" {
  input = {
    identifier = "${var.name}-postgres"
    engine     = "postgres"
    version    = "16.4"
    username   = "app"
    password   = var.db_password
  }
  triggers_replace = [terraform_data.db_subnet_group.id, var.db_sg_id]
}

resource "terraform_data" "database_replica" {
  input            = { identifier = "${var.name}-postgres-replica" }
  triggers_replace = terraform_data.database.id
}

resource "terraform_data" "cache_subnet_group" {
  input            = { name = "${var.name}-cache" }
  triggers_replace = var.subnet_ids
}

resource "terraform_data" "cache" {
  input            = { engine = "redis", nodes = 2 }
  triggers_replace = [terraform_data.cache_subnet_group.id, var.db_sg_id]
}

output "database_id" {
  value = terraform_data.database.id
}

output "endpoint" {
  value = "${terraform_data.database.id}.${var.vpc_id}.internal:5432"
}

output "cache_endpoint" {
  value = "${terraform_data.cache.id}.internal:6379"
}

output "connection" {
  value     = "postgres://app:${var.db_password}@${terraform_data.database.id}:5432/app"
  sensitive = true
}
