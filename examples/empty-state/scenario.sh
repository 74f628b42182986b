# No prior apply: plan against an empty state. Helpers: see scripts/regen-examples.sh.
plan
