#!/usr/bin/env bash
# Runs the performance benchmarks (`make bench`) and checks the targets of the
# performance issue. Prints every figure, then PASS or FAIL per target, and exits
# non-zero when a target fails or a benchmark cannot run. BENCHMARKS.md explains
# the figures; the raw `go test -bench` output is kept in $BENCH_OUT_DIR (a new
# temporary directory unless set).
#
# All benchmarks run against the mock API (internal/mockapi) on 127.0.0.1 with a
# simulated round trip. The client benchmarks use the provider's defaults
# (requests_per_minute = 400) against a mock that enforces the API's 400 requests
# per minute per key; the four-runs check waits one real 60 s window.
#
# Takes about 8 minutes on 2 cores, longer when the machine is busy.
# BENCH_SUMMARY_ONLY=1 with BENCH_OUT_DIR set prints the summary of an earlier run again.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
cd -- "${repo_root}"

out_dir="${BENCH_OUT_DIR:-$(mktemp -d -t rediscloud-bench.XXXXXX)}"
mkdir -p -- "${out_dir}"
export CHECKPOINT_DISABLE=1

# --- Targets (the issue's) ---------------------------------------------------------------
SPEEDUP_C4_MIN=3.5   # full read, 100,000 audit entries, 100 ms round trip, defaults: max_concurrency 4 vs 1
SPEEDUP_C16_MIN=8    # the same, max_concurrency 16 vs 1
WAITED_MAX_MS=0      # time those reads wait on the rate limit
DECODE_MS_MAX=15     # decoding one page of 1000 audit entries
CLIENT_LINES_MAX=1300 # internal/client, non-test Go
FOURRUNS_RATIO_MAX=1.3 # four runs on one key: span / budget bound
FOURRUNS_429_MAX=10  # four runs on one key: 429 answers per run
WINDOW_MAX=2      # requests for a one-hour window over 30 days
RSS_RATIO_MAX=2   # provider peak memory, 100,000 scanned / 1,000 matched vs 1,000 / 1,000
READMEM_RATIO_MAX=1.25 # terraform plan, provider peak RSS, max_results = 10: 1,000,000 entries vs 100,000
READMEM_1M_MAX=60      # the same, 1,000,000 entries, MiB
READMEM_KEEPALL_MAX=110 # the same, 100,000 entries all kept, MiB

summary_only="${BENCH_SUMMARY_ONLY:-}"
if [[ -n "${summary_only}" && -z "${BENCH_OUT_DIR:-}" ]]; then
  echo "bench: BENCH_SUMMARY_ONLY needs BENCH_OUT_DIR, the directory of an earlier run" >&2
  exit 2
fi

failed_runs=0

# bench <name> <package> <benchmark regexp> <benchtime>: one `go test -bench`, its output
# kept as ${out_dir}/<name>.txt.
bench() {
  local name="$1" pkg="$2" pattern="$3" benchtime="$4"
  echo
  echo "==> go test ${pkg} -run '^\$' -bench '${pattern}' -benchtime=${benchtime}"
  if ! go test "${pkg}" -run '^$' -bench "${pattern}" -benchtime="${benchtime}" -count=1 -timeout 30m \
    2>&1 | tee "${out_dir}/${name}.txt"; then
    echo "!!! ${name}: go test failed" >&2
    failed_runs=$((failed_runs + 1))
  fi
}

run_benchmarks() {
  echo "==> machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "==> $(go version)"
  local tf
  tf="$("${script_dir}/ensure-terraform.sh")"
  echo "==> terraform: ${tf} ($(TF_CLI_CONFIG_FILE="${script_dir}/terraform-test.tfrc" "${tf}" version | head -n1))"
  echo "==> load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "==> raw output: ${out_dir}"

  echo "==> building the provider for terraform plan (go build)"
  mkdir -p -- "${out_dir}/provider"
  go build -o "${out_dir}/provider/terraform-provider-rediscloud" .
  export TF_BENCH_TERRAFORM="${tf}" TF_BENCH_PROVIDER_BINARY="${out_dir}/provider/terraform-provider-rediscloud"

  bench decode     ./internal/client   '^BenchmarkDecodeAuditPage$'   200x
  bench full-read  ./internal/client   '^BenchmarkFullRead$'          1x
  bench speedup    ./internal/client   '^BenchmarkSpeedup$'           2x
  bench requests   ./internal/client   '^BenchmarkRequestsPerRead$'   1x
  bench window     ./internal/client   '^BenchmarkOneHourWindow$'     3x
  bench client-mem ./internal/client   '^BenchmarkPeakMemoryClient$'  1x
  bench four-runs  ./internal/provider '^BenchmarkFourRunsOneKey$'    1x
  bench protocol   ./internal/provider '^BenchmarkProtocolRead$'      1x
  bench plan       ./internal/provider '^BenchmarkTerraformPlan$'     3x
  bench memory     ./internal/provider '^BenchmarkPeakMemory$'        3x
  bench read-mem   ./internal/provider '^BenchmarkReadMemory$'        1x

  echo
  echo "==> load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ -z "${summary_only}" ]]; then
  run_benchmarks
fi

# metric <file> <benchmark name without the -N suffix> <unit>: the value before <unit>
# on that benchmark's result line; empty when absent.
metric() {
  awk -v name="$2" -v unit="$3" '
    { n = $1; sub(/-[0-9]+$/, "", n) }
    n == name { for (i = 3; i <= NF; i++) if ($i == unit) { print $(i - 1); exit } }
  ' "${out_dir}/$1.txt" 2>/dev/null || true
}

# num <value> <divisor> <decimals>: value/divisor rounded, or "?" when there is no value.
num() { if [[ -n "$1" ]]; then awk -v v="$1" -v d="$2" -v p="$3" 'BEGIN { printf "%.*f", p, v / d }'; else echo "?"; fi; }
ms() { num "$1" 1e6 0; }          # from ns
mib() { num "$1" 1048576 1; }     # from bytes
int() { num "$1" 1 0; }
dec() { num "$1" 1 "${2:-2}"; }

echo
echo "================================ summary ================================"
echo
echo "Full read at the provider's defaults (BenchmarkFullRead; requests = sent by the client, served = seen by the server;"
echo "B/op and allocs include the in-process mock):"
printf '  %-14s %-6s %-5s %8s %8s %9s %7s %9s %9s %10s %9s\n' dataset rtt mode ms speed-up requests served waited-ms resp-MiB alloc-MiB allocs-k
for ds in audit-10k audit-100k sessions-20k; do
  for rtt in 20ms 100ms; do
    seq_ns="$(metric full-read "BenchmarkFullRead/${ds}/rtt-${rtt}/seq" ns/op)"
    for mode in seq c4 c16; do
      n="BenchmarkFullRead/${ds}/rtt-${rtt}/${mode}"
      ns="$(metric full-read "$n" ns/op)"
      speedup="-"
      if [[ "${mode}" != seq && -n "${ns}" && -n "${seq_ns}" ]]; then
        speedup="x$(num "${seq_ns}" "${ns}" 1)"
      fi
      printf '  %-14s %-6s %-5s %8s %8s %9s %7s %9s %9s %10s %9s\n' "$ds" "$rtt" "$mode" "$(ms "${ns}")" "${speedup}" \
        "$(int "$(metric full-read "$n" requests/op)")" "$(int "$(metric full-read "$n" served/op)")" \
        "$(int "$(metric full-read "$n" waited-ms/op)")" "$(mib "$(metric full-read "$n" resp-bytes/op)")" \
        "$(mib "$(metric full-read "$n" B/op)")" "$(num "$(metric full-read "$n" allocs/op)" 1000 0)"
    done
  done
done

echo
echo "Decoding one page of 1000 audit entries, no network (BenchmarkDecodeAuditPage):"
printf '  %s ms, %s MiB and %s allocations per page\n' "$(num "$(metric decode BenchmarkDecodeAuditPage ns/op)" 1e6 2)" \
  "$(mib "$(metric decode BenchmarkDecodeAuditPage B/op)")" "$(int "$(metric decode BenchmarkDecodeAuditPage allocs/op)")"

echo
echo "Speed-up, 100,000 audit entries, provider defaults (requests_per_minute = 400), mock enforcing 400/min"
echo "(BenchmarkSpeedup, mean of 2 interleaved runs):"
for rtt in 100ms 20ms; do
  n="BenchmarkSpeedup/rtt-${rtt}"
  printf '  %-5s round trip: sequential %s ms (%s requests); max_concurrency 4: %s ms (x%s, %s requests); 16: %s ms (x%s, %s requests); longest rate-limit wait %s ms; %s answers 429\n' "${rtt}" \
    "$(int "$(metric speedup "$n" seq-ms/op)")" "$(int "$(metric speedup "$n" seq-requests/op)")" \
    "$(int "$(metric speedup "$n" c4-ms/op)")" "$(dec "$(metric speedup "$n" speedup-c4)")" "$(int "$(metric speedup "$n" c4-requests/op)")" \
    "$(int "$(metric speedup "$n" c16-ms/op)")" "$(dec "$(metric speedup "$n" speedup-c16)")" "$(int "$(metric speedup "$n" c16-requests/op)")" \
    "$(int "$(metric speedup "$n" waited-ms)")" "$(int "$(metric speedup "$n" limited)")"
done

echo
echo "Requests per full read of N audit entries, 20 ms round trip (BenchmarkRequestsPerRead; sent / served; bound = ceil(N/1000)+1):"
printf '  %8s %6s %12s %12s %12s\n' N bound "conc 1" "conc 4" "conc 16"
for n in 0 10 1000 1001 2500 10000 100000; do
  row="$(printf '  %8s %6s' "$n" "$(int "$(metric requests "BenchmarkRequestsPerRead/n-${n}/seq" bound/op)")")"
  for mode in seq c4 c16; do
    b="BenchmarkRequestsPerRead/n-${n}/${mode}"
    row+="$(printf ' %12s' "$(int "$(metric requests "$b" requests/op)") / $(int "$(metric requests "$b" served/op)")")"
  done
  echo "${row}"
done

echo
echo "Four terraform plan runs at once on one key, mock enforcing 400 requests per 60 s, 150 pages each (BenchmarkFourRunsOneKey):"
printf '  first request to last %s s; budget bound %s s (span/bound %s); %s requests served (minimum %s); most 429 answers in one run: %s\n' \
  "$(dec "$(metric four-runs BenchmarkFourRunsOneKey span-s)" 1)" "$(dec "$(metric four-runs BenchmarkFourRunsOneKey bound-s)" 1)" \
  "$(dec "$(metric four-runs BenchmarkFourRunsOneKey span/bound)")" "$(int "$(metric four-runs BenchmarkFourRunsOneKey served)")" \
  "$(int "$(metric four-runs BenchmarkFourRunsOneKey minimum)")" "$(int "$(metric four-runs BenchmarkFourRunsOneKey max-429-per-run)")"
grep -h 'sharedkey_test.go' "${out_dir}/four-runs.txt" 2>/dev/null | sed 's/^ */  /' || true

client_lines="$(cat $(ls internal/client/*.go | grep -v '_test\.go$') | wc -l)"
echo
echo "internal/client, non-test Go: ${client_lines} lines"

echo
echo "One-hour window over 30 days (100,000 audit entries; BenchmarkOneHourWindow):"
for srv in server-filters server-ignores-filters; do
  for w in last-hour day-15; do
    n="BenchmarkOneHourWindow/${srv}/${w}"
    printf '  %-24s %-10s %3s requests, %4s entries matched\n' "$srv" "$w" \
      "$(int "$(metric window "$n" requests/op)")" "$(int "$(metric window "$n" matched/op)")"
  done
done

echo
echo "Client peak memory, child process, MaxConcurrency 4 (BenchmarkPeakMemoryClient; informational):"
for c in scanned-100k-kept-1k scanned-1k-kept-1k scanned-100k-kept-100k; do
  printf '  %-24s %6s MiB\n' "$c" "$(dec "$(metric client-mem "BenchmarkPeakMemoryClient/$c" maxrss-MiB)" 1)"
done

echo
echo "Provider read through the plugin protocol, in process, 10,000 entries matched (BenchmarkProtocolRead):"
printf '  ReadDataSource %s ms, of which HTTP traffic %s ms (%s requests); %s MiB and %s allocations in all\n' \
  "$(int "$(metric protocol BenchmarkProtocolRead read-ms/op)")" "$(int "$(metric protocol BenchmarkProtocolRead http-ms/op)")" \
  "$(int "$(metric protocol BenchmarkProtocolRead requests/op)")" \
  "$(mib "$(metric protocol BenchmarkProtocolRead B/op)")" "$(int "$(metric protocol BenchmarkProtocolRead allocs/op)")"

echo
echo "terraform plan, 10,000 entries matched (BenchmarkTerraformPlan, mean of 3):"
printf '  plan %s ms wall; the provider'"'"'s Read (elapsed_ms) %s ms, %s%% of it, of which HTTP traffic %s ms (%s requests)\n' \
  "$(int "$(metric plan BenchmarkTerraformPlan plan-ms/op)")" "$(int "$(metric plan BenchmarkTerraformPlan provider-ms/op)")" \
  "$(dec "$(metric plan BenchmarkTerraformPlan provider-%)" 0)" "$(int "$(metric plan BenchmarkTerraformPlan http-ms/op)")" \
  "$(int "$(metric plan BenchmarkTerraformPlan requests/op)")"

echo
echo "Provider peak memory, child process (BenchmarkPeakMemory, mean of 3):"
printf '  100,000 scanned / 1,000 matched: %s MiB; 1,000 scanned / 1,000 matched: %s MiB; ratio %s\n' \
  "$(dec "$(metric memory BenchmarkPeakMemory scanned-100k-maxrss-MiB)" 1)" \
  "$(dec "$(metric memory BenchmarkPeakMemory scanned-1k-maxrss-MiB)" 1)" "$(dec "$(metric memory BenchmarkPeakMemory rss-ratio)")"

echo
echo "terraform plan of one audit read, the provider process's peak RSS (BenchmarkReadMemory):"
for c in 100k-keep10 300k-keep10 1M-keep10 100k-keepall; do
  printf '  %-14s %6s MiB\n' "$c" "$(dec "$(metric read-mem BenchmarkReadMemory "$c-maxrss-MiB")" 1)"
done

echo
echo "================================ targets ================================"
failed_targets=0
# check <description> <value> <op> <limit>: op is >=, <= or <
check() {
  local what="$1" value="$2" op="$3" limit="$4" verdict shown
  shown="$(dec "${value}")"
  if [[ -z "${value}" ]]; then
    verdict=FAIL
    shown="(no figure)"
  elif awk -v v="${value}" -v l="${limit}" -v op="${op}" \
    'BEGIN { exit !((op == ">=") ? (v >= l) : (op == "<=") ? (v <= l) : (v < l)) }'; then
    verdict=PASS
  else
    verdict=FAIL
  fi
  [[ "${verdict}" == FAIL ]] && failed_targets=$((failed_targets + 1))
  printf '  %s  %-72s %s (target %s %s)\n' "${verdict}" "${what}" "${shown}" "${op}" "${limit}"
}

check "full read 100k audit @100ms, defaults: max_concurrency 4 vs 1 speed-up" \
  "$(metric speedup BenchmarkSpeedup/rtt-100ms speedup-c4)" ">=" "${SPEEDUP_C4_MIN}"
check "full read 100k audit @100ms, defaults: max_concurrency 16 vs 1 speed-up" \
  "$(metric speedup BenchmarkSpeedup/rtt-100ms speedup-c16)" ">=" "${SPEEDUP_C16_MIN}"
check "full read 100k audit @100ms and @20ms, defaults: longest rate-limit wait, ms" \
  "$(awk -v a="$(metric speedup BenchmarkSpeedup/rtt-100ms waited-ms)" -v b="$(metric speedup BenchmarkSpeedup/rtt-20ms waited-ms)" \
    'BEGIN { if (a != "" && b != "") print (a > b ? a : b) }')" "<=" "${WAITED_MAX_MS}"
for n in 0 10 1000 1001 2500 10000 100000; do
  for mode in seq c4 c16; do
    b="BenchmarkRequestsPerRead/n-${n}/${mode}"
    check "requests per read, N = ${n}, ${mode}" "$(metric requests "$b" requests/op)" "<=" "$(metric requests "$b" bound/op)"
  done
done
check "decoding one page of 1000 audit entries, ms" "$(num "$(metric decode BenchmarkDecodeAuditPage ns/op)" 1e6 2)" "<=" "${DECODE_MS_MAX}"
check "internal/client non-test Go, lines" "${client_lines}" "<=" "${CLIENT_LINES_MAX}"
check "four runs on one key: first request to last / budget bound" \
  "$(metric four-runs BenchmarkFourRunsOneKey span/bound)" "<=" "${FOURRUNS_RATIO_MAX}"
check "four runs on one key: most 429 answers in one run" \
  "$(metric four-runs BenchmarkFourRunsOneKey max-429-per-run)" "<=" "${FOURRUNS_429_MAX}"
for n in server-filters/last-hour server-filters/day-15 server-ignores-filters/last-hour; do
  check "one-hour window over 30 days, ${n}: requests" \
    "$(metric window "BenchmarkOneHourWindow/${n}" requests/op)" "<=" "${WINDOW_MAX}"
done
check "provider peak memory, 100k scanned/1k matched vs 1k/1k: ratio" \
  "$(metric memory BenchmarkPeakMemory rss-ratio)" "<" "${RSS_RATIO_MAX}"
check "plan peak RSS, max_results = 10: 1,000,000 entries / 100,000" \
  "$(metric read-mem BenchmarkReadMemory ratio-1M/100k)" "<=" "${READMEM_RATIO_MAX}"
check "plan peak RSS, max_results = 10, 1,000,000 entries, MiB" \
  "$(metric read-mem BenchmarkReadMemory 1M-keep10-maxrss-MiB)" "<=" "${READMEM_1M_MAX}"
check "plan peak RSS, 100,000 entries all kept, MiB" \
  "$(metric read-mem BenchmarkReadMemory 100k-keepall-maxrss-MiB)" "<=" "${READMEM_KEEPALL_MAX}"

[[ -n "${summary_only}" ]] || "${script_dir}/bench-plan.sh" || failed_targets=$((failed_targets + 1))

echo
if ((failed_runs > 0 || failed_targets > 0)); then
  echo "bench: ${failed_targets} target(s) failed, ${failed_runs} benchmark run(s) failed (raw output in ${out_dir})"
  exit 1
fi
echo "bench: all targets met (raw output in ${out_dir})"
