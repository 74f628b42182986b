# Prior state: apply with revision r1. Plan: revision r2. Helpers: see
# scripts/regen-examples.sh.
apply_prior -var=revision=r1
plan -var=revision=r2
