variable "name" { type = string }
variable "queue_id" { type = string }
variable "secret_id" { type = string }
variable "subnet_ids" { type = list(string) }

resource "terraform_data" "service" {
  input = {
    name    = var.name
    queue   = var.queue_id
    secret  = var.secret_id
    subnets = var.subnet_ids
  }
}

resource "terraform_data" "autoscaling" {
  input            = { min = 1, max = 5 }
  triggers_replace = terraform_data.service.id
}

output "service_id" {
  value = terraform_data.service.id
}
