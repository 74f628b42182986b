# The config the prior state was applied with (see ../main.tf for the planned one).

terraform {
  required_version = ">= 1.7.0"
}

resource "terraform_data" "counted" {
  count = 3
  input = "counted-${count.index}"
}

resource "terraform_data" "keyed" {
  for_each = toset(["a", "b", "c"])
  input    = "keyed-${each.key}"
}

resource "terraform_data" "gone" {
  input = "this block is deleted from the config"
}

module "site" {
  source   = "./modules/site"
  for_each = toset(["east", "west"])
  name     = each.key
}

resource "terraform_data" "switch" {
  count = 2
  input = "switch-${count.index}"
}

resource "terraform_data" "kept" {
  input = "left running, dropped from state"
}

module "legacy" {
  source = "./modules/site"
  name   = "legacy"
}

resource "terraform_data" "old_name" {
  input = "renamed"
}

resource "terraform_data" "orphan_move" {
  input = "moved to an address with no config"
}

# Depends on a resource that is deleted: its blast radius is itself only.
resource "terraform_data" "uses_gone" {
  input = terraform_data.gone.id
}

# Reads every keyed instance: updated when keys disappear.
resource "terraform_data" "keyed_consumer" {
  input = [for k, v in terraform_data.keyed : v.id]
}
