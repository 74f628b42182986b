# Prior state: apply revision r1, then apply revision r2 with a failing
# provisioner (expected to fail), leaving a tainted new object and a deposed old
# one. Plan: revision r2 without the failure. Helpers: see scripts/regen-examples.sh.
apply_prior -var=revision=r1
echo "+ terraform apply -var=revision=r2 -var=fail=true (expected to fail)" >>"$REGEN_LOG"
if terraform apply -input=false -auto-approve -no-color -var=revision=r2 -var=fail=true >>"$REGEN_LOG" 2>&1; then
  echo "regen-examples: [$REGEN_NAME] the failing apply succeeded" >&2
  exit 1
fi
plan -var=revision=r2
