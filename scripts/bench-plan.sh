#!/usr/bin/env bash
# `terraform plan` side by side: this provider's rediscloud_audit_logs against the
# `http` data source plus `jsondecode`, on the same 1,000-entry page of the mock API
# (cmd/mockapi, generated dataset, official shape) and the same HCL filter,
# alternating the two over BENCH_PLAN_RUNS runs each (default 5); then this provider's
# plan with 10,000 entries, alternating with its 1,000-entry plan. Prints every timing,
# the medians and PASS or FAIL per target, and exits non-zero when a target fails.
# Called by scripts/bench.sh; runs on its own too (a few minutes on 2 cores).
#
# Both providers run as built binaries through dev_overrides, so nothing is
# downloaded from a registry: this one with `go build`, the http provider with
# `go install github.com/terraform-providers/terraform-provider-http@v1.2.0` (the
# newest that installs with this toolchain) into ./bin, once.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
cd -- "${repo_root}"

# --- Targets (issue 11's) -----------------------------------------------------------------
RATIO_MAX=1.3  # provider plan / http + jsondecode plan, 1,000 entries, medians
LINEAR_MAX=10  # provider plan with 10,000 entries / with 1,000 entries, medians

runs="${BENCH_PLAN_RUNS:-5}"
http_version=v1.2.0
api_key=bench-plan-api-key
secret_key=bench-plan-secret-key

work="$(mktemp -d -t rediscloud-bench-plan.XXXXXX)"
mock_pids=()
cleanup() {
  local pid
  for pid in "${mock_pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  rm -rf -- "${work}"
}
trap cleanup EXIT
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

tf="$("${script_dir}/ensure-terraform.sh")"
echo
echo "==> terraform plan: this provider vs http + jsondecode, ${runs} alternating runs each"
echo "==> terraform: ${tf}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p -- "${work}/rediscloud" "${work}/http" bin
go build -o "${work}/rediscloud/terraform-provider-rediscloud" .
go build -o "${work}/mockapi" ./cmd/mockapi
if [[ ! -x bin/terraform-provider-http ]]; then
  echo "==> installing the http provider ${http_version} into ./bin"
  GOBIN="${repo_root}/bin" go install "github.com/terraform-providers/terraform-provider-http@${http_version}"
fi
cp bin/terraform-provider-http "${work}/http/"

write_dev_overrides "${work}/terraformrc" "${work}/rediscloud" "hashicorp/http=${work}/http"
export TF_CLI_CONFIG_FILE="${work}/terraformrc"

# start_mock <entries>: serves that many generated audit entries, and sets mock_url to
# its base URL. (Not in a command substitution: the mock's pid must reach cleanup.)
start_mock() {
  local url_file="${work}/mock-$1.url"
  "${work}/mockapi" -dataset generated -audit "$1" -sessions 0 -shape official \
    -api-key "${api_key}" -secret-key "${secret_key}" -url-file "${url_file}" >"${work}/mock-$1.log" 2>&1 &
  mock_pids+=("$!")
  for _ in $(seq 200); do
    [[ -s "${url_file}" ]] && break
    sleep 0.1
  done
  [[ -s "${url_file}" ]] || { echo "bench-plan: the mock API did not start" >&2; exit 2; }
  mock_url="$(cat -- "${url_file}")"
}
start_mock 1000
url_1k="${mock_url}"
start_mock 10000
url_10k="${mock_url}"

# The same filter on both sides: the ids of the Database entries.
filter() { echo "[for e in $1 : e.id if e.type == \"Database\"]"; }

# write_rediscloud <dir> <url>: this provider reading every entry the mock at url has.
write_rediscloud() {
  mkdir -p -- "$1"
  cat >"$1/main.tf" <<EOF
terraform {
  required_providers {
    rediscloud = { source = "redis-logs/rediscloud" }
  }
}
provider "rediscloud" {
  url        = "$2"
  api_key    = "${api_key}"
  secret_key = "${secret_key}"
}
data "rediscloud_audit_logs" "all" {}
output "database_ids" {
  value = length($(filter "data.rediscloud_audit_logs.all.entries"))
}
EOF
}

# write_http <dir> <url>: the http data source reading the first page of 1,000 entries,
# the page the provider reads, decoded with jsondecode.
write_http() {
  mkdir -p -- "$1"
  cat >"$1/main.tf" <<EOF
terraform {
  required_providers {
    http = { source = "hashicorp/http" }
  }
}
data "http" "logs" {
  url = "$2/logs?offset=0&limit=1000"
  request_headers = {
    "x-api-key"        = "${api_key}"
    "x-api-secret-key" = "${secret_key}"
  }
}
output "database_ids" {
  value = length($(filter "jsondecode(data.http.logs.body).entries"))
}
EOF
}

write_rediscloud "${work}/plan-rediscloud-1k" "${url_1k}"
write_rediscloud "${work}/plan-rediscloud-10k" "${url_10k}"
write_http "${work}/plan-http-1k" "${url_1k}"

# plan_ms <dir>: one `terraform plan`, its wall time in milliseconds; the plan output
# is kept in <dir>/plan.txt and must show the output with its entries.
plan_ms() {
  local began ended
  began="$(date +%s%N)"
  if ! "${tf}" -chdir="$1" plan -input=false -lock=false -no-color >"$1/plan.txt" 2>&1; then
    echo "bench-plan: terraform plan failed in $1:" >&2
    cat -- "$1/plan.txt" >&2
    exit 2
  fi
  ended="$(date +%s%N)"
  grep -q 'database_ids' "$1/plan.txt" || { echo "bench-plan: no output in $1/plan.txt" >&2; exit 2; }
  echo $(((ended - began) / 1000000))
}

# One unmeasured plan each, so that neither side pays for a cold file cache.
for d in plan-rediscloud-1k plan-http-1k plan-rediscloud-10k; do plan_ms "${work}/${d}" >/dev/null; done

# The two sides must have planned the same answer, or the comparison means nothing.
count_of() { sed -n 's/^ *+ database_ids *= *\([0-9][0-9]*\)$/\1/p' "$1/plan.txt"; }
provider_ids="$(count_of "${work}/plan-rediscloud-1k")"
http_ids="$(count_of "${work}/plan-http-1k")"
echo "==> Database entries in the plan output: provider ${provider_ids}, http + jsondecode ${http_ids}"
if [[ -z "${provider_ids}" || "${provider_ids}" != "${http_ids}" || "${provider_ids}" == 0 ]]; then
  echo "bench-plan: the two plans disagree (or found nothing); see the configurations in ${work}" >&2
  exit 2
fi

provider_1k=() http_1k=() provider_1k_b=() provider_10k=()
for i in $(seq "${runs}"); do
  provider_1k+=("$(plan_ms "${work}/plan-rediscloud-1k")")
  http_1k+=("$(plan_ms "${work}/plan-http-1k")")
  provider_10k+=("$(plan_ms "${work}/plan-rediscloud-10k")")
  provider_1k_b+=("$(plan_ms "${work}/plan-rediscloud-1k")")
  echo "  run ${i}: provider 1k ${provider_1k[-1]} ms, http 1k ${http_1k[-1]} ms, provider 10k ${provider_10k[-1]} ms, provider 1k ${provider_1k_b[-1]} ms"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_provider="$(median "${provider_1k[@]}" "${provider_1k_b[@]}")"
m_http="$(median "${http_1k[@]}")"
m_10k="$(median "${provider_10k[@]}")"
ratio="$(awk -v a="${m_provider}" -v b="${m_http}" 'BEGIN { printf "%.2f", a / b }')"
linear="$(awk -v a="${m_10k}" -v b="${m_provider}" 'BEGIN { printf "%.2f", a / b }')"

echo
echo "terraform plan medians: provider 1,000 entries ${m_provider} ms (${#provider_1k[@]}+${#provider_1k_b[@]} runs), http + jsondecode ${m_http} ms, provider 10,000 entries ${m_10k} ms"
echo "==> load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
failed=0
# check <description> <value> <limit>: PASS when value <= limit.
check() {
  local verdict=PASS
  if ! awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then
    verdict=FAIL
    failed=$((failed + 1))
  fi
  printf '  %s  %-72s %s (target <= %s)\n' "${verdict}" "$1" "$2" "$3"
}
check "plan, 1,000 entries: provider / http + jsondecode (medians)" "${ratio}" "${RATIO_MAX}"
check "plan, provider: 10,000 entries / 1,000 entries (medians)" "${linear}" "${LINEAR_MAX}"
((failed == 0))
