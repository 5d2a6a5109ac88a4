#!/usr/bin/env bash
# `make demo`: examples/compliance run by a real Terraform CLI against a fresh build of the
# provider and the mock API's planted demo events (internal/mockapi/demo.go). No network,
# no credentials, no account. The steps (README.md, "Quick start", tells the story):
#   1-3. seed shape: plan (check warnings; a postcondition fails it on a session from
#        outside the office), apply with that gate off, output -raw log_export_json;
#   4.   official shape (what api.redislabs.com answers): the checks that need its fields;
#   5.   two planted mistakes: a type the log never holds, an office range typed /2;
#   6.   examples/ephemeral-gate (Terraform 1.10+, OpenTofu 1.11+): the gate on ephemeral
#        reads, and no planted email, name or address in its saved plan, plan JSON or
#        state, where the same gate on data sources holds them.
# Exits 0 when all of that happened as designed, else non-zero. Works in a temporary
# directory removed on exit (Ctrl-C too), with a CLI config of its own.
# TF_CLI=terraform (default: the terraform on PATH, else OpenTofu), tofu, or a path.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
cd -- "${repo_root}"

# The mock's credentials (they only travel to 127.0.0.1), and its session from outside the
# office ranges (mockapi.DemoUnusualIP).
readonly demo_api_key="demo-account-key" demo_secret_key="demo-user-key" unusual_ip="203.0.113.66"

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$@"; }
fail() {
  printf '\nDEMO FAILED: %s\n' "$*" >&2
  exit 1
}

work="" mockapi_pid=""
stop_mock() { [[ -z "${mockapi_pid}" ]] || { kill "${mockapi_pid}" 2>/dev/null || true; wait "${mockapi_pid}" 2>/dev/null || true; }; mockapi_pid=""; }
trap 'rc=$?; stop_mock; [[ -z "${work}" ]] || rm -rf -- "${work}"; exit "${rc}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_mock SHAPE: the mock on a free loopback port, REDISCLOUD_URL pointing at it.
start_mock() {
  start_mockapi "${work}" "$1" -api-key "${demo_api_key}" -secret-key "${demo_secret_key}" || fail "the mock API did not start"
  export REDISCLOUD_URL="${mockapi_url}"
  note "listening on ${mockapi_url} (pid ${mockapi_pid}); REDISCLOUD_URL set to it"
}

# expect_in FILE TEXT WHAT: fail unless FILE holds TEXT, also when Terraform wrapped it
# across the lines of a diagnostic box.
expect_in() {
  grep -qF -- "$2" "$1" || tr '\n' ' ' <"$1" | sed 's/│/ /g; s/[[:space:]][[:space:]]*/ /g' | grep -qF -- "$2" ||
    fail "expected ${3} in the Terraform output (text \"$2\" not found)"
}

# expect_only_planted_warnings FILE: no warning but the check blocks' and dev_overrides'.
expect_only_planted_warnings() {
  local others
  others="$(grep -oE 'Warning: [A-Za-z][^│]*' "$1" | sed 's/[[:space:]]*$//' | sort -u |
    grep -vE '^Warning: (Check block assertion failed|Provider development overrides are in effect)$' || true)"
  [[ -z "${others}" ]] || fail "unexpected warnings in the Terraform output: ${others//$'\n'/; }"
  note "no warning but the planted ones (check blocks, development overrides)"
}

# run_tf LOG [--after MARKER] ARGS...: run the CLI, keep a colour-free copy in LOG and
# return its exit code; show the output, or only what follows the first line holding
# MARKER (for runs whose first part repeats an earlier step). Terraform handles Ctrl-C
# itself and exits 1, so an interrupt is recognised by what it prints.
run_tf() {
  local log="$1" marker="" rc=0
  shift
  [[ "$1" != --after ]] || { marker="$2"; shift 2; }
  printf '    $ %s %s\n\n' "${cli_name}" "$*"
  "${tf}" "$@" >"${log}.raw" 2>&1 || rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "${log}.raw" >"${log}"
  if grep -qF "Interrupt received" "${log}"; then
    printf '\ninterrupted: stopping the mock API and removing %s\n' "${work}" >&2
    exit 130
  fi
  if [[ -n "${marker}" ]] && grep -qF -- "${marker}" "${log}"; then
    awk -v m="${marker}" 'found { print; next } index($0, m) { found = 1 }' "${log}.raw"
  else
    cat -- "${log}.raw"
  fi
  return "${rc}"
}

step "finding a Terraform CLI (TF_CLI=${TF_CLI:-terraform})"
case "${TF_CLI:-terraform}" in
  terraform) tf="$("${script_dir}/ensure-terraform.sh")" || fail "no Terraform CLI on PATH, and building one failed" ;;
  tofu | opentofu) tf="$("${script_dir}/ensure-tofu.sh")" || fail "no OpenTofu CLI on PATH, and building one failed" ;;
  */*) tf="${TF_CLI}" ;;
  *) fail "TF_CLI=${TF_CLI}: expected terraform, tofu, or the path of a terraform or tofu binary" ;;
esac
version_line="$(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version 2>/dev/null | sed -n 1p)" || true
[[ "${version_line}" =~ ^(Terraform|OpenTofu)\ v1\.([0-9]+)\. ]] ||
  fail "${tf} does not look like Terraform 1.x or OpenTofu 1.x (its version says: ${version_line})"
cli_name=terraform minor="${BASH_REMATCH[2]}" functions_min=8 ephemeral_min=10
[[ "${BASH_REMATCH[1]}" == OpenTofu ]] && cli_name=tofu functions_min=7 ephemeral_min=11
note "${tf}: ${version_line}"

step "building the provider and the mock API into bin/"
go build -o bin/terraform-provider-rediscloud . || fail "the provider did not build"
go build -o bin/mockapi ./cmd/mockapi || fail "the mock API did not build"

work="$(mktemp -d "${TMPDIR:-/tmp}/rediscloud-demo.XXXXXX")"
write_dev_overrides "${work}/terraformrc" "${repo_root}/bin"
export TF_CLI_CONFIG_FILE="${work}/terraformrc" CHECKPOINT_DISABLE=1
unset TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_output TF_DATA_DIR TF_WORKSPACE REDIS_API_KEY REDIS_API_SECRET "${!TF_VAR_@}"
export REDISCLOUD_ACCESS_KEY="${demo_api_key}" REDISCLOUD_SECRET_KEY="${demo_secret_key}"
note "TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE}: dev_overrides for the fresh build (hence"
note "Terraform's \"Provider development overrides are in effect\" warning); the mock's keys in"
note "REDISCLOUD_ACCESS_KEY and REDISCLOUD_SECRET_KEY."

step "copying examples/compliance to ${work}/compliance, with the demo account's settings"
cp -R -- examples/compliance "${work}/compliance"
cd -- "${work}/compliance"
# The demo account's settings, as a team keeps them: the key its Terraform uses
# (mockapi.DemoTerraformKey), its users, and a two-week review period.
cat >demo.auto.tfvars <<'EOF'
log_shape              = "seed"
terraform_api_key_name = "terraform-automation"
account_users          = ["alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com"]
max_inactive_days      = 14
EOF
with_functions=1
if ((minor < functions_min)); then
  with_functions=0
  rm -f -- functions.tf
  note "${cli_name} 1.${minor} has no provider functions: functions.tf removed from the copy"
fi

step "starting the mock API: demo dataset, seed shape ({\"logs\": [...]}, with action and status)"
start_mock seed

step "1/6 terraform plan, as CI runs it: summaries, check warnings, and a postcondition error"
plan_rc=0
run_tf "${work}/plan.log" plan -input=false || plan_rc=$?
((plan_rc != 0)) || fail "terraform plan succeeded, but the postcondition should have failed it (session from ${unusual_ip})"
if grep -qE 'Unable to Read|Missing API Key|Missing Secret Key|Invalid API URL|Failed to load plugin|provider registry' "${work}/plan.log"; then
  fail "terraform plan failed for another reason than the expected postcondition (see above)"
fi
expect_in "${work}/plan.log" "Changes to Outputs" "the summary outputs"
expect_in "${work}/plan.log" "Check block assertion failed" "the check block warnings"
expect_in "${work}/plan.log" "Critical actions in the last 24 hours" "the critical-actions warning"
expect_in "${work}/plan.log" "Failed actions in the last 24 hours" "the failed-actions warning"
expect_in "${work}/plan.log" "Resource postcondition failed" "the postcondition error"
expect_in "${work}/plan.log" "Sessions in the last 7 days from outside" "the postcondition message"
expect_in "${work}/plan.log" "${unusual_ip}" "the unusual session's IP address"
expect_in "${work}/plan.log" "Details matching critical_details_patterns, last 24 hours (3)" "the details_patterns check"
expect_in "${work}/plan.log" "Users of the account inactive for more than 14 days (1)" "the access review's inactive-user check"
expect_in "${work}/plan.log" "erin@example.com: last seen" "erin as the inactive user"
expect_only_planted_warnings "${work}/plan.log"
note "As designed, terraform plan exited ${plan_rc}:"
note "- \"Changes to Outputs\": the 7-day summaries (actions, users, session IP addresses);"
note "- check warnings: critical and failed actions of the last 24 hours, and erin@example.com,"
note "  who has not signed in for 27 days. Warnings alone never fail a plan;"
note "- \"Resource postcondition failed\": bob@example.com signed in from ${unusual_ip}, outside"
note "  office_cidrs. In CI this error stops the pipeline until someone looks."

step "2/6 terraform apply -var enforce_session_ranges=false: the same run with the gate off"
note "Only data sources: apply writes terraform.tfstate in the temporary directory, nothing else."
run_tf "${work}/apply.log" --after "without changing any real infrastructure" \
  apply -input=false -auto-approve -compact-warnings -var enforce_session_ranges=false ||
  fail "terraform apply with enforce_session_ranges=false failed"
expect_in "${work}/apply.log" "Check block assertion failed" "the check block warnings during apply"
expect_in "${work}/apply.log" "Apply complete!" "a completed apply"
expect_in "${work}/apply.log" "unusual_sessions" "the unusual_sessions output"
expect_in "${work}/apply.log" "${unusual_ip}" "the unusual IP address among the outputs"

step "3/6 terraform output -raw log_export_json > rediscloud-logs.json (the retention export)"
"${tf}" output -raw log_export_json >"${work}/rediscloud-logs.json" 2>/dev/null || fail "terraform output -raw log_export_json failed"
grep -qF '"audit_logs"' "${work}/rediscloud-logs.json" && grep -qF '"session_logs"' "${work}/rediscloud-logs.json" ||
  fail "the JSON export lacks audit_logs or session_logs"
note "$(wc -c <"${work}/rediscloud-logs.json" | tr -d ' ') bytes of JSON; it begins:" "$(head -c 200 "${work}/rediscloud-logs.json")..."

step "4/6 the same plan against the official shape (what api.redislabs.com answers), log_shape = \"official\""
stop_mock
start_mock official
official_rc=0
run_tf "${work}/official.log" --after "without changing any real infrastructure" plan -input=false -var log_shape=official || official_rc=$?
((official_rc != 0)) || fail "the official-shape plan succeeded, but the postcondition should have failed it"
! grep -qE 'Unable to Read|Failed to load plugin' "${work}/official.log" ||
  fail "the official-shape plan failed for another reason than the expected postcondition (see above)"
expect_in "${work}/official.log" "Details matching critical_details_patterns, last 24 hours (3)" "the details_patterns check"
expect_in "${work}/official.log" "Database cache-staging changed by Bob Smith in the console" "the console change outside Terraform"
expect_in "${work}/official.log" "Database orders-prod changed by Alice Johnson through API key ci-pipeline" "the change through another API key"
expect_in "${work}/official.log" "Changes not made through terraform-automation, last 24 hours (2)" "exactly two changes outside Terraform"
expect_in "${work}/official.log" "carol@example.com: 5 failed logins" "the failed-login check"
expect_in "${work}/official.log" "alice@example.com (owner) from 192.0.2.44" "the owner session from outside the office"
expect_in "${work}/official.log" "erin@example.com: last seen" "the access review's inactive user"
expect_in "${work}/official.log" "Resource postcondition failed" "the postcondition error"
if ((with_functions)); then
  expect_in "${work}/official.log" "Sessions of the last 7 days outside their team's ranges (1)" "the check built on the provider functions"
fi
! grep -qF "Critical actions in the last 24 hours" "${work}/official.log" ||
  fail "the actions filter matched official-shape entries, which have no action field"
expect_only_planted_warnings "${work}/official.log"
note "As designed: the official shape has no action or status, so the reads that need them are"
note "left out; details_patterns found the same three deletions in the descriptions; and the"
note "checks on the official fields fired: bob deleted cache-staging in the console, alice"
note "changed orders-prod through the ci-pipeline key, carol had 5 failed logins, and alice,"
note "an owner, signed in from 192.0.2.44. The session postcondition failed just the same."

step "5/6 two planted mistakes: a type the log never holds, and an office range typed /2"
cat >planted_typo.tf <<'TF'
# Planted by the demo: the log's type is "ApiKey". A zero here would read as "no API key
# changes"; the provider names the typo, and this gate refuses the plan.
data "rediscloud_audit_logs" "planted_typo" {
  lookback = "7d"
  types    = ["API Key"]

  lifecycle {
    postcondition {
      condition     = length(self.unmatched_filters) == 0
      error_message = "Filters that could not match: ${join("; ", self.unmatched_filters)}"
    }
  }
}
TF
! run_tf "${work}/typo.log" plan -input=false -var log_shape=official -var enforce_session_ranges=false ||
  fail "the plan with the planted type typo succeeded"
rm -f planted_typo.tf
expect_in "${work}/typo.log" "Filter Matched Nothing" "the provider's warning on the typo"
expect_in "${work}/typo.log" 'Did you mean "ApiKey" for "API Key"?' "the suggestion"
expect_in "${work}/typo.log" "Filters that could not match: types: matched none of" "the postcondition on unmatched_filters"
! run_tf "${work}/cidr.log" plan -input=false -var log_shape=official -var 'office_cidrs=["198.51.100.0/2"]' ||
  fail "the plan with office_cidrs = [\"198.51.100.0/2\"] succeeded"
expect_in "${work}/cidr.log" "no bits set beyond its prefix" "the module's refusal of the /2 range"
note "As designed: the provider said \"API Key\" matched nothing and suggested ApiKey, and the"
note "postcondition on unmatched_filters failed the plan; 198.51.100.0/2 (meant /24), which would"
note "have let a quarter of the IPv4 space pass, was refused before anything was read."

step "6/6 the gate on ephemeral reads (examples/ephemeral-gate): nothing of the logs in the plan or state"
with_ephemeral=0
if ((minor < ephemeral_min)); then
  note "${cli_name} 1.${minor} has no ephemeral resources (Terraform 1.10+, OpenTofu 1.11+): step skipped."
else
  with_ephemeral=1
  # The same gate on data sources, for comparison.
  mkdir -p -- "${work}/ephemeral" "${work}/data-sources"
  cp -- "${repo_root}"/examples/ephemeral-gate/*.tf "${work}/ephemeral/"
  cp -- "${work}/ephemeral/variables.tf" "${work}/data-sources/"
  sed -e 's/^ephemeral "rediscloud_/data "rediscloud_/' -e 's/ephemeral\.rediscloud_/data.rediscloud_/g' \
    "${work}/ephemeral/main.tf" >"${work}/data-sources/main.tf"
  cd -- "${work}/ephemeral"
  ! run_tf "${work}/gate.log" plan -input=false || fail "the ephemeral gate's plan succeeded, but the precondition should have failed it"
  expect_in "${work}/gate.log" "Resource precondition failed" "the gate's error"
  expect_in "${work}/gate.log" "Sessions from outside office_cidrs" "the gate's message"
  expect_in "${work}/gate.log" "Check block assertion failed" "the warning on changes outside Terraform"
  note "As designed: the gate failed the plan and the check warned; the messages name no user or address."

  # With the gate off, plan -out, show -json and apply in each directory, then count the
  # planted values in the plan file's members, the plan JSON and the state.
  planted=(alice@example.com bob@example.com carol@example.com erin@example.com "Alice Johnson" "Bob Smith" "${unusual_ip}" 192.0.2.44)
  printf '    Searching for: %s\n' "${planted[*]}"
  for kind in ephemeral data-sources; do
    cd -- "${work}/${kind}"
    { "${tf}" plan -input=false -no-color -var enforce_session_ranges=false -out=gate.tfplan >"${work}/${kind}.log" 2>&1 &&
      "${tf}" show -json gate.tfplan >show.json 2>>"${work}/${kind}.log" &&
      "${tf}" apply -input=false -no-color gate.tfplan >>"${work}/${kind}.log" 2>&1; } ||
      { cat -- "${work}/${kind}.log" >&2; fail "${kind}: plan -out, show -json or apply of the saved plan failed"; }
    if command -v unzip >/dev/null; then unzip -q -o gate.tfplan -d plan-members; else note "(no unzip: the plan file's members are not searched)"; fi
    for f in show.json terraform.tfstate plan-members; do
      n=0
      for p in "${planted[@]}"; do grep -rqsF -- "${p}" "${f}" && n=$((n + 1)); done
      printf '    %-13s %-18s %d of the %d planted values\n' "${kind}" "${f/plan-members/the plan file}:" "${n}" "${#planted[@]}"
      [[ "${kind}" == data-sources ]] || ((n == 0)) || fail "the ephemeral gate's ${f} holds planted values"
      [[ "${kind}" == ephemeral || "${f}" == plan-members ]] || ((n > 0)) || fail "the data-source gate's ${f} holds no planted value: the search is broken"
    done
  done
  note "As designed: on data sources the users and addresses are in the saved plan, its JSON and"
  note "the state; on ephemeral reads, none of them are."
fi

step "demo finished as designed"
note "- checks warned about critical and failed actions, changes outside Terraform, repeated"
note "  failed logins, an owner session from outside the office and an inactive user;"
note "- the postcondition failed the plan on the session from ${unusual_ip} (the CI gate);"
note "- the outputs summarised 7 days of activity and exported them as JSON;"
note "- planted typos were named, and nothing else warned."
((with_ephemeral == 0)) || note "- the ephemeral gate failed the plan the same way, and left no user or address behind."
step "next: the same configuration against a real account"
note "make install, then pin the version it prints, terraform init, terraform plan:"
note "README.md, \"Using it with a real account\" (no dev_overrides, a real lock file)."
