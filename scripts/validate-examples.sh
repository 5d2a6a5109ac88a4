#!/usr/bin/env bash
# Checks every Terraform example under examples/ the way a user would meet it:
#   1. `terraform fmt -check -recursive examples`;
#   2. `terraform validate` in each directory that holds .tf files, against a freshly
#      built provider (bin/terraform-provider-rediscloud) through a temporary CLI config
#      with dev_overrides, so no `terraform init`, no registry and no credentials.
#
# Each example is validated in a temporary copy, so nothing is written under examples/.
# The documentation snippets (examples/provider, examples/data-sources/*) leave out the
# required_providers block, as registry docs do; the copy gets one so that Terraform
# resolves `rediscloud` to redis-logs/rediscloud rather than hashicorp/rediscloud.
#
# What needs a provider from the registry cannot be validated here (no internet, and
# `terraform validate` needs every required provider installed). One example has such a
# part: examples/with-official-provider uses the official RedisLabs/rediscloud provider in
# official.tf and requires it, under the local name `rediscloud`, in versions.tf. Its copy
# loses both (needs_download below), the output says so, and the rest is validated: that
# still catches a data source of this provider without `provider = redislogs`, which
# Terraform would hand to the missing `rediscloud`.
#
# Usage: scripts/validate-examples.sh   (or `make validate-examples`)
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
cd -- "${repo_root}"

step() { printf '==> %s\n' "$*"; }

tf="$("${script_dir}/ensure-terraform.sh")"

work="$(mktemp -d "${TMPDIR:-/tmp}/validate-examples.XXXXXX")"
trap 'rm -rf -- "${work}"' EXIT

# A CLI config of our own: dev_overrides for this provider, nothing from ~/.terraformrc.
write_dev_overrides "${work}/terraformrc" "${repo_root}/bin"
export TF_CLI_CONFIG_FILE="${work}/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_fmt TF_DATA_DIR TF_WORKSPACE

step "terraform: ${tf} ($("${tf}" version | sed -n 1p))"
step "building the provider into bin/"
go build -o bin/terraform-provider-rediscloud .

# Provider-defined functions (provider::rediscloud::...) need Terraform 1.8+ or OpenTofu
# 1.7+, ephemeral blocks Terraform 1.10+ or OpenTofu 1.11+. An older CLI (such as
# Terraform 1.5.7, the oldest leg of `make testacc-matrix`) cannot even parse a file that
# uses one, so such files are left out of fmt and validate, and the output says which.
cli_version="$(TF_CLI_CONFIG_FILE=/dev/null "${tf}" version | sed -n '1s/^\(Terraform\|OpenTofu\) v\([0-9]*\)\.\([0-9]*\).*/\1 \2 \3/p')"
read -r cli_name cli_major cli_minor <<<"${cli_version:-unknown 0 0}"
# at_least MINOR: the CLI is 1.MINOR or later.
at_least() { ((cli_major > 1 || (cli_major == 1 && cli_minor >= $1))); }
functions_min=8 ephemeral_min=10
[[ "${cli_name}" == OpenTofu ]] && functions_min=7 ephemeral_min=11
left_out=()
if ! at_least "${functions_min}"; then
  mapfile -t -O "${#left_out[@]}" left_out < <(grep -rl --include='*.tf' --exclude-dir=.terraform 'provider::' examples | sort)
  step "${cli_name} ${cli_major}.${cli_minor} has no provider functions: leaving out the files that call one"
fi
if ! at_least "${ephemeral_min}"; then
  mapfile -t -O "${#left_out[@]}" left_out < <(grep -rlE --include='*.tf' --exclude-dir=.terraform '^ephemeral "' examples | sort)
  step "${cli_name} ${cli_major}.${cli_minor} has no ephemeral resources: leaving out the files that declare one"
fi
if ((${#left_out[@]} > 0)); then
  mapfile -t left_out < <(printf '%s\n' "${left_out[@]}" | sort -u)
  printf '    %s\n' "${left_out[@]}"
fi

step "terraform fmt -check -recursive examples"
fmt_root=examples
if ((${#left_out[@]} > 0)); then
  mkdir -p -- "${work}/fmt"
  cp -R -- examples "${work}/fmt/"
  for f in "${left_out[@]}"; do rm -f -- "${work}/fmt/${f}"; done
  fmt_root="${work}/fmt/examples"
fi
if ! "${tf}" fmt -check -recursive -diff "${fmt_root}"; then
  echo "these example files need formatting: run 'terraform fmt -recursive examples'" >&2
  exit 1
fi

# <example directory> → the file in it that uses a provider from the registry; the
# required_providers entry `rediscloud = { ... }` goes from the copy as well.
declare -A needs_download=(
  [examples/with-official-provider]=official.tf
)

failed=()
checked=0
while IFS= read -r dir; do
  rel="${dir#./}"
  copy="${work}/examples/${rel}"
  mkdir -p -- "${copy}"
  cp -- "${dir}"/*.tf "${copy}/"
  for f in "${left_out[@]}"; do
    [[ "$(dirname -- "${f}")" == "${rel}" ]] && rm -f -- "${copy}/$(basename -- "${f}")"
  done
  if ! compgen -G "${copy}/*.tf" >/dev/null; then
    step "skipping ${rel}: every file in it needs a newer CLI"
    continue
  fi
  skipped="${needs_download[${rel}]:-}"
  if [[ -n "${skipped}" ]]; then
    [[ -f "${copy}/${skipped}" ]] || {
      echo "validate-examples: ${rel}/${skipped} is listed in needs_download but does not exist" >&2
      exit 1
    }
    rm -f -- "${copy}/${skipped}"
    # `terraform fmt -check` passed, so the entry is laid out as fmt writes it.
    for f in "${copy}"/*.tf; do
      awk '/^    rediscloud = \{$/ { skip = 1; next } skip && /^    \}$/ { skip = 0; next } !skip' "${f}" >"${f}.tmp"
      mv -f -- "${f}.tmp" "${f}"
    done
    if grep -qs 'RedisLabs/rediscloud' "${copy}"/*.tf; then
      echo "validate-examples: could not take RedisLabs/rediscloud out of the copy of ${rel}" >&2
      exit 1
    fi
  fi
  if ! grep -qs 'required_providers' "${copy}"/*.tf; then
    cat >"${copy}/zz_validate_harness.tf" <<'EOF'
terraform {
  required_providers {
    rediscloud = {
      source = "redis-logs/rediscloud"
    }
  }
}
EOF
  fi
  step "terraform validate ${rel}${skipped:+ (without ${skipped}: it needs a provider from the registry)}"
  # Every command warns that dev_overrides are in effect; show the output in full only
  # when it holds another warning or an error.
  if out="$(cd -- "${copy}" && "${tf}" validate -no-color 2>&1)"; then
    if printf '%s\n' "${out}" | grep -E '^Warning: ' | grep -vqF 'Provider development overrides are in effect'; then
      printf '%s\n' "${out}"
    else
      echo "valid"
    fi
  else
    printf '%s\n' "${out}" >&2
    failed+=("${rel}")
  fi
  checked=$((checked + 1))
done < <(find ./examples -name '*.tf' -not -path '*/.terraform/*' | while IFS= read -r f; do dirname -- "${f}"; done | sort -u)

if ((checked == 0)); then
  echo "no examples found under examples/" >&2
  exit 1
fi
if ((${#failed[@]} > 0)); then
  printf '\nterraform validate failed in:\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
step "all ${checked} example directories are formatted and valid"
