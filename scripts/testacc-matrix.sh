#!/usr/bin/env bash
# Runs the acceptance tests (internal/provider, TF_ACC=1) once per CLI of the matrix
# (`make testacc-matrix`):
#   1. Terraform $TERRAFORM_PINNED_VERSION (bin/terraform-<version>, built from source by
#      scripts/ensure-terraform.sh --oldest when missing): the oldest supported release;
#   2. the newest `terraform` on PATH, when it is another version;
#   3. OpenTofu: the `tofu` on PATH, else OpenTofu $TOFU_PINNED_VERSION built into bin/
#      (scripts/ensure-tofu.sh).
# and prints one summary line per leg: PASS or FAIL, the CLI and its version, the time.
# Exits non-zero when a leg fails or its CLI cannot be found or built.
#
# OpenTofu needs two variables that Terraform does not: terraform-plugin-testing names
# the in-process provider registry.terraform.io/<namespace>/rediscloud by default, and
# `tofu init` refuses that address with the legacy "-" namespace ("The legacy provider
# namespace "-" can be used only with hostname registry.opentofu.org"). The tofu leg sets
# TF_ACC_PROVIDER_HOST=registry.opentofu.org and TF_ACC_PROVIDER_NAMESPACE=hashicorp.
#
# MATRIX_RUN=<regexp> passes -run to go test (for example MATRIX_RUN=TestAccProvider_).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
cd -- "${repo_root}"

TERRAFORM_VERSION="${TERRAFORM_PINNED_VERSION:-1.5.7}"
timeout="${TEST_TIMEOUT:-40m}"
export TF_CLI_CONFIG_FILE="${script_dir}/terraform-test.tfrc"
export CHECKPOINT_DISABLE=1
# With TF_ACC_TERRAFORM_VERSION set, terraform-plugin-testing would download a CLI.
unset TF_ACC_TERRAFORM_VERSION TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE

# cli_version BINARY: "terraform 1.5.7" or "opentofu 1.12.6", from the first line of
# `version` ("Terraform v1.5.7", "OpenTofu v1.12.6"). `version -json` will not do: OpenTofu
# names its version "terraform_version" there too.
cli_version() {
  local first
  first="$("$1" version 2>/dev/null | head -n1)" || return 1
  case "${first}" in
    "Terraform v"*) printf 'terraform %s\n' "${first#Terraform v}" ;;
    "OpenTofu v"*) printf 'opentofu %s\n' "${first#OpenTofu v}" ;;
    *) return 1 ;;
  esac
}

# --- the legs ------------------------------------------------------------------------------
legs=()   # "<kind>|<binary>": kind is terraform or tofu
summary=()
failed=0

pinned="${repo_root}/bin/terraform-${TERRAFORM_VERSION}"
if [[ ! -x "${pinned}" ]]; then
  echo "==> building Terraform ${TERRAFORM_VERSION} into bin/ (about 5 minutes on 2 cores)"
  if ! TERRAFORM_PINNED_VERSION="${TERRAFORM_VERSION}" "${script_dir}/ensure-terraform.sh" --oldest >/dev/null; then
    summary+=("FAIL  terraform ${TERRAFORM_VERSION}: could not be built")
    failed=1
  fi
fi
[[ -x "${pinned}" ]] && legs+=("terraform|${pinned}")

newest="" newest_version=""
while IFS= read -r candidate; do
  v="$(cli_version "${candidate}" || true)"
  [[ "${v}" == terraform\ * ]] || continue
  v="${v#terraform }"
  if [[ -z "${newest_version}" || "$(printf '%s\n%s\n' "${newest_version}" "${v}" | sort -V | tail -n1)" != "${newest_version}" ]]; then
    newest="${candidate}" newest_version="${v}"
  fi
done < <(type -ap terraform || true)
if [[ -n "${newest}" && "${newest_version}" != "${TERRAFORM_VERSION}" ]]; then
  legs+=("terraform|${newest}")
else
  echo "==> no terraform on PATH other than ${TERRAFORM_VERSION}: that leg is left out"
fi

if tofu="$("${script_dir}/ensure-tofu.sh")"; then
  legs+=("tofu|${tofu}")
else
  summary+=("FAIL  opentofu: no tofu on PATH and the build failed")
  failed=1
fi

# --- the runs ------------------------------------------------------------------------------
for leg in "${legs[@]}"; do
  kind="${leg%%|*}" cli="${leg#*|}"
  version="$(cli_version "${cli}" || echo "${kind} (unknown version)")"
  env_extra=()
  if [[ "${kind}" == tofu ]]; then
    env_extra=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp)
  fi
  args=(./internal/provider/ -count=1 -timeout "${timeout}")
  [[ -n "${MATRIX_RUN:-}" ]] && args+=(-run "${MATRIX_RUN}")
  echo
  echo "==> [$(date -u +%H:%M:%S)] acceptance tests with ${version} (${cli})"
  echo "    TF_ACC=1 TF_ACC_TERRAFORM_PATH=${cli} ${env_extra[*]} go test ${args[*]}"
  start=${SECONDS}
  if env TF_ACC=1 TF_ACC_TERRAFORM_PATH="${cli}" "${env_extra[@]}" go test "${args[@]}"; then
    verdict=PASS
  else
    verdict=FAIL
    failed=1
  fi
  summary+=("$(printf '%s  %-18s %5ss  %s' "${verdict}" "${version}" "$((SECONDS - start))" "${cli}")")
done

echo
echo "==> matrix summary (acceptance tests, internal/provider${MATRIX_RUN:+, -run ${MATRIX_RUN}}):"
printf '    %s\n' "${summary[@]}"
exit "${failed}"
