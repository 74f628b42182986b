variable "name" {
  type = string
}

locals {
  # module-internal locals chain
  full_name = "svc-${var.name}"
  labels    = { name = local.full_name }
}

resource "terraform_data" "service" {
  input = local.labels
}

resource "terraform_data" "unrelated" {
  input = "not behind any output"
}

output "endpoint" {
  value = "${terraform_data.service.id}.svc.local"
}
