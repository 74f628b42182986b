#!/usr/bin/env bash
# Regenerate the committed plan fixtures of examples/<name>/ with the real
# `terraform` binary:
#
#   scripts/regen-examples.sh            # every example
#   scripts/regen-examples.sh incident   # only the named ones
#
# For each example the directory is copied to a fresh temp dir (no state ever
# lands in examples/), `terraform init` runs there, then the example's
# scenario.sh is executed in that working copy. The scenario reaches the prior
# state (usually an apply with before.tfvars or with the before/ config) and
# must leave a binary plan named `tfplan`. The script then restores the planned
# ("after") config and writes back into examples/<name>/:
#
#   plan.json  terraform show -json tfplan
#   plan.txt   terraform show -no-color tfplan
#   graph.dot  terraform graph   (planned config + prior state)
#
# Helpers available to scenario.sh (exported functions, cwd = working copy):
#   tf ARGS...                 terraform ARGS (output to the log, fails loudly)
#   apply_prior ARGS...        terraform apply -auto-approve ARGS
#   use_before                 swap in the before/ config (its root *.tf, and its modules/
#                              if it has one, else the example's modules/ stay) and re-init
#   use_after                  swap the planned config back in and re-init
#   plan ARGS...               terraform plan -out=tfplan ARGS (must succeed)
#   plan_expect_error ARGS...  terraform plan -out=tfplan ARGS that MUST fail
#                              and must still write tfplan (errored plans)
#
# Needs only bash, tar, sed and terraform (>= 1.7; fixtures made with 1.11.4).
# Works offline: the examples use only terraform_data and local modules.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EXAMPLES="$ROOT/examples"

export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
# Anything that would change what terraform does behind our back.
unset TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_show \
  TF_CLI_ARGS_graph TF_DATA_DIR TF_WORKSPACE TF_LOG TF_LOG_PATH TF_PLUGIN_CACHE_DIR || true
for v in $(compgen -e | grep '^TF_VAR_' || true); do unset "$v"; done

command -v terraform >/dev/null || { echo "regen-examples: terraform not found on PATH" >&2; exit 1; }

# ---- helpers for scenario.sh -------------------------------------------------
# REGEN_LOG, REGEN_SRC (pristine copy of the example) and REGEN_NAME are set per example.
tf() {
  echo "+ terraform $*" >>"$REGEN_LOG"
  if ! terraform "$@" >>"$REGEN_LOG" 2>&1; then
    echo "regen-examples: [$REGEN_NAME] 'terraform $*' failed; log:" >&2
    tail -n 60 "$REGEN_LOG" >&2
    return 1
  fi
}
apply_prior() { tf apply -input=false -auto-approve -no-color "$@"; }
_swap_config() { # $1 = directory holding the config to put in place
  # Root *.tf files are always replaced; modules/ only when $1 has its own
  # (so before/ may reuse the example's modules/).
  rm -f ./*.tf ./*.tf.json
  if [ -d "$1/modules" ]; then rm -rf ./modules; fi
  cp -R "$1"/. .
  rm -rf ./before ./plan.json ./plan.txt ./graph.dot
  tf init -input=false -no-color
}
use_before() {
  [ -d "$REGEN_SRC/before" ] || { echo "regen-examples: [$REGEN_NAME] no before/ directory" >&2; return 1; }
  _swap_config "$REGEN_SRC/before"
}
use_after() {
  local stage
  stage=$(mktemp -d "${REGEN_TMP}/after.XXXXXX")
  cp -R "$REGEN_SRC"/. "$stage"/
  rm -rf ./modules
  _swap_config "$stage"
  rm -rf "$stage"
}
plan() { tf plan -input=false -no-color -out=tfplan "$@"; }
plan_expect_error() {
  echo "+ terraform plan -out=tfplan $* (expected to fail)" >>"$REGEN_LOG"
  if terraform plan -input=false -no-color -out=tfplan "$@" >>"$REGEN_LOG" 2>&1; then
    echo "regen-examples: [$REGEN_NAME] plan was expected to fail but succeeded" >&2
    return 1
  fi
  [ -s tfplan ] || { echo "regen-examples: [$REGEN_NAME] errored plan did not write tfplan" >&2; tail -n 40 "$REGEN_LOG" >&2; return 1; }
}
export -f tf apply_prior _swap_config use_before use_after plan plan_expect_error

# ---- main ----------------------------------------------------------------------
if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=()
  for d in "$EXAMPLES"/*/; do
    [ -f "$d/scenario.sh" ] && names+=("$(basename "$d")")
  done
fi
[ "${#names[@]}" -gt 0 ] || { echo "regen-examples: no examples found in $EXAMPLES" >&2; exit 1; }

TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/blastgate-regen.XXXXXX")
trap 'rm -rf "$TMP_ROOT"' EXIT

# Replace the temp working-dir path if terraform ever prints it.
scrub() { sed -e "s#${REGEN_WORK}#.#g" -e "s#${TMP_ROOT}#<tmp>#g"; }

regen_one() {
  local name=$1 dir="$EXAMPLES/$1"
  [ -f "$dir/scenario.sh" ] || { echo "regen-examples: [$name] $dir/scenario.sh missing" >&2; return 1; }
  export REGEN_NAME=$name
  export REGEN_TMP="$TMP_ROOT/$name"
  export REGEN_SRC="$REGEN_TMP/src"
  export REGEN_WORK="$REGEN_TMP/work"
  export REGEN_LOG="$REGEN_TMP/terraform.log"
  mkdir -p "$REGEN_SRC" "$REGEN_WORK"
  : >"$REGEN_LOG"
  # Pristine copy without generated files or local terraform leftovers.
  (cd "$dir" && tar --exclude=.terraform --exclude='.terraform.lock.hcl' --exclude='terraform.tfstate*' \
    --exclude=tfplan --exclude=plan.json --exclude=plan.txt --exclude=graph.dot -cf - .) | (cd "$REGEN_SRC" && tar -xf -)
  cp -R "$REGEN_SRC"/. "$REGEN_WORK"/
  rm -rf "$REGEN_WORK/before"

  local start=$SECONDS rc
  # Not `( ... ) || rc=$?`: that would switch off `set -e` inside the subshell.
  set +e
  (
    set -e
    cd "$REGEN_WORK"
    tf init -input=false -no-color
    bash -euo pipefail "$REGEN_SRC/scenario.sh"
  )
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "regen-examples: [$name] scenario failed (exit $rc); log kept at $REGEN_LOG" >&2
    trap - EXIT
    return 1
  fi
  [ -s "$REGEN_WORK/tfplan" ] || { echo "regen-examples: [$name] scenario did not write tfplan" >&2; return 1; }

  set +e
  (
    set -e
    cd "$REGEN_WORK"
    use_after
    terraform show -json tfplan | scrub >"$REGEN_TMP/plan.json"
    terraform show -no-color tfplan | scrub >"$REGEN_TMP/plan.txt"
    terraform graph | scrub >"$REGEN_TMP/graph.dot"
  )
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "regen-examples: [$name] show/graph failed (exit $rc); log kept at $REGEN_LOG" >&2
    trap - EXIT
    return 1
  fi
  # terraform show -json prints one line without a trailing newline.
  [ -n "$(tail -c1 "$REGEN_TMP/plan.json")" ] && echo >>"$REGEN_TMP/plan.json"
  for f in plan.json plan.txt graph.dot; do
    [ -s "$REGEN_TMP/$f" ] || { echo "regen-examples: [$name] empty $f" >&2; return 1; }
    mv "$REGEN_TMP/$f" "$dir/$f"
  done
  rm -rf "$REGEN_TMP"
  echo "regen-examples: [$name] ok ($((SECONDS - start))s)"
}

for name in "${names[@]}"; do
  name=${name%/}
  name=${name#examples/}
  regen_one "$name" # a failure exits (set -e); not `|| exit`, which would disable set -e inside
done
