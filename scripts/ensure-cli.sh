#!/usr/bin/env bash
# ensure-cli.sh terraform|terraform-oldest|tofu: prints the path of a CLI for the
# acceptance tests, the docs, the examples and the demo.
#   terraform: $TF_ACC_TERRAFORM_PATH when it is executable, else `terraform` on PATH, else
#     OpenTofu (as `tofu` below): on a machine without terraform, the CLI that runs every
#     feature of the provider (functions need Terraform 1.8 or OpenTofu 1.7, ephemeral
#     resources Terraform 1.10 or OpenTofu 1.11; Terraform releases after 1.5.7 do not build
#     from the module proxy, and 1.5.7 has neither). A caller that hands the path to
#     terraform-plugin-testing must say when it is OpenTofu (TF_ACC_PROVIDER_HOST).
#   terraform-oldest: bin/terraform-$TERRAFORM_PINNED_VERSION (1.5.7, the last MPL-licensed
#     release), installed with `go install` when missing (about 5 minutes on 2 cores): the
#     oldest leg of `make testacc-matrix`.
#   tofu: $TOFU, else `tofu` on PATH, else bin/tofu-$TOFU_PINNED_VERSION, built inside its
#     module directory when missing (its go.mod has replace directives, which `go install`
#     refuses; about 3 minutes).
# Vendor binary downloads are not reachable from our machines; the Go module proxy is.
# Only the path goes to stdout (TF=$(scripts/ensure-cli.sh terraform)); progress goes to
# stderr. Works from any working directory. The GNUmakefile exports the pinned versions.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
bin_dir="$(cd -- "${script_dir}/.." && pwd -P)/bin"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
log() { printf 'ensure-cli: %s\n' "$*" >&2; }

rc=0
case "${1:-}" in
  terraform)
    find_cli terraform TF_ACC_TERRAFORM_PATH "" 2>/dev/null && exit 0
    log "no terraform on PATH: using OpenTofu, which runs every feature"
    exec "$0" tofu
    ;;
  terraform-oldest)
    pinned="${bin_dir}/terraform-${TERRAFORM_PINNED_VERSION:-1.5.7}"
    [[ -x "${pinned}" ]] && { printf '%s\n' "${pinned}"; exit 0; }
    log "building Terraform ${pinned##*-} (the oldest supported release) into ${pinned}; about 5 minutes on 2 cores"
    start=${SECONDS}
    gobin="$(mktemp -d)"
    trap 'rm -rf -- "${gobin}"' EXIT
    GOBIN="${gobin}" go install "github.com/hashicorp/terraform@v${pinned##*-}" >&2
    mkdir -p -- "${bin_dir}"
    mv -f -- "${gobin}/terraform" "${pinned}.tmp.$$" && mv -f -- "${pinned}.tmp.$$" "${pinned}"
    ;;
  tofu)
    pinned="${bin_dir}/tofu-${TOFU_PINNED_VERSION:-1.12.6}"
    find_cli tofu TOFU "${pinned}" || rc=$?
    ((rc == 1)) || exit "${rc}"
    log "no tofu on PATH; building OpenTofu ${pinned##*-} into ${pinned}; about 3 minutes on 2 cores"
    start=${SECONDS}
    build_from_module_proxy github.com/opentofu/opentofu "v${pinned##*-}" ./cmd/tofu "${pinned}" \
      -ldflags "-X github.com/opentofu/opentofu/version.dev=no"
    ;;
  *)
    echo "usage: $0 terraform|terraform-oldest|tofu" >&2
    exit 2
    ;;
esac
log "built ${pinned} in $((SECONDS - start))s"
printf '%s\n' "${pinned}"
