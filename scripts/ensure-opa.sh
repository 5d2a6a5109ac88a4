#!/usr/bin/env bash
# Prints the path of an OPA CLI (Open Policy Agent) for `make policy-test`:
#   1. $OPA, when it is set and executable;
#   2. `opa` on PATH;
#   3. <repo>/bin/opa when `bin/opa version` says $OPA_PINNED_VERSION;
#   4. else builds that version there from the Go module proxy (about 45 s on 2 cores with
#      a warm module cache; vendor downloads are not reachable from our machines).
# Only the path goes to stdout (OPA=$(scripts/ensure-opa.sh)); progress goes to stderr.
set -euo pipefail

# The GNUmakefile exports this from OPA_VERSION; the default matches it.
OPA_VERSION="${OPA_PINNED_VERSION:-1.22.4}"

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
pinned="${script_dir}/../bin/opa"

if [[ -n "${OPA:-}" && -x "${OPA}" && ! -d "${OPA}" ]]; then
  printf '%s\n' "${OPA}"
elif on_path="$(command -v opa 2>/dev/null)"; then
  printf '%s\n' "${on_path}"
elif [[ -x "${pinned}" && "$("${pinned}" version 2>/dev/null | sed -n 1p)" == "Version: ${OPA_VERSION}" ]]; then
  printf '%s\n' "$(cd -- "$(dirname -- "${pinned}")" && pwd -P)/opa"
else
  printf 'ensure-opa: no opa on PATH; building OPA %s into bin/opa (about 45 s with a warm module cache)\n' "${OPA_VERSION}" >&2
  start=${SECONDS}
  build_from_module_proxy github.com/open-policy-agent/opa "v${OPA_VERSION}" . "${pinned}"
  printf 'ensure-opa: built in %ss\n' "$((SECONDS - start))" >&2
  printf '%s\n' "$(cd -- "$(dirname -- "${pinned}")" && pwd -P)/opa"
fi
