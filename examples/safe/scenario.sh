# Prior state: apply with before.tfvars. Plan: after.tfvars (app_version bump,
# one more DNS name). Helpers: see scripts/regen-examples.sh.
apply_prior -var-file=before.tfvars
plan -var-file=after.tfvars
