#!/usr/bin/env bash
# Mutation testing (`make mutation`): runs gremlins (bin/gremlins, installed by
# `make tools-gremlins` at the GNUmakefile's GREMLINS_VERSION) over each package, one
# after another, prints one line per package (killed, lived, not covered, test efficacy,
# mutator coverage, time), and writes the live mutants to mutation/survivors.txt. A
# survivor that mutation/EQUIVALENT.md does not list (by its `file:line:column MUTATOR`)
# is printed as unexplained: add a test that kills it, or explain it there.
#
# Test efficacy is killed / (killed + lived); mutator coverage is (killed + lived) /
# (killed + lived + not covered). Timed-out mutants count in neither (gremlins' rules).
#
# internal/provider is mutated against its tests that run without Terraform: TF_ACC is
# unset, so the acceptance tests skip, and the provider-function tests, which drive the
# Terraform CLI even without TF_ACC (resource.UnitTest), are skipped with -skip.
# Code only those tests reach counts as not covered.
#
# Usage: scripts/mutation.sh [package...]   (default: the four below; `make mutation`)
# A run of some packages replaces only their lines in survivors.txt.
# Environment: GREMLINS (the binary), MUTATION_WORKERS (2), MUTATION_TIMEOUT_COEFFICIENT (4);
# MUTATION_REPORT_ONLY=1 runs nothing and reports the last run's mutation/raw/*.json again.
# Takes about 15 minutes on 2 quiet cores (internal/client about half of it), an hour or more
# when other work shares them (load 15 to 40: client 34 min, logquery 19, provider 10).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
cd -- "${repo_root}"

gremlins="${GREMLINS:-${repo_root}/bin/gremlins}"
workers="${MUTATION_WORKERS:-2}"
coefficient="${MUTATION_TIMEOUT_COEFFICIENT:-4}"
out_dir="${repo_root}/mutation"
raw_dir="${out_dir}/raw" # gremlins' JSON and log per package (git-ignored)
survivors="${out_dir}/survivors.txt"
equivalent="${out_dir}/EQUIVALENT.md"
# Tests of internal/provider that need the Terraform CLI whatever TF_ACC says.
provider_skip='^TestAccFunction'

packages=()
for pkg in "${@:-internal/logquery internal/client internal/validators internal/provider}"; do
  for p in ${pkg}; do
    p="${p#./}"
    packages+=("${p%/}")
  done
done
report_only="${MUTATION_REPORT_ONLY:-}"
if [[ -z "${report_only}" && ! -x "${gremlins}" ]]; then
  echo "mutation: ${gremlins} not found; run 'make tools-gremlins' (or 'make mutation')" >&2
  exit 2
fi
mkdir -p -- "${raw_dir}"

failed=0
rows=()
for pkg in "${packages[@]}"; do
  name="${pkg//\//_}"
  json="${raw_dir}/${name}.json"
  log="${raw_dir}/${name}.log"
  goflags="${GOFLAGS:-}"
  if [[ "${pkg}" == internal/provider ]]; then
    goflags="${goflags:+${goflags} }-skip=${provider_skip}"
  fi
  if [[ -n "${report_only}" ]]; then
    if [[ ! -s "${json}" ]]; then
      echo "mutation: no earlier run of ${pkg} (${json})" >&2
      failed=1
      continue
    fi
    printf '==> %s: the run of %s\n' "${pkg}" "$(date -u -r "${json}" +%Y-%m-%dT%H:%M:%SZ)"
  else
    printf '==> [%s] gremlins unleash --workers %s --timeout-coefficient %s ./%s\n' \
      "$(date -u +%H:%M:%S)" "${workers}" "${coefficient}" "${pkg}"
    rm -f -- "${json}"
  fi
  if [[ -z "${report_only}" ]] && ! env -u TF_ACC GOFLAGS="${goflags}" "${gremlins}" unleash --workers "${workers}" \
    --timeout-coefficient "${coefficient}" -o "${json}" "./${pkg}" >"${log}" 2>&1 || [[ ! -s "${json}" ]]; then
    echo "mutation: gremlins failed on ${pkg}; its output (${log}) ends with:" >&2
    tail -n 20 -- "${log}" >&2
    failed=1
    continue
  fi
  row="$(jq -r --arg pkg "${pkg}" '
    ([.files[].mutations[] | select(.status == "TIMED OUT")] | length) as $timed
    | ([.files[].mutations[] | select(.status == "NOT VIABLE")] | length) as $notviable
    | "| \($pkg) | \(.mutants_killed) | \(.mutants_lived) | \(.mutants_not_covered) | \($timed) | \($notviable) | \(.test_efficacy * 10 | round / 10)% | \(.mutations_coverage * 10 | round / 10)% | \(.elapsed_time / 6 | round / 10) min |"' "${json}")"
  rows+=("${row}")

  # The figures and the survivors of this package replace those of its last run:
  # "#| package | ..." and "path:line:column MUTATOR | the source line".
  {
    if [[ -f "${survivors}" ]]; then
      grep -v -e "^${pkg}/" -e "^#| ${pkg} |" -e '^# ' -- "${survivors}" || true
    fi
    echo "#${row} $(date -u -r "${json}" +%Y-%m-%d) |"
    jq -r --arg pkg "${pkg}" '.files[] | .file_name as $f | .mutations[] | select(.status == "LIVED")
      | "\($pkg)/\($f | sub(".*/"; "")):\(.line):\(.column) \(.type)"' "${json}" |
      while read -r position type; do
        file="${position%%:*}"
        line="$(cut -d: -f2 <<<"${position}")"
        printf '%s %s | %s\n' "${position}" "${type}" "$(sed -n "${line}p" -- "${file}" | sed 's/^[[:space:]]*//')"
      done
  } | sort -t: -k1,1 -k2,2n -k3,3n >"${survivors}.new"
  {
    echo "# The last 'make mutation' (scripts/mutation.sh) of each package: its figures, then its live"
    echo "# mutants (path:line:column MUTATOR | source line); EQUIVALENT.md explains those that cannot"
    echo "# change behaviour. Commit this file as a run leaves it: its diff shows what a change did."
    echo "#| package | killed | lived | not covered | timed out | not viable | test efficacy | mutator coverage | time | run |"
    grep '^#|' -- "${survivors}.new" | grep -v '^#| package |' | sort || true
    grep -v '^#' -- "${survivors}.new" || true
  } >"${survivors}"
  rm -f -- "${survivors}.new"
done

echo
echo "| package | killed | lived | not covered | timed out | not viable | test efficacy | mutator coverage | time |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo

# Survivors of the packages run now that EQUIVALENT.md does not explain.
unexplained=0
if [[ -f "${survivors}" ]]; then
  while IFS= read -r s; do
    key="${s%% | *}" # path:line:column MUTATOR
    if ! grep -qF -- "\`${key}\`" "${equivalent}" 2>/dev/null; then
      [[ ${unexplained} -eq 0 ]] && echo "Live mutants not explained in ${equivalent#"${repo_root}/"}:"
      echo "  ${s}"
      unexplained=$((unexplained + 1))
    fi
  done < <(grep -v '^#' -- "${survivors}" | grep -E "^($(IFS='|'; echo "${packages[*]}" | sed 's/[.]/\\./g'))/" || true)
fi
echo "survivors: ${survivors#"${repo_root}/"} ($(grep -vc '^#' -- "${survivors}" 2>/dev/null || true) live); unexplained: ${unexplained}"
exit "${failed}"
