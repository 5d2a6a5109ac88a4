#!/usr/bin/env bash
# Runs the performance benchmarks (`make bench`), printing each one's `go test -bench`
# output (every metric with its name), then checks the targets of the performance issues:
# per target its figure, PASS or FAIL and the limit. Exits non-zero when a target fails or
# a benchmark cannot run. BENCHMARKS.md explains the figures. The raw output is kept in
# $BENCH_OUT_DIR (a new temporary directory unless set); BENCH_SUMMARY_ONLY=1 with it checks
# an earlier run's output again. About 10 minutes on 2 cores (one real 60 s rate window).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
cd -- "${script_dir}/.."
export CHECKPOINT_DISABLE=1
if [[ -n "${BENCH_SUMMARY_ONLY:-}" && -z "${BENCH_OUT_DIR:-}" ]]; then
  echo "bench: BENCH_SUMMARY_ONLY needs BENCH_OUT_DIR, the directory of an earlier run" >&2
  exit 2
fi
out_dir="${BENCH_OUT_DIR:-$(mktemp -d -t rediscloud-bench.XXXXXX)}" failed_runs=0
mkdir -p -- "${out_dir}"

# bench <name> <package> <benchmark> <benchtime>: one `go test -bench`, kept as <name>.txt.
bench() {
  echo && echo "==> go test $2 -run '^\$' -bench '^$3\$' -benchtime=$4"
  if ! go test "$2" -run '^$' -bench "^$3\$" -benchtime="$4" -count=1 -timeout 30m 2>&1 | tee "${out_dir}/$1.txt"; then
    echo "!!! $1: go test failed" >&2
    failed_runs=$((failed_runs + 1))
  fi
}

if [[ -z "${BENCH_SUMMARY_ONLY:-}" ]]; then
  echo "==> machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "==> $(go version)"
  tf="$("${script_dir}/ensure-terraform.sh")"
  echo "==> terraform: ${tf} ($(TF_CLI_CONFIG_FILE="${script_dir}/terraform-test.tfrc" "${tf}" version | head -n1))"
  echo "==> load average before: $(cut -d' ' -f1-3 /proc/loadavg); raw output: ${out_dir}"
  mkdir -p -- "${out_dir}/provider"
  go build -o "${out_dir}/provider/terraform-provider-rediscloud" .
  export TF_BENCH_TERRAFORM="${tf}" TF_BENCH_PROVIDER_BINARY="${out_dir}/provider/terraform-provider-rediscloud"

  bench decode     ./internal/client   BenchmarkDecodeAuditPage  200x
  bench full-read  ./internal/client   BenchmarkFullRead         1x
  bench speedup    ./internal/client   BenchmarkSpeedup          2x
  bench requests   ./internal/client   BenchmarkRequestsPerRead  1x
  bench window     ./internal/client   BenchmarkOneHourWindow    3x
  bench client-mem ./internal/client   BenchmarkPeakMemoryClient 1x
  bench four-runs  ./internal/provider BenchmarkFourRunsOneKey   1x
  bench protocol   ./internal/provider BenchmarkProtocolRead     1x
  bench plan       ./internal/provider BenchmarkTerraformPlan    3x
  bench memory     ./internal/provider BenchmarkPeakMemory       3x
  bench read-mem   ./internal/provider BenchmarkReadMemory       1x
  bench plan-http  ./internal/provider BenchmarkPlanVersusHTTP   "${BENCH_PLAN_RUNS:-5}x"
  echo && echo "==> load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# The targets: what|file|benchmark (without -N)|metric[*scale]|op|limit. A limit that is
# not a number is a metric of the same benchmark; file "lines" counts a directory's
# non-test Go lines instead.
targets() {
  cat <<'EOF'
full read 100k audit @100ms, defaults: max_concurrency 4 vs 1 speed-up|speedup|BenchmarkSpeedup/rtt-100ms|speedup-c4|>=|3.5
full read 100k audit @100ms, defaults: max_concurrency 16 vs 1 speed-up|speedup|BenchmarkSpeedup/rtt-100ms|speedup-c16|>=|8
full read 100k audit @100ms, defaults: longest rate-limit wait, ms|speedup|BenchmarkSpeedup/rtt-100ms|waited-ms|<=|0
full read 100k audit @20ms, defaults: longest rate-limit wait, ms|speedup|BenchmarkSpeedup/rtt-20ms|waited-ms|<=|0
decoding one page of 1000 audit entries, ms|decode|BenchmarkDecodeAuditPage|ns/op*1e-6|<=|15
internal/client non-test Go, lines|lines|internal/client|-|<=|1300
four runs on one key: first request to last / budget bound|four-runs|BenchmarkFourRunsOneKey|span/bound|<=|1.3
four runs on one key: most 429 answers in one run|four-runs|BenchmarkFourRunsOneKey|max-429-per-run|<=|10
one-hour window over 30 days, server-filters/last-hour: requests|window|BenchmarkOneHourWindow/server-filters/last-hour|requests/op|<=|2
one-hour window over 30 days, server-filters/day-15: requests|window|BenchmarkOneHourWindow/server-filters/day-15|requests/op|<=|2
one-hour window over 30 days, server-ignores-filters/last-hour: requests|window|BenchmarkOneHourWindow/server-ignores-filters/last-hour|requests/op|<=|2
provider peak memory, 100k scanned/1k matched vs 1k/1k: ratio|memory|BenchmarkPeakMemory|rss-ratio|<|2
plan peak RSS, max_results = 10: 1,000,000 entries / 100,000|read-mem|BenchmarkReadMemory|ratio-1M/100k|<=|1.25
plan peak RSS, max_results = 10, 1,000,000 entries, MiB|read-mem|BenchmarkReadMemory|1M-keep10-maxrss-MiB|<=|60
plan peak RSS, 100,000 entries all kept, MiB|read-mem|BenchmarkReadMemory|100k-keepall-maxrss-MiB|<=|110
plan, 1,000 entries: provider / http + jsondecode (medians)|plan-http|BenchmarkPlanVersusHTTP|ratio-provider/http|<=|1.3
plan, provider: 10,000 entries / 1,000 entries (medians)|plan-http|BenchmarkPlanVersusHTTP|ratio-10k/1k|<=|10
EOF
  for n in 0 10 1000 1001 2500 10000 100000; do
    for mode in seq c4 c16; do
      echo "requests per read, N = ${n}, ${mode} (bound ceil(N/1000)+1)|requests|BenchmarkRequestsPerRead/n-${n}/${mode}|requests/op|<=|bound/op"
    done
  done
}

echo && echo "================================ targets ================================"
failed_targets=0
while IFS='|' read -r what file name metric op limit; do
  src=""
  [[ "${file}" == lines ]] && src="$(find "${name}" -maxdepth 1 -name '*.go' ! -name '*_test.go' -exec cat -- {} + | wc -l)"
  file="${out_dir}/${file}.txt"
  [[ -f "${file}" ]] || file=/dev/null
  # The figure is the value before its unit on the benchmark's result line.
  awk -v what="${what}" -v name="${name}" -v metric="${metric}" -v op="${op}" -v limit="${limit}" -v v="${src}" '
    BEGIN { scale = 1; if (split(metric, m, "*") == 2) { metric = m[1]; scale = m[2] } }
    { n = $1; sub(/-[0-9]+$/, "", n) }
    n == name { for (i = 3; i <= NF; i++) { if ($i == metric) v = $(i - 1) * scale; if ($i == limit) l = $(i - 1) } }
    END {
      if (limit ~ /^[0-9.]+$/) l = limit + 0
      if (v != "") v += 0
      ok = v != "" && l != "" && (op == ">=" ? v >= l : op == "<=" ? v <= l : v < l)
      f = v == "" ? "(no figure)" : sprintf("%.2f", v); sub(/\.00$/, "", f)
      printf "  %s  %-72s %s (target %s %s)\n", ok ? "PASS" : "FAIL", what, f, op, l == "" ? limit : sprintf("%g", l)
      exit !ok
    }' "${file}" || failed_targets=$((failed_targets + 1))
done < <(targets)

echo
((failed_runs + failed_targets == 0)) || {
  echo "bench: ${failed_targets} target(s) failed, ${failed_runs} benchmark run(s) failed (raw output in ${out_dir})"
  exit 1
}
echo "bench: all targets met (raw output in ${out_dir})"
