# A protected database whose replacement is blocked by prevent_destroy.
# Terraform refuses the plan (error), but `plan -out` still writes it with
# errored = true.

terraform {
  required_version = ">= 1.7.0"
}

variable "engine_version" {
  type = string
}

variable "app_version" {
  type = string
}

resource "terraform_data" "db_subnet_group" {
  input = "prod-db-subnets"
}

resource "terraform_data" "database" {
  input = { identifier = "prod-orders", engine = "postgres" }
  # A major engine upgrade forces replacement.
  triggers_replace = [var.engine_version, terraform_data.db_subnet_group.id]

  lifecycle {
    prevent_destroy = true
  }
}

resource "terraform_data" "app" {
  input            = "registry.example.com/orders:${var.app_version}"
  triggers_replace = terraform_data.database.id
}

resource "terraform_data" "dashboard" {
  input = "orders dashboard"
}
