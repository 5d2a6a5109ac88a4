#!/usr/bin/env bash
# End-to-end demo (`make demo`): the compliance module in examples/compliance, run by a
# real Terraform CLI against a locally built provider and the mock Redis Cloud API with
# its planted demo events (internal/mockapi, DemoDataset). No network, no credentials,
# no Redis Cloud account.
#
# What it shows, against the mock speaking the seed response shape (which carries the
# action and status fields that the action checks need):
#   1. `terraform plan`, as CI would run it: the summary outputs ("Changes to Outputs"),
#      the check blocks' warnings about critical and failed actions of the last 24 hours,
#      and the postcondition error that fails the plan because one session of the last
#      7 days came from outside the office ranges. That failure is the expected result.
#   2. `terraform apply -var enforce_session_ranges=false`: the same run with the
#      postcondition switched off, so it succeeds and saves the outputs. The
#      configuration holds only data sources, so this writes a local state file in the
#      temporary directory and nothing anywhere else.
#   3. `terraform output -raw log_export_json`: the JSON export for retention.
# and then, against the mock speaking the official shape (what api.redislabs.com answers):
#   4. `terraform plan -var log_shape=official` (the example's default): the reads that
#      need seed-only fields are left out, details_patterns finds the same three
#      deletions, and the checks that need the official fields fire: two changes outside
#      Terraform (one in the console, one through another API key), five failed logins of
#      one user, and an owner's session from outside the office. The access review (a user
#      inactive for weeks) fires in both. No warning but the checks' own.
#   5. Two planted mistakes: a type typed as "API Key" (the log says ApiKey), which the
#      provider names and a postcondition on unmatched_filters turns into an error, and an
#      office range typed /2 for /24, which the module's validation refuses.
#   6. examples/ephemeral-gate (Terraform 1.10+, OpenTofu 1.11+; skipped with a note on
#      older CLIs): the session gate and the changes-outside-Terraform warning on
#      ephemeral reads. The gate fails the plan; then, with the gate off, plan -out, show
#      -json and apply, and a search of the plan file's members, the JSON and the state
#      for the planted users' emails, names and addresses finds none, where the same
#      configuration on data sources holds them.
#
# Exits 0 when all of that happened as designed, non-zero when anything else happened
# (a build failed, the mock did not start, an expected warning or error was missing).
# Everything runs in a temporary directory that is removed on exit, also on Ctrl-C;
# Terraform reads a CLI config of this script's own, never ~/.terraformrc.
#
# TF_CLI picks the CLI (the steps read the same with either):
#   TF_CLI=terraform (the default): the terraform on PATH, else OpenTofu (the tofu on PATH,
#     else built from the Go module proxy into bin/; scripts/ensure-terraform.sh), which
#     runs every step, the ephemeral gate included;
#   TF_CLI=tofu: the tofu on PATH, else OpenTofu built from source into bin/
#     (scripts/ensure-tofu.sh);
#   TF_CLI=/path/to/terraform-or-tofu: that binary.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
cd -- "${repo_root}"

# The mock's credentials. They only ever travel to 127.0.0.1.
readonly demo_api_key="demo-account-key"
readonly demo_secret_key="demo-user-key"
# The session the mock plants outside the office ranges (mockapi.DemoUnusualIP).
readonly unusual_ip="203.0.113.66"

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$@"; }
fail() {
  printf '\nDEMO FAILED: %s\n' "$*" >&2
  exit 1
}

work=""
mock_pid=""
stop_mock() {
  if [[ -n "${mock_pid}" ]] && kill -0 "${mock_pid}" 2>/dev/null; then
    kill -TERM "${mock_pid}" 2>/dev/null || true
    wait "${mock_pid}" 2>/dev/null || true
  fi
  mock_pid=""
}
cleanup() {
  local rc=$?
  stop_mock
  if [[ -n "${work}" ]]; then
    rm -rf -- "${work}"
  fi
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Terraform catches Ctrl-C, stops gracefully and exits 1, and bash then does not run the
# INT trap (the child "handled" the signal). Recognise the interrupt by what Terraform
# prints instead, so that Ctrl-C ends the demo rather than being reported as a failure.
exit_if_interrupted() {
  if grep -qF "Interrupt received" "$1"; then
    printf '\ninterrupted: stopping the mock API and removing %s\n' "${work}" >&2
    exit 130
  fi
}

# start_mock SHAPE: start the mock API on a free loopback port; sets mock_url.
start_mock() {
  local shape="$1"
  rm -f -- "${work}/mock.url"
  "${repo_root}/bin/mockapi" -addr 127.0.0.1:0 -dataset demo -shape "${shape}" \
    -api-key "${demo_api_key}" -secret-key "${demo_secret_key}" \
    -url-file "${work}/mock.url" >"${work}/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "${work}/mock.url" ]] && break
    kill -0 "${mock_pid}" 2>/dev/null || break
    sleep 0.1
  done
  if [[ ! -s "${work}/mock.url" ]]; then
    cat -- "${work}/mock.log" >&2 || true
    fail "the mock API did not start"
  fi
  mock_url="$(cat -- "${work}/mock.url")"
  export REDISCLOUD_URL="${mock_url}"
  note "listening on ${mock_url} (pid ${mock_pid}); REDISCLOUD_URL set to it"
}

# expect_in_wrapped FILE TEXT WHAT: expect_in for a TEXT that Terraform may have wrapped
# across the lines of a diagnostic box.
expect_in_wrapped() {
  tr '\n' ' ' <"$1" | sed 's/│/ /g; s/[[:space:]][[:space:]]*/ /g' | grep -qF -- "$2" ||
    fail "expected ${3} in the Terraform output (text \"$2\" not found)"
}

# expect_only_planted_warnings FILE: fail when Terraform printed a warning that the demo did
# not plant: the check blocks' own and the development overrides are expected, no other.
expect_only_planted_warnings() {
  local others
  others="$(grep -oE 'Warning: [A-Za-z][^│]*' "$1" | sed 's/[[:space:]]*$//' | sort -u |
    grep -vE '^Warning: (Check block assertion failed|Provider development overrides are in effect)$' || true)"
  [[ -z "${others}" ]] || fail "unexpected warnings in the Terraform output: ${others//$'\n'/; }"
  note "no warning but the planted ones (check blocks, development overrides)"
}

# expect_in FILE TEXT WHAT: fail unless the (colour-stripped) FILE contains TEXT.
expect_in() {
  grep -qF -- "$2" "$1" || fail "expected ${3} in the Terraform output (text \"$2\" not found)"
}

# run_tf LOG ARGS...: run terraform, show its output, keep a colour-free copy in LOG,
# and return terraform's exit code. tee ignores Ctrl-C so that the log is complete.
run_tf() {
  local log="$1"
  shift
  printf '    $ %s %s\n\n' "${cli_name}" "$*"
  local rc=0
  "${tf}" "$@" 2>&1 | tee -i "${log}.raw" || rc=${PIPESTATUS[0]}
  sed 's/\x1b\[[0-9;]*m//g' "${log}.raw" >"${log}"
  exit_if_interrupted "${log}"
  return "${rc}"
}

# run_tf_after LOG MARKER WHY ARGS...: like run_tf, but shows the output only from the
# line after the first one holding MARKER (all of it when MARKER never appears), for
# runs whose first part repeats an earlier step.
run_tf_after() {
  local log="$1" marker="$2" why="$3"
  shift 3
  printf '    $ %s %s\n' "${cli_name}" "$*"
  local rc=0
  "${tf}" "$@" >"${log}.raw" 2>&1 || rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "${log}.raw" >"${log}"
  exit_if_interrupted "${log}"
  if grep -qF -- "${marker}" "${log}"; then
    printf '    (%s)\n\n' "${why}"
    awk -v m="${marker}" 'found { print; next } index($0, m) { found = 1 }' "${log}.raw"
  else
    printf '\n'
    cat -- "${log}.raw"
  fi
  return "${rc}"
}

step "finding a Terraform CLI (TF_CLI=${TF_CLI:-terraform})"
case "${TF_CLI:-terraform}" in
  terraform) tf="$("${script_dir}/ensure-terraform.sh")" || fail "no Terraform CLI on PATH, and building one failed" ;;
  tofu | opentofu) tf="$("${script_dir}/ensure-tofu.sh")" || fail "no OpenTofu CLI on PATH, and building one failed" ;;
  */*)
    [[ -x "${TF_CLI}" && ! -d "${TF_CLI}" ]] || fail "TF_CLI=${TF_CLI} is not an executable file"
    tf="${TF_CLI}"
    ;;
  *) fail "TF_CLI=${TF_CLI}: expected terraform, tofu, or the path of a terraform or tofu binary" ;;
esac
tf_version="$(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version | sed -n 1p)"
case "${tf_version}" in
  "OpenTofu v"*) cli_name=tofu ;;
  "Terraform v"*) cli_name=terraform ;;
  *) fail "${tf} does not look like Terraform or OpenTofu (its version says: ${tf_version})" ;;
esac
note "${tf}: ${tf_version}"

step "building the provider (go build -o bin/terraform-provider-rediscloud .)"
go build -o bin/terraform-provider-rediscloud . || fail "the provider did not build"

step "building the mock API (go build -o bin/mockapi ./cmd/mockapi)"
go build -o bin/mockapi ./cmd/mockapi || fail "the mock API did not build"

work="$(mktemp -d "${TMPDIR:-/tmp}/rediscloud-demo.XXXXXX")"

step "writing a Terraform CLI config with dev_overrides for the freshly built provider"
write_dev_overrides "${work}/terraformrc" "${repo_root}/bin"
export TF_CLI_CONFIG_FILE="${work}/terraformrc"
export CHECKPOINT_DISABLE=1
unset TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_output TF_DATA_DIR TF_WORKSPACE \
  TF_VAR_office_cidrs TF_VAR_enforce_session_ranges TF_VAR_critical_actions TF_VAR_critical_details_patterns \
  TF_VAR_terraform_api_key_name TF_VAR_max_failed_logins_per_user TF_VAR_account_users TF_VAR_access_review_days \
  TF_VAR_max_inactive_days TF_VAR_privileged_roles TF_VAR_team_cidrs \
  REDIS_API_KEY REDIS_API_SECRET
export REDISCLOUD_ACCESS_KEY="${demo_api_key}"
export REDISCLOUD_SECRET_KEY="${demo_secret_key}"
note "TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE}"
note "Terraform will warn \"Provider development overrides are in effect\": that is this config."
note "REDISCLOUD_ACCESS_KEY and REDISCLOUD_SECRET_KEY set to the mock's demo keys."

step "copying examples/compliance to ${work}/compliance (state and lock files stay there)"
cp -R -- "${repo_root}/examples/compliance" "${work}/compliance"
cd -- "${work}/compliance"

# The demo account's settings, as a team would keep them in a .tfvars file: the key its
# Terraform uses (mockapi.DemoTerraformKey), its users, and a two-week review period.
cat >demo.auto.tfvars <<'EOF'
log_shape              = "seed"
terraform_api_key_name = "terraform-automation"
account_users          = ["alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com"]
max_inactive_days      = 14
EOF
note "wrote demo.auto.tfvars: log_shape = \"seed\" (steps 1-3), terraform_api_key_name, account_users, max_inactive_days = 14"

# Provider-defined functions (functions.tf) need Terraform 1.8+ or OpenTofu 1.7+.
functions_version="$(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version | sed -n '1s/^\(Terraform\|OpenTofu\) v\([0-9]*\)\.\([0-9]*\).*/\1 \2 \3/p')"
read -r functions_cli functions_major functions_minor <<<"${functions_version:-unknown 0 0}"
functions_min=8
[[ "${functions_cli}" == OpenTofu ]] && functions_min=7
if ((functions_major > 1 || (functions_major == 1 && functions_minor >= functions_min))); then
  with_functions=1
  note "${functions_cli} ${functions_major}.${functions_minor} has provider functions: functions.tf stays"
else
  with_functions=0
  rm -f -- functions.tf
  note "${functions_cli} ${functions_major}.${functions_minor} has no provider functions: functions.tf removed from the copy"
fi

step "starting the mock Redis Cloud API: demo dataset, seed response shape"
start_mock seed
note "The seed shape ({\"logs\": [...]}) carries action and status, so the action checks"
note "have something to find. api.redislabs.com answers in the official shape, which has"
note "neither: step 4 reads it with log_shape = \"official\", the example's default."

step "1/6 terraform plan, as CI runs it: summaries, check warnings, and a postcondition error"
plan_rc=0
run_tf "${work}/plan.log" plan -input=false || plan_rc=$?
if ((plan_rc == 0)); then
  fail "terraform plan succeeded, but the postcondition should have failed it (session from ${unusual_ip})"
fi
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
printf '\n'
note "As designed: terraform plan exited ${plan_rc}, and that failure is the point of the demo."
note "- \"Changes to Outputs\": the 7-day summaries (actions, users, session IP addresses)."
note "- \"Warning: Check block assertion failed\": critical and failed actions in the last 24"
note "  hours (by action and, the same three, by details_patterns), and the access review:"
note "  erin@example.com has not signed in for 27 days. Warnings alone never fail a plan."
note "- The seed shape has no entity type, API key name, session action or role: with"
note "  log_shape = \"seed\" the module leaves those reads out, so nothing warns (step 4)."
note "- \"Error: Resource postcondition failed\": bob@example.com signed in from ${unusual_ip},"
note "  outside office_cidrs. In CI this error stops the pipeline until someone looks."

step "2/6 terraform apply -var enforce_session_ranges=false: the same run with the gate off"
note "Only data sources: apply saves the outputs in terraform.tfstate in the temp dir and changes nothing else."
apply_rc=0
run_tf_after "${work}/apply.log" "without changing any real infrastructure" \
  "its plan repeats step 1; showing what follows it" \
  apply -input=false -auto-approve -compact-warnings -var enforce_session_ranges=false || apply_rc=$?
if ((apply_rc != 0)); then
  fail "terraform apply with enforce_session_ranges=false failed (exit ${apply_rc})"
fi
expect_in "${work}/apply.log" "Check block assertion failed" "the check block warnings during apply"
expect_in "${work}/apply.log" "Apply complete!" "a completed apply"
expect_in "${work}/apply.log" "unusual_sessions" "the unusual_sessions output"
expect_in "${work}/apply.log" "${unusual_ip}" "the unusual IP address among the outputs"

step "3/6 terraform output -raw log_export_json > rediscloud-logs.json (the retention export)"
"${tf}" output -raw log_export_json >"${work}/rediscloud-logs.json" 2>/dev/null ||
  fail "terraform output -raw log_export_json failed"
size="$(wc -c <"${work}/rediscloud-logs.json" | tr -d ' ')"
((size > 0)) || fail "the JSON export is empty"
grep -qF '"audit_logs"' "${work}/rediscloud-logs.json" || fail "the JSON export has no audit_logs"
grep -qF '"session_logs"' "${work}/rediscloud-logs.json" || fail "the JSON export has no session_logs"
note "${size} bytes of JSON; it begins:"
note "$(head -c 200 "${work}/rediscloud-logs.json")..."

step "4/6 the same plan against the official response shape (what api.redislabs.com answers)"
stop_mock
start_mock official
official_rc=0
run_tf_after "${work}/official.log" "without changing any real infrastructure" \
  "showing the diagnostics that follow the plan's outputs" \
  plan -input=false -var log_shape=official || official_rc=$?
((official_rc != 0)) || fail "the official-shape plan succeeded, but the postcondition should have failed it"
if grep -qE 'Unable to Read|Failed to load plugin' "${work}/official.log"; then
  fail "the official-shape plan failed for another reason than the expected postcondition (see above)"
fi
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
if grep -qF "Critical actions in the last 24 hours" "${work}/official.log"; then
  fail "the actions filter matched official-shape entries, which have no action field"
fi
expect_only_planted_warnings "${work}/official.log"
printf '\n'
note "As designed, and with no warning but the checks' own: the official shape has no"
note "action or status, so log_shape = \"official\" leaves the reads that need them out;"
note "details_patterns found the same three deletions in the description text, and the"
note "checks that need the official fields fired:"
note "- changes outside Terraform: bob deleted cache-staging in the console, and alice's"
note "  change to orders-prod came through the ci-pipeline key, not terraform-automation;"
note "- carol@example.com had 5 failed logins (user_counts of a summary-only read);"
note "- alice@example.com, an owner, signed in from 192.0.2.44, outside the office ranges;"
note "- the access review: erin@example.com was last seen 27 days ago."
note "The session postcondition failed just the same: sessions carry the IP address in both shapes."

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
typo_rc=0
run_tf "${work}/typo.log" plan -input=false -var log_shape=official -var enforce_session_ranges=false || typo_rc=$?
rm -f planted_typo.tf
((typo_rc != 0)) || fail "the plan with the planted type typo succeeded"
expect_in "${work}/typo.log" "Filter Matched Nothing" "the provider's warning on the typo"
expect_in_wrapped "${work}/typo.log" 'Did you mean "ApiKey" for "API Key"?' "the suggestion"
expect_in "${work}/typo.log" "Filters that could not match: types: matched none of" "the postcondition on unmatched_filters"
cidr_rc=0
run_tf "${work}/cidr.log" plan -input=false -var log_shape=official -var 'office_cidrs=["198.51.100.0/2"]' || cidr_rc=$?
((cidr_rc != 0)) || fail "the plan with office_cidrs = [\"198.51.100.0/2\"] succeeded"
expect_in_wrapped "${work}/cidr.log" "no bits set beyond its prefix" "the module's refusal of the /2 range"
printf '\n'
note "As designed: \"API Key\" matched none of the week's entries; the provider said so, showed"
note "the types the log holds and suggested ApiKey, and the postcondition on unmatched_filters"
note "failed the plan. 198.51.100.0/2 (meant /24) would have let sessions from a quarter of the"
note "IPv4 space pass the office check; the module refused it before anything was read."

step "6/6 the gate again, on ephemeral reads (examples/ephemeral-gate): nothing of the logs in the plan or state"
ephemeral_min=10
[[ "${functions_cli}" == OpenTofu ]] && ephemeral_min=11
if ! ((functions_major > 1 || (functions_major == 1 && functions_minor >= ephemeral_min))); then
  with_ephemeral=0
  note "${functions_cli} ${functions_major}.${functions_minor} has no ephemeral resources (Terraform 1.10+, OpenTofu 1.11+): step skipped."
else
  with_ephemeral=1
  # The same gate on data sources, for comparison: the example with data for ephemeral.
  mkdir -p -- "${work}/ephemeral-gate" "${work}/data-gate"
  cp -- "${repo_root}"/examples/ephemeral-gate/*.tf "${work}/ephemeral-gate/"
  cp -- "${repo_root}/examples/ephemeral-gate/variables.tf" "${work}/data-gate/"
  sed -e 's/^ephemeral "rediscloud_/data "rediscloud_/' -e 's/ephemeral\.rediscloud_/data.rediscloud_/g' \
    "${repo_root}/examples/ephemeral-gate/main.tf" >"${work}/data-gate/main.tf"
  cd -- "${work}/ephemeral-gate"
  gate_rc=0
  run_tf "${work}/gate.log" plan -input=false || gate_rc=$?
  ((gate_rc != 0)) || fail "the ephemeral gate's plan succeeded, but the precondition should have failed it"
  expect_in "${work}/gate.log" "Resource precondition failed" "the gate's error"
  expect_in "${work}/gate.log" "Sessions from outside office_cidrs" "the gate's message"
  expect_in "${work}/gate.log" "Check block assertion failed" "the warning on changes outside Terraform"
  note "As designed: the gate failed the plan, and the check warned; the messages name no user or address."

  # people PLAN_DIR LABEL: how many of the planted users' emails, names and addresses the
  # saved plan (every member of the plan file), show -json of it and the state after
  # apply hold; runs plan -out, show -json and apply with the gate off in PLAN_DIR.
  planted=(alice@example.com bob@example.com carol@example.com erin@example.com "Alice Johnson" "Bob Smith" "${unusual_ip}" 192.0.2.44)
  people() {
    local dir="$1" label="$2" rc=0 f n
    cd -- "${dir}"
    "${tf}" plan -input=false -no-color -var enforce_session_ranges=false -out=gate.tfplan >"${work}/${label}-plan.log" 2>&1 || rc=$?
    exit_if_interrupted "${work}/${label}-plan.log"
    ((rc == 0)) || { cat -- "${work}/${label}-plan.log" >&2; fail "${label}: plan -out failed"; }
    "${tf}" show -json gate.tfplan >show.json 2>"${work}/${label}-show.log" || { cat -- "${work}/${label}-show.log" >&2; fail "${label}: show -json of the saved plan failed"; }
    "${tf}" apply -input=false -no-color gate.tfplan >"${work}/${label}-apply.log" 2>&1 || { cat -- "${work}/${label}-apply.log" >&2; fail "${label}: apply of the saved plan failed"; }
    mkdir -p plan-members
    if command -v unzip >/dev/null; then
      unzip -q -o gate.tfplan -d plan-members || fail "${label}: the saved plan is not a zip file"
    else
      note "(no unzip on PATH: the plan file's members are not searched, show -json of it is)"
    fi
    for f in show.json terraform.tfstate plan-members; do
      n=0
      for p in "${planted[@]}"; do
        if grep -rqF -- "${p}" "${f}"; then n=$((n + 1)); fi
      done
      printf '    %-24s %s: %d of the %d planted values\n' "${label}" "${f/plan-members/the plan file}" "${n}" "${#planted[@]}"
      found["${label} ${f}"]=${n}
    done
  }
  declare -A found=()
  printf '    Searching for: %s\n' "${planted[*]}"
  people "${work}/ephemeral-gate" ephemeral
  people "${work}/data-gate" data-sources
  for f in show.json terraform.tfstate plan-members; do
    ((found["ephemeral ${f}"] == 0)) || fail "the ephemeral gate's ${f} holds planted values"
  done
  ((found["data-sources show.json"] > 0 && found["data-sources terraform.tfstate"] > 0)) ||
    fail "the data-source gate's plan JSON and state should hold planted values: the search is broken"
  cd -- "${work}/compliance"
  printf '\n'
  note "As designed: the same checks on data sources leave the users and addresses in the"
  note "saved plan, its JSON and the state; on ephemeral reads, none of them are there."
fi

step "demo finished as designed"
note "- check blocks warned about critical and failed actions of the last 24 hours;"
note "- against the official shape: critical actions by details_patterns, two changes outside"
note "  Terraform, repeated failed logins, and an owner session from outside the office;"
note "- the access review found a user inactive for more than 14 days;"
note "- the postcondition failed the plan on the session from ${unusual_ip} (the CI gate);"
note "- the outputs summarised 7 days of activity and exported them as JSON;"
note "- against the official shape, no warning but the checks' own; planted typos were named."
if ((with_ephemeral)); then
  note "- the ephemeral gate failed the plan the same way, and left no user or address in the"
  note "  saved plan, its JSON or the state (the data-source gate left them in all three)."
fi
note "The mock API is stopped and ${work} is removed on exit."

step "next: the same configuration against a real account"
note "make install       # the provider, version stamped, into ~/.terraform.d/plugins"
note "then pin the version it prints, terraform init, terraform plan:"
note "README.md, \"Using it with a real account\" (no dev_overrides, a real lock file)."
