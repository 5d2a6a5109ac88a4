#!/usr/bin/env bash
# `make policy-test`: the Rego policies in policies/ and the `terraform test` files of
# examples/compliance, without an account.
#   1. OPA (scripts/ensure-opa.sh: on PATH, else built into bin/): `opa fmt`, `opa check
#      --strict` and `opa test` of policies/rediscloud (the unit tests, *_test.rego);
#   2. for Terraform, and for OpenTofu when one is at hand (PATH or bin/; never built here):
#      a. examples/compliance against the mock API's demo dataset (official shape):
#         plan -out, show -json, opa eval; the findings must be exactly those listed in
#         policies/testdata/demo-findings.txt; `opa exec` must agree, and conftest
#         when one is on PATH;
#      b. policies/testdata/quiet (data sources in a child module, filters that leave out
#         the planted events): no finding;
#      c. `test` in examples/compliance: tests/summaries.tftest.hcl (mocked provider,
#         summaries overridden), and tests/entries.tftest.hcl where the CLI can override
#         `entries` (OpenTofu; Terraform only shows whether hashicorp/terraform#38369 is
#         still there). A CLI older than mocking (Terraform 1.7, OpenTofu 1.8) is skipped.
# Prints SKIPPED with the reason for every leg it cannot run; exits non-zero on any failure.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
cd -- "${repo_root}"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"

step() { printf '==> %s\n' "$*"; }
fail() {
  printf 'POLICY TEST FAILED: %s\n' "$*" >&2
  exit 1
}
started=${SECONDS}

opa="$("${script_dir}/ensure-opa.sh")"
step "opa: ${opa} ($("${opa}" version | sed -n 1p))"
step "opa fmt, opa check --strict, opa test policies/rediscloud"
if ! "${opa}" fmt --list --fail policies/rediscloud >/dev/null; then
  "${opa}" fmt --diff policies/rediscloud
  fail "policies/rediscloud needs formatting: opa fmt -w policies/rediscloud"
fi
"${opa}" check --strict policies/rediscloud policies/data.json
"${opa}" test policies/rediscloud

go build -o bin/terraform-provider-rediscloud .
go build -o bin/mockapi ./cmd/mockapi

work="$(mktemp -d "${TMPDIR:-/tmp}/policy-test.XXXXXX")"
mockapi_pid=""
trap '[[ -z "${mockapi_pid}" ]] || kill "${mockapi_pid}" 2>/dev/null || true; rm -rf -- "${work}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
write_dev_overrides "${work}/terraformrc" "${repo_root}/bin"
export TF_CLI_CONFIG_FILE="${work}/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# Nothing of the caller's environment may change the plans or the tests.
unset TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_test TF_DATA_DIR TF_WORKSPACE REDIS_API_KEY REDIS_API_SECRET "${!TF_VAR_@}"
export REDISCLOUD_ACCESS_KEY=policy-test-key REDISCLOUD_SECRET_KEY=policy-test-secret
start_mockapi "${work}" official -api-key "${REDISCLOUD_ACCESS_KEY}" -secret-key "${REDISCLOUD_SECRET_KEY}"
export REDISCLOUD_URL="${mockapi_url}"

# findings PLAN_JSON DATA_JSON: every policy's messages, one a line.
findings() {
  "${opa}" eval --format raw -i "$1" -d policies/rediscloud -d "$2" 'concat("\n", sort(data.rediscloud.deny))'
}

# plan_json CLI DIR [plan args...]: plan DIR with CLI and leave DIR/plan.json.
plan_json() {
  local cli="$1" dir="$2"
  shift 2
  if ! (cd -- "${dir}" && "${cli}" plan -input=false -no-color -out=plan.out "$@" >plan.log 2>&1 &&
    "${cli}" show -json plan.out >plan.json); then
    cat -- "${dir}/plan.log" >&2
    fail "$(basename -- "${cli}") plan of ${dir} failed"
  fi
}

# cli_supports CLI TERRAFORM_MINOR TOFU_MINOR: the 1.x CLI is at least that minor release.
cli_supports() {
  local first minor
  first="$("$1" version | sed -n 1p)"
  minor="$(sed -n 's/^[A-Za-z]* v1\.\([0-9]*\)\..*/\1/p' <<<"${first}")"
  [[ "${first}" == OpenTofu* ]] && ((minor >= $3)) && return 0
  [[ "${first}" == Terraform* ]] && ((minor >= $2))
}

# leg NAME CLI: the end-to-end runs and the test files with one CLI.
leg() {
  local name="$1" cli="$2" dir="${work}/$1" got expected n
  step "${name}: ${cli} ($("${cli}" version | sed -n 1p))"
  mkdir -p -- "${dir}"
  cp -R examples/compliance "${dir}/compliance"
  printf '%s\n' 'terraform_api_key_name = "terraform-automation"' 'max_inactive_days      = 14' \
    'account_users          = ["alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com"]' \
    >"${dir}/compliance/demo.auto.tfvars"
  if ! cli_supports "${cli}" 8 7; then
    rm -f -- "${dir}/compliance/functions.tf"
    step "${name}: no provider functions before Terraform 1.8 / OpenTofu 1.7: functions.tf left out of the copy"
  fi

  step "${name}: examples/compliance against the demo dataset → plan -out → show -json → opa eval"
  plan_json "${cli}" "${dir}/compliance" -var enforce_session_ranges=false
  got="$(findings "${dir}/compliance/plan.json" policies/data.json)"
  printf '%s\n' "${got}" | sed 's/^/    /'
  expected="$(grep -v '^#' policies/testdata/demo-findings.txt)"
  while IFS= read -r pattern; do
    n="$(grep -cE -- "${pattern}" <<<"${got}" || true)"
    ((n == 1)) || fail "${name}: ${n} findings match ${pattern} (expected exactly 1)"
  done <<<"${expected}"
  (($(grep -c . <<<"${got}") == $(grep -c . <<<"${expected}"))) ||
    fail "${name}: $(grep -c . <<<"${got}") findings, expected the $(grep -c . <<<"${expected}") of policies/testdata/demo-findings.txt"
  n="$("${opa}" exec --decision rediscloud/deny --bundle policies "${dir}/compliance/plan.json" |
    "${opa}" eval --stdin-input --format raw 'count(input.result[0].result)')" || fail "${name}: opa exec failed"
  ((n == $(grep -c . <<<"${expected}"))) || fail "${name}: opa exec found ${n} findings, opa eval $(grep -c . <<<"${expected}")"
  step "${name}: exactly the $(grep -c . <<<"${expected}") planted findings (opa eval and opa exec)"
  if command -v conftest >/dev/null; then
    got="$(conftest test --no-color --policy policies/rediscloud --data policies/data.json --namespace rediscloud \
      "${dir}/compliance/plan.json" || true)"
    grep -qF "$(grep -c . <<<"${expected}") failures" <<<"${got}" || fail "${name}: conftest disagrees with opa: ${got}"
    step "${name}: conftest agrees ($(conftest --version | paste -sd ' '))"
  else
    step "${name}: conftest: SKIPPED: no conftest on PATH (it reads the same policies)"
  fi
  # What a policy engine sees of checks on reads that never reach the plan (ephemeral).
  got="$("${opa}" eval --format raw -i "${dir}/compliance/plan.json" -d policies/rediscloud -d policies/data.json \
    'concat("\n", data.rediscloud.required_checks.deny) with data.rediscloud_params.required_checks as ["check.no_inactive_users"]')"
  [[ "${got}" == "required_checks: check.no_inactive_users: fail; Users of the account inactive"*"erin@example.com: last seen"* ]] ||
    fail "${name}: required_checks did not report the failed check.no_inactive_users with its message: ${got}"
  step "${name}: required_checks reads the failed check.no_inactive_users from checks[]"

  step "${name}: policies/testdata/quiet (child module, planted events filtered out; erin left the team)"
  cp -R policies/testdata/quiet "${dir}/quiet"
  (cd -- "${dir}/quiet" && "${cli}" get -no-color >/dev/null) || fail "${name}: ${cli} get in the quiet module failed"
  plan_json "${cli}" "${dir}/quiet"
  n="$("${opa}" eval --format raw -i "${dir}/quiet/plan.json" \
    'count([r | some m in input.prior_state.values.root_module.child_modules; some r in m.resources; r.mode == "data"])')"
  ((n == 3)) || fail "${name}: the quiet plan holds ${n} reads in its child module, expected 3"
  # Not a vacuous pass: the reads hold the background entries of the dataset.
  n="$("${opa}" eval --format raw -i "${dir}/quiet/plan.json" -d policies/rediscloud 'count(data.rediscloud.lib.audit_entries | data.rediscloud.lib.session_entries)')"
  ((n > 0)) || fail "${name}: the quiet plan read no entry at all"
  got="$(findings "${dir}/quiet/plan.json" policies/testdata/quiet/quiet-params.json)"
  [[ -z "${got}" ]] || fail "${name}: the quiet plan gave findings: ${got}"
  step "${name}: ${n} entries in the quiet plan, no finding"

  if ! cli_supports "${cli}" 7 8; then
    step "${name}: SKIPPED: tests/*.tftest.hcl need mock_provider (Terraform 1.7+, OpenTofu 1.8+)"
    return 0
  fi
  # A clean copy: the test files set their own variables, not demo.auto.tfvars's.
  cp -R examples/compliance "${dir}/tests"
  [[ -f "${dir}/compliance/functions.tf" ]] || rm -f -- "${dir}/tests/functions.tf"
  step "${name}: test -filter=tests/summaries.tftest.hcl (mocked provider, summaries overridden)"
  (cd -- "${dir}/tests" && "${cli}" test -no-color -filter=tests/summaries.tftest.hcl) >"${dir}/summaries.log" 2>&1 ||
    { cat -- "${dir}/summaries.log"; fail "${name}: tests/summaries.tftest.hcl failed"; }
  tail -n1 "${dir}/summaries.log" | sed 's/^/    /'
  step "${name}: test -filter=tests/entries.tftest.hcl (entries overridden)"
  if (cd -- "${dir}/tests" && "${cli}" test -no-color -filter=tests/entries.tftest.hcl) >"${dir}/entries.log" 2>&1; then
    tail -n1 "${dir}/entries.log" | sed 's/^/    /'
  elif grep -qF 'incompatible types; expected object type, found tuple' "${dir}/entries.log"; then
    step "${name}: SKIPPED: tests/entries.tftest.hcl: this CLI cannot override entries (hashicorp/terraform#38369)"
  else
    cat -- "${dir}/entries.log"
    fail "${name}: tests/entries.tftest.hcl failed"
  fi
}

leg terraform "$("${script_dir}/ensure-terraform.sh")"
if [[ -n "${TOFU:-}" ]] || command -v tofu >/dev/null || [[ -x "bin/tofu-${TOFU_PINNED_VERSION:-1.12.6}" ]]; then
  leg opentofu "$("${script_dir}/ensure-tofu.sh")"
else
  step "opentofu: SKIPPED: no tofu (on PATH, \$TOFU or bin/tofu-${TOFU_PINNED_VERSION:-1.12.6}); make tofu builds one"
fi
step "policy-test passed in $((SECONDS - started))s"
