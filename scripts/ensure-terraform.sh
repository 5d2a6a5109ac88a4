#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI for acceptance tests, docs generation,
# the examples and the demo.
#
# Order of preference:
#   1. $TF_ACC_TERRAFORM_PATH, when it is set and executable;
#   2. `terraform` on PATH;
#   3. OpenTofu, through scripts/ensure-tofu.sh (the `tofu` on PATH, else
#      bin/tofu-$TOFU_PINNED_VERSION, built from the Go module proxy in a few minutes when
#      missing): on a machine without terraform, the CLI that runs every feature of the
#      provider (provider functions need Terraform 1.8 or OpenTofu 1.7, ephemeral
#      resources Terraform 1.10 or OpenTofu 1.11). Terraform releases after 1.5.7 do not
#      build from the module proxy, and 1.5.7 has neither.
#
# With --oldest it prints <repo>/bin/terraform-$TERRAFORM_PINNED_VERSION instead, building
# it from source with the Go module proxy when missing (vendor binary downloads are not
# reachable from our machines; 1.5.7 is the last MPL-licensed release): the oldest leg of
# `make testacc-matrix`.
#
# A caller that hands the path to terraform-plugin-testing must tell it when the CLI is
# OpenTofu (TF_ACC_PROVIDER_HOST, see scripts/testacc-matrix.sh).
#
# Only the path goes to stdout, so callers can write TF=$(scripts/ensure-terraform.sh).
# Progress messages go to stderr. Works from any working directory.
set -euo pipefail

# The GNUmakefile exports this from TERRAFORM_MATRIX_VERSION; the default matches it.
TERRAFORM_VERSION="${TERRAFORM_PINNED_VERSION:-1.5.7}"

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
pinned="${repo_root}/bin/terraform-${TERRAFORM_VERSION}"

log() { printf 'ensure-terraform: %s\n' "$*" >&2; }

oldest=0
case "${1:-}" in
  --oldest) oldest=1 ;;
  "") ;;
  *)
    log "unknown argument $1 (expected none, or --oldest)"
    exit 2
    ;;
esac

if ((oldest)); then
  :
elif [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  if [[ -x "${TF_ACC_TERRAFORM_PATH}" && ! -d "${TF_ACC_TERRAFORM_PATH}" ]]; then
    printf '%s\n' "${TF_ACC_TERRAFORM_PATH}"
    exit 0
  fi
  log "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file; looking elsewhere"
fi

if ((!oldest)); then
  if on_path="$(command -v terraform 2>/dev/null)" && [[ -n "${on_path}" ]]; then
    printf '%s\n' "${on_path}"
    exit 0
  fi
  log "no terraform on PATH: using OpenTofu (scripts/ensure-tofu.sh), which runs every feature"
  exec "${script_dir}/ensure-tofu.sh"
fi

if [[ -x "${pinned}" ]]; then
  printf '%s\n' "${pinned}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no terraform found and no Go toolchain to build one with"
  exit 1
fi

log "building Terraform ${TERRAFORM_VERSION} (the oldest supported release) from source into ${pinned}"
log "this takes about 5 minutes on 2 cores"
gobin="$(mktemp -d)"
trap 'rm -rf -- "${gobin}"' EXIT
start=${SECONDS}
GOBIN="${gobin}" \
  go install "github.com/hashicorp/terraform@v${TERRAFORM_VERSION}" >&2
mkdir -p -- "${repo_root}/bin"
# Move into place atomically so a concurrent caller never sees a half-written binary.
mv -f -- "${gobin}/terraform" "${pinned}.tmp.$$"
mv -f -- "${pinned}.tmp.$$" "${pinned}"
log "built ${pinned} in $((SECONDS - start))s"
printf '%s\n' "${pinned}"
