# Graph shapes with count and for_each instances. Only `var.revision` changes
# between the prior apply and the plan; what matters here is config + graph.dot.

terraform {
  required_version = ">= 1.7.0"
}

variable "revision" {
  type = string
}

# count = 3
resource "terraform_data" "a" {
  count = 3
  input = "a-${count.index}-${var.revision}"
}

# for_each keys with characters that need HCL quoting in instance addresses:
# a dot, a double quote, brackets, a template opener ("$${" is a literal "${")
# and a backslash.
resource "terraform_data" "b" {
  for_each = toset([
    "plain",
    "with.dot",
    "with\"quote",
    "[x]",
    "tmpl$${x}",
    "back\\slash",
  ])
  input = each.key
}

# Index-specific reference: depends on the config node terraform_data.a.
resource "terraform_data" "c" {
  input = terraform_data.a[1].id
}

# Splat reference (to `output`, so the update of `a` updates `d` too).
resource "terraform_data" "d" {
  input = terraform_data.a[*].output
}

# Key-specific reference into the odd-keyed for_each.
resource "terraform_data" "e" {
  input = [terraform_data.b["with.dot"].id, terraform_data.b["with\"quote"].id]
}

# count.index-indexed reference (the reference is cut at the index expression).
resource "terraform_data" "f" {
  count = 3
  input = terraform_data.a[count.index].id
}

# for_each over another resource's instances (refs in for_each_expression).
resource "terraform_data" "g" {
  for_each = terraform_data.b
  input    = each.value.id
}

# for expression over a resource.
resource "terraform_data" "h" {
  input = { for k, v in terraform_data.g : k => v.id }
}

# depends_on on a resource with no value reference.
resource "terraform_data" "i" {
  input      = "ordering only"
  depends_on = [terraform_data.c, terraform_data.f]
}

# replace_triggered_by on one instance attribute (a[0] is updated by the change).
resource "terraform_data" "j" {
  input = "replaced when a[0] changes"
  lifecycle {
    replace_triggered_by = [terraform_data.a[0]]
  }
}

# Not connected to anything.
resource "terraform_data" "lonely" {
  input = "no edges"
}

output "first_a" {
  value = terraform_data.a[0].id
}
