# Prior state: apply with before.tfvars. Plan: the same config with after.tfvars
# (only network_cidr differs). Helpers: see scripts/regen-examples.sh.
apply_prior -var-file=before.tfvars
plan -var-file=after.tfvars
