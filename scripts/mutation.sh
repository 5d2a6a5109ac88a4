#!/usr/bin/env bash
# `make mutation`: gremlins (bin/gremlins, `make tools-gremlins`) over each package in turn;
# prints a line per package and writes the live mutants to mutation/survivors.txt, naming
# any that mutation/EQUIVALENT.md does not explain (by `file:line:column MUTATOR`).
# Test efficacy is killed / (killed + lived), mutator coverage (killed + lived) / (killed +
# lived + not covered); timed-out mutants count in neither (gremlins' rules).
# internal/provider is mutated against its tests that need no Terraform CLI: TF_ACC is
# unset and the provider-function tests (resource.UnitTest drives the CLI) are skipped.
# Usage: scripts/mutation.sh [package...] (a run replaces only its packages' lines).
# GREMLINS, MUTATION_WORKERS (2), MUTATION_TIMEOUT_COEFFICIENT (4); MUTATION_REPORT_ONLY=1
# reports the last run's mutation/raw/*.json again. About 15 minutes on 2 quiet cores.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
gremlins="${GREMLINS:-${PWD}/bin/gremlins}"
raw_dir=mutation/raw survivors=mutation/survivors.txt equivalent=mutation/EQUIVALENT.md
read -r -a packages <<<"${*:-internal/logquery internal/client internal/validators internal/provider}"
packages=("${packages[@]#./}") && packages=("${packages[@]%/}")
report_only="${MUTATION_REPORT_ONLY:-}"
[[ -n "${report_only}" || -x "${gremlins}" ]] || { echo "mutation: no ${gremlins}; run 'make tools-gremlins' (or 'make mutation')" >&2; exit 2; }
mkdir -p -- "${raw_dir}"

failed=0 rows=()
for pkg in "${packages[@]}"; do
  json="${raw_dir}/${pkg//\//_}.json" log="${raw_dir}/${pkg//\//_}.log"
  if [[ -n "${report_only}" ]]; then
    [[ -s "${json}" ]] || { echo "mutation: no earlier run of ${pkg} (${json})" >&2; failed=1; continue; }
    printf '==> %s: the run of %s\n' "${pkg}" "$(date -u -r "${json}" +%Y-%m-%dT%H:%M:%SZ)"
  else
    printf '==> [%s] gremlins unleash ./%s\n' "$(date -u +%H:%M:%S)" "${pkg}"
    rm -f -- "${json}"
    goflags="${GOFLAGS:-}"
    [[ "${pkg}" != internal/provider ]] || goflags+=" -skip=^TestAccFunction"
    if ! env -u TF_ACC GOFLAGS="${goflags# }" "${gremlins}" unleash --workers "${MUTATION_WORKERS:-2}" \
      --timeout-coefficient "${MUTATION_TIMEOUT_COEFFICIENT:-4}" -o "${json}" "./${pkg}" >"${log}" 2>&1 || [[ ! -s "${json}" ]]; then
      echo "mutation: gremlins failed on ${pkg}; its output (${log}) ends with:" >&2
      tail -n 20 -- "${log}" >&2
      failed=1
      continue
    fi
  fi
  row="$(jq -r --arg pkg "${pkg}" '[.files[].mutations[].status] as $s
    | "| \($pkg) | \(.mutants_killed) | \(.mutants_lived) | \(.mutants_not_covered) | \($s | map(select(. == "TIMED OUT")) | length) | \($s | map(select(. == "NOT VIABLE")) | length) | \(.test_efficacy * 10 | round / 10)% | \(.mutations_coverage * 10 | round / 10)% | \(.elapsed_time / 6 | round / 10) min |"' "${json}")"
  rows+=("${row}")
  # This package's figures and live mutants (path:line:column MUTATOR | source line)
  # replace its earlier ones; the other packages' stay.
  {
    [[ ! -f "${survivors}" ]] || grep -v -e "^${pkg}/" -e "^#| ${pkg} |" -e '^# ' -e '^#| package |' -- "${survivors}" || true
    echo "#${row} $(date -u -r "${json}" +%Y-%m-%d) |"
    jq -r --arg pkg "${pkg}" '.files[] | .file_name as $f | .mutations[] | select(.status == "LIVED")
      | "\($pkg)/\($f | sub(".*/"; "")) \(.line) \(.column) \(.type)"' "${json}" |
      while read -r file line column type; do
        printf '%s:%s:%s %s | %s\n' "${file}" "${line}" "${column}" "${type}" "$(sed -n "${line}p" -- "${file}" | sed 's/^[[:space:]]*//')"
      done
  } >"${survivors}.new"
  {
    echo "# The last 'make mutation' (scripts/mutation.sh) of each package: its figures, then its live"
    echo "# mutants (path:line:column MUTATOR | source line); EQUIVALENT.md explains those that cannot"
    echo "# change behaviour. Commit this file as a run leaves it: its diff shows what a change did."
    echo "#| package | killed | lived | not covered | timed out | not viable | test efficacy | mutator coverage | time | run |"
    grep '^#|' -- "${survivors}.new" | sort || true
    grep -v '^#' -- "${survivors}.new" | sort -t: -k1,1 -k2,2n -k3,3n || true
  } >"${survivors}"
  rm -f -- "${survivors}.new"
done

printf '\n| package | killed | lived | not covered | timed out | not viable | test efficacy | mutator coverage | time |\n|---|---|---|---|---|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
unexplained=0
while IFS= read -r s; do
  grep -qF -- "\`${s%% | *}\`" "${equivalent}" 2>/dev/null && continue
  ((unexplained++ > 0)) || echo "Live mutants not explained in ${equivalent}:"
  echo "  ${s}"
done < <(grep -v '^#' -- "${survivors}" 2>/dev/null | grep -E "^($(IFS='|'; echo "${packages[*]//./\\.}"))/" || true)
echo "survivors: ${survivors} ($(grep -vc '^#' -- "${survivors}" 2>/dev/null || true) live); unexplained: ${unexplained}"
exit "${failed}"
