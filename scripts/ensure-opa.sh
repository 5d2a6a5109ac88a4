#!/usr/bin/env bash
# Prints the path of an OPA CLI for the policy tests (make policy-test, make test): $OPA,
# else the opa on PATH, else bin/opa at $OPA_PINNED_VERSION (the GNUmakefile's), built
# from the Go module proxy when missing or of another version (about 45 s, warm cache).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
version="${OPA_PINNED_VERSION:-1.22.4}"
pinned="$(cd -- "${script_dir}/.." && pwd -P)/bin/opa"
[[ ! -x "${pinned}" || "$("${pinned}" version 2>/dev/null | sed -n 1p)" == "Version: ${version}" ]] || rm -f -- "${pinned}"
rc=0
find_cli opa OPA "${pinned}" || rc=$?
((rc == 1)) || exit "${rc}"
printf 'ensure-opa: building OPA %s into bin/opa (about 45 s with a warm module cache)\n' "${version}" >&2
build_from_module_proxy github.com/open-policy-agent/opa "v${version}" . "${pinned}"
printf '%s\n' "${pinned}"
