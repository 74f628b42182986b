# Prior state: apply the before/ config. Plan: this directory's main.tf.
# Helpers: see scripts/regen-examples.sh.
use_before
apply_prior
use_after
plan
