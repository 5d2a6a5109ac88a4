#!/usr/bin/env bash
# ensure-cli.sh terraform|tofu: prints the path of a Terraform or OpenTofu CLI for the
# acceptance tests, the docs and the demo. For terraform: $TF_ACC_TERRAFORM_PATH when it
# is executable, else `terraform` on PATH, else bin/terraform-$TERRAFORM_PINNED_VERSION
# (1.5.7, the last MPL-licensed release), installed with `go install` when it is not
# there yet (about 5 minutes on 2 cores). For tofu: $TOFU, else `tofu` on PATH, else
# bin/tofu-$TOFU_PINNED_VERSION, built inside its module directory (OpenTofu's go.mod has
# replace directives, which `go install` refuses; about 3 minutes). Vendor binary
# downloads are not reachable from our machines; the Go module proxy is.
#
# Only the path goes to stdout (TF=$(scripts/ensure-cli.sh terraform)); progress goes to
# stderr. Works from any working directory. The GNUmakefile exports the pinned versions.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
bin_dir="$(cd -- "${script_dir}/.." && pwd -P)/bin"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"

case "${1:-}" in
  terraform) version="${TERRAFORM_PINNED_VERSION:-1.5.7}" var=TF_ACC_TERRAFORM_PATH ;;
  tofu) version="${TOFU_PINNED_VERSION:-1.12.6}" var=TOFU ;;
  *) echo "usage: $0 terraform|tofu" >&2; exit 2 ;;
esac
name="$1"
pinned="${bin_dir}/${name}-${version}"

rc=0
find_cli "${name}" "${var}" "${pinned}" || rc=$?
((rc == 1)) || exit "${rc}"

printf 'ensure-cli: no %s on PATH; building %s %s into %s (a few minutes on 2 cores)\n' \
  "${name}" "${name}" "${version}" "${pinned}" >&2
start=${SECONDS}
if [[ "${name}" == tofu ]]; then
  build_from_module_proxy github.com/opentofu/opentofu "v${version}" ./cmd/tofu "${pinned}" \
    -ldflags "-X github.com/opentofu/opentofu/version.dev=no"
else
  gobin="$(mktemp -d)"
  trap 'rm -rf -- "${gobin}"' EXIT
  GOBIN="${gobin}" go install "github.com/hashicorp/terraform@v${version}" >&2
  mkdir -p -- "${bin_dir}"
  mv -f -- "${gobin}/terraform" "${pinned}.tmp.$$" && mv -f -- "${pinned}.tmp.$$" "${pinned}"
fi
printf 'ensure-cli: built %s in %ss\n' "${pinned}" "$((SECONDS - start))" >&2
printf '%s\n' "${pinned}"
