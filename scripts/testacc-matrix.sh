#!/usr/bin/env bash
# `make testacc-matrix`: the acceptance tests (internal/provider, TF_ACC=1) once per CLI:
# Terraform $TERRAFORM_PINNED_VERSION, the oldest supported (bin/, built when missing);
# the terraform on PATH when it is another version; OpenTofu (scripts/ensure-tofu.sh).
# Prints PASS or FAIL per leg and exits non-zero when a leg fails or has no CLI.
# OpenTofu refuses the provider address terraform-plugin-testing uses by default (legacy
# "-" namespace), so its leg sets TF_ACC_PROVIDER_HOST and TF_ACC_PROVIDER_NAMESPACE.
# MATRIX_RUN=<regexp> passes -run to go test.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
cd -- "${script_dir}/.."
export TF_CLI_CONFIG_FILE="${script_dir}/terraform-test.tfrc" CHECKPOINT_DISABLE=1
# With TF_ACC_TERRAFORM_VERSION set, terraform-plugin-testing would download a CLI.
unset TF_ACC_TERRAFORM_VERSION TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE

summary=() failed=0
legs=()
if oldest="$("${script_dir}/ensure-cli.sh" terraform-oldest)"; then legs+=("${oldest}"); else summary+=("FAIL  terraform ${TERRAFORM_PINNED_VERSION:-1.5.7}: could not be built"); failed=1; fi
newest="$(command -v terraform || true)"
if [[ -n "${newest}" && "$("${newest}" version | sed -n 1p)" != "$("${oldest:-/bin/false}" version 2>/dev/null | sed -n 1p)" ]]; then
  legs+=("${newest}")
else
  echo "==> no terraform on PATH other than the oldest: that leg is left out"
fi
if tofu="$("${script_dir}/ensure-tofu.sh")"; then legs+=("${tofu}"); else summary+=("FAIL  opentofu: none on PATH and the build failed"); failed=1; fi

args=(./internal/provider/ -count=1 -timeout "${TEST_TIMEOUT:-40m}" ${MATRIX_RUN:+-run "${MATRIX_RUN}"})
for cli in "${legs[@]}"; do
  version="$("${cli}" version | sed -n 1p)"
  env_extra=()
  [[ "${version}" != OpenTofu* ]] || env_extra=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp)
  printf '\n==> [%s] acceptance tests with %s (%s)\n    TF_ACC=1 TF_ACC_TERRAFORM_PATH=%s %s go test %s\n' \
    "$(date -u +%H:%M:%S)" "${version}" "${cli}" "${cli}" "${env_extra[*]}" "${args[*]}"
  start=${SECONDS} verdict=PASS
  env TF_ACC=1 TF_ACC_TERRAFORM_PATH="${cli}" "${env_extra[@]}" go test "${args[@]}" || { verdict=FAIL; failed=1; }
  summary+=("$(printf '%s  %-18s %5ss  %s' "${verdict}" "${version}" "$((SECONDS - start))" "${cli}")")
done

printf '\n==> matrix summary (acceptance tests, internal/provider%s):\n' "${MATRIX_RUN:+, -run ${MATRIX_RUN}}"
printf '    %s\n' "${summary[@]}"
exit "${failed}"
