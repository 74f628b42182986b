# Prior state: apply the config as is. Plan: `terraform plan -destroy`.
# Helpers: see scripts/regen-examples.sh.
apply_prior
plan -destroy
