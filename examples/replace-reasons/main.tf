# One resource per replace reason. They are independent of each other except
# for the replace_triggered_by pair.

terraform {
  required_version = ">= 1.7.0"
}

variable "trigger_input" {
  type = string
}

variable "schema_version" {
  type = string
}

variable "cert_serial" {
  type = string
}

# Replaced with `terraform plan -replace=terraform_data.requested` (replace_by_request).
resource "terraform_data" "requested" {
  input = "replace me on request"
}

# Tainted with `terraform taint` before the plan (replace_because_tainted).
resource "terraform_data" "tainted" {
  input = "tainted after apply"
}

# input changes: updated in place...
resource "terraform_data" "trigger_source" {
  input = var.trigger_input
}

# ...which replaces this one (replace_by_triggers).
resource "terraform_data" "triggered" {
  input = "replaced when trigger_source changes"
  lifecycle {
    replace_triggered_by = [terraform_data.trigger_source]
  }
}

# triggers_replace changes: the provider forces a replacement
# (replace_because_cannot_update, replace_paths [["triggers_replace"]]).
resource "terraform_data" "forced" {
  input            = "schema"
  triggers_replace = var.schema_version
}

# Same, with create_before_destroy: actions ["create","delete"].
resource "terraform_data" "cbd" {
  input            = "certificate"
  triggers_replace = var.cert_serial
  lifecycle {
    create_before_destroy = true
  }
}

# Reads the forced resource's id: replaced too, because the new id is unknown.
resource "terraform_data" "cascade" {
  input            = "follows forced"
  triggers_replace = terraform_data.forced.id
}

# Untouched.
resource "terraform_data" "bystander" {
  input = "unchanged"
}
