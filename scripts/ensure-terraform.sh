#!/usr/bin/env bash
# Prints the path of a Terraform CLI for acceptance tests, docs generation and the demo.
#
# Order of preference:
#   1. $TF_ACC_TERRAFORM_PATH, when it is set and executable;
#   2. `terraform` on PATH;
#   3. <repo>/bin/terraform-$TERRAFORM_PINNED_VERSION, built earlier by this script or by
#      `make testacc-matrix`;
#   4. build that binary from source with the Go module proxy (vendor binary downloads are
#      not reachable from our machines). 1.5.7 is the last MPL-licensed release.
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

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  if [[ -x "${TF_ACC_TERRAFORM_PATH}" && ! -d "${TF_ACC_TERRAFORM_PATH}" ]]; then
    printf '%s\n' "${TF_ACC_TERRAFORM_PATH}"
    exit 0
  fi
  log "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file; looking elsewhere"
fi

if on_path="$(command -v terraform 2>/dev/null)" && [[ -n "${on_path}" ]]; then
  printf '%s\n' "${on_path}"
  exit 0
fi

if [[ -x "${pinned}" ]]; then
  printf '%s\n' "${pinned}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no terraform found and no Go toolchain to build one with"
  exit 1
fi

log "no terraform on PATH; building Terraform ${TERRAFORM_VERSION} from source into ${pinned}"
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
