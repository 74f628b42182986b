# Prior state: apply with before.tfvars. Plan: after.tfvars, which would replace
# the prevent_destroy database, so terraform plan fails; the plan file is
# still written (errored plan). Helpers: see scripts/regen-examples.sh.
apply_prior -var-file=before.tfvars
plan_expect_error -var-file=after.tfvars
