# A create_before_destroy replacement whose provisioner failed: the new object is
# tainted and the old one is left deposed. The plan then shows the same address
# twice (the tainted replace and the deposed object's delete); `client` depends on
# `server` and has two instances.

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

variable "fail" {
  type    = bool
  default = false
}

resource "terraform_data" "base" {
  input = "base"
}

resource "terraform_data" "server" {
  input            = "server"
  triggers_replace = var.revision
  depends_on       = [terraform_data.base]

  lifecycle {
    create_before_destroy = true
  }

  provisioner "local-exec" {
    command = var.fail ? "false" : "true"
  }
}

resource "terraform_data" "client" {
  count = 2
  input = terraform_data.server.id
}
