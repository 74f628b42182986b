# Prior state: apply with before.tfvars, then taint one resource.
# Plan: after.tfvars plus -replace for one resource.
# Helpers: see scripts/regen-examples.sh.
apply_prior -var-file=before.tfvars
tf taint -no-color terraform_data.tainted
plan -var-file=after.tfvars -replace=terraform_data.requested
