# Prior state: apply with before.tfvars. Plan: after.tfvars (var.revision r1 ->
# r2). Helpers: see scripts/regen-examples.sh.
apply_prior -var-file=before.tfvars
plan -var-file=after.tfvars
