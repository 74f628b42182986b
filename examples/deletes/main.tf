# Planned config. Compared to before/main.tf, every change below produces one
# kind of delete (or forget / move) in the plan.

terraform {
  required_version = ">= 1.7.0"
}

# count 3 -> 1: [1] and [2] are deleted (delete_because_count_index).
resource "terraform_data" "counted" {
  count = 1
  input = "counted-${count.index}"
}

# key "b" and "c" removed (delete_because_each_key).
resource "terraform_data" "keyed" {
  for_each = toset(["a"])
  input    = "keyed-${each.key}"
}

# resource "terraform_data" "gone" was removed (delete_because_no_resource_config).

# module for_each shrinks: module.site["west"] goes (delete_because_no_module).
module "site" {
  source   = "./modules/site"
  for_each = toset(["east"])
  name     = each.key
}

# count -> for_each: switch[0], switch[1] deleted (delete_because_wrong_repetition),
# switch["x"], switch["y"] created.
resource "terraform_data" "switch" {
  for_each = toset(["x", "y"])
  input    = "switch-${each.key}"
}

# Forget instead of destroy: action ["forget"].
removed {
  from = terraform_data.kept
  lifecycle {
    destroy = false
  }
}

# Forget a whole module.
removed {
  from = module.legacy
  lifecycle {
    destroy = false
  }
}

# Rename: no-op with previous_address.
moved {
  from = terraform_data.old_name
  to   = terraform_data.new_name
}

resource "terraform_data" "new_name" {
  input = "renamed"
}

# Move to an address that has no resource block (delete_because_no_move_target).
moved {
  from = terraform_data.orphan_move
  to   = terraform_data.nowhere
}

# Was `input = terraform_data.gone.id`; now independent (update in place).
resource "terraform_data" "uses_gone" {
  input = "no longer uses gone"
}

# Reads every keyed instance: updated when keys disappear.
resource "terraform_data" "keyed_consumer" {
  input = [for k, v in terraform_data.keyed : v.id]
}
