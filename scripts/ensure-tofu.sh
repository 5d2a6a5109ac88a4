#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI for the acceptance tests (`make testacc-matrix`) and
# the demo (`TF_CLI=tofu make demo`).
#
# Order of preference:
#   1. $TOFU, when it is set and executable;
#   2. `tofu` on PATH;
#   3. <repo>/bin/tofu-$TOFU_PINNED_VERSION, built earlier by this script;
#   4. build that binary from source with the Go module proxy (vendor binary downloads are
#      not reachable from our machines).
#
# OpenTofu cannot be `go install`ed: its go.mod has replace directives, which `go install
# module@version` refuses. It builds inside its own module directory, where they apply,
# so this script downloads the module (`go mod download`) and runs `go build ./cmd/tofu`
# there. About 3 minutes on 2 cores with a cold Go cache.
#
# Only the path goes to stdout, so callers can write TOFU=$(scripts/ensure-tofu.sh).
# Progress messages go to stderr. Works from any working directory.
set -euo pipefail

# The GNUmakefile exports this from TOFU_MATRIX_VERSION; the default matches it.
TOFU_VERSION="${TOFU_PINNED_VERSION:-1.12.6}"

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
pinned="${repo_root}/bin/tofu-${TOFU_VERSION}"

log() { printf 'ensure-tofu: %s\n' "$*" >&2; }

if [[ -n "${TOFU:-}" ]]; then
  if [[ -x "${TOFU}" && ! -d "${TOFU}" ]]; then
    printf '%s\n' "${TOFU}"
    exit 0
  fi
  log "TOFU=${TOFU} is not an executable file; looking elsewhere"
fi

if on_path="$(command -v tofu 2>/dev/null)" && [[ -n "${on_path}" ]]; then
  printf '%s\n' "${on_path}"
  exit 0
fi

if [[ -x "${pinned}" ]]; then
  printf '%s\n' "${pinned}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no tofu found and no Go toolchain to build one with"
  exit 1
fi

log "no tofu on PATH; building OpenTofu ${TOFU_VERSION} from source into ${pinned}"
log "this takes about 3 minutes on 2 cores with a cold Go cache"
start=${SECONDS}
# -json prints the module's directory in the module cache (read-only files; the build
# writes nothing there, its output goes to a temporary directory beside the target).
module_dir="$(go mod download -json "github.com/opentofu/opentofu@v${TOFU_VERSION}" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "${module_dir}" || ! -d "${module_dir}" ]]; then
  log "go mod download github.com/opentofu/opentofu@v${TOFU_VERSION} gave no module directory"
  exit 1
fi
mkdir -p -- "${repo_root}/bin"
tmp="$(mktemp -d "${repo_root}/bin/.tofu-build.XXXXXX")"
trap 'rm -rf -- "${tmp}"' EXIT
# GOFLAGS=-mod=mod: the module zip has no vendor directory, and its go.sum may lack
# entries that the build wants to record. GOWORK=off: a go.work elsewhere must not apply.
(cd -- "${module_dir}" &&
  GOWORK=off GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-X github.com/opentofu/opentofu/version.dev=no" \
    -o "${tmp}/tofu" ./cmd/tofu) >&2
# Move into place atomically so a concurrent caller never sees a half-written binary.
mv -f -- "${tmp}/tofu" "${pinned}"
log "built ${pinned} in $((SECONDS - start))s"
printf '%s\n' "${pinned}"
