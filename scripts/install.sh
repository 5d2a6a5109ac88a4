#!/usr/bin/env bash
# Installs the provider into a filesystem mirror, so that `terraform init` and `tofu init`
# install it as they install a provider from a registry: a version, a lock file with
# hashes, and no "Provider development overrides are in effect" warning.
#
#   scripts/install.sh [MIRROR]                       (`make install [MIRROR=...]`)
#     Builds the provider for this machine as the release does (CGO_ENABLED=0, -trimpath,
#     -s -w, -X main.version=<scripts/version.sh>) and places the binary in the "unpacked"
#     layout, once per registry host (Terraform and OpenTofu resolve
#     source = "redis-logs/rediscloud" to different hosts):
#       MIRROR/registry.terraform.io/redis-logs/rediscloud/VERSION/OS_ARCH/terraform-provider-rediscloud_vVERSION
#       MIRROR/registry.opentofu.org/redis-logs/rediscloud/VERSION/OS_ARCH/terraform-provider-rediscloud_vVERSION
#
#   scripts/install.sh --from-release DIR [MIRROR]    (`make install RELEASE_DIR=...`)
#     DIR holds a release's terraform-provider-rediscloud_VERSION_SHA256SUMS and some or
#     all of its zips (goreleaser's dist/, or the files of a GitHub release). Every zip
#     present is checked against SHA256SUMS first; on any mismatch nothing is installed.
#     The zips go unchanged into the "packed" layout, once per registry host:
#       MIRROR/registry.terraform.io/redis-logs/rediscloud/terraform-provider-rediscloud_VERSION_OS_ARCH.zip
#       MIRROR/registry.opentofu.org/redis-logs/rediscloud/terraform-provider-rediscloud_VERSION_OS_ARCH.zip
#     Check the signature of SHA256SUMS first (gpg --verify ..._SHA256SUMS.sig) when the
#     files came from elsewhere; this script checks the zips against SHA256SUMS only.
#
# MIRROR defaults to ~/.terraform.d/plugins, the local mirror that Terraform and OpenTofu
# both search without any configuration (as long as the CLI config has no
# provider_installation block of its own). For any other MIRROR, the script writes
# MIRROR/rediscloud.tfrc, a CLI config whose provider_installation block takes
# redis-logs/rediscloud from MIRROR and every other provider from its registry, and prints
# it for TF_CLI_CONFIG_FILE.
#
# Environment: GO (default go). Output: what was installed, and the last line is
# "version=VERSION" (and "cli_config=PATH" before it for a non-default MIRROR), for scripts.
set -euo pipefail

readonly namespace="redis-logs"
readonly type_name="rediscloud"
readonly project="terraform-provider-${type_name}"
readonly hosts=(registry.terraform.io registry.opentofu.org)

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"

log() { printf 'install: %s\n' "$*" >&2; }
die() {
  printf 'install: ERROR: %s\n' "$*" >&2
  exit 1
}

release_dir=""
if [[ "${1:-}" == "--from-release" ]]; then
  [[ $# -ge 2 ]] || die "--from-release needs a directory"
  release_dir="$2"
  shift 2
fi
[[ $# -le 1 ]] || die "usage: $0 [--from-release DIR] [MIRROR]"
default_mirror="${HOME}/.terraform.d/plugins"
mirror="${1:-${default_mirror}}"
mkdir -p -- "${mirror}"
mirror="$(cd -- "${mirror}" && pwd -P)"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d' ' -f1
  else
    shasum -a 256 -- "$1" | cut -d' ' -f1
  fi
}

# place SRC DEST: copy SRC to DEST through a temporary file beside it, so that a CLI
# running at the same time never sees half a file.
place() {
  mkdir -p -- "$(dirname -- "$2")"
  cp -- "$1" "$2.tmp.$$"
  mv -f -- "$2.tmp.$$" "$2"
}

if [[ -z "${release_dir}" ]]; then
  version="$("${script_dir}/version.sh")"
  go="${GO:-go}"
  platform="$("${go}" env GOOS)_$("${go}" env GOARCH)"
  binary="${project}_v${version}"
  build_dir="$(mktemp -d)"
  trap 'rm -rf -- "${build_dir}"' EXIT
  log "building ${binary} for ${platform} (the release's flags, see .goreleaser.yml)"
  (cd -- "${repo_root}" &&
    CGO_ENABLED=0 "${go}" build -trimpath -ldflags "-s -w -X main.version=${version}" \
      -o "${build_dir}/${binary}" .)
  for host in "${hosts[@]}"; do
    dest="${mirror}/${host}/${namespace}/${type_name}/${version}/${platform}/${binary}"
    place "${build_dir}/${binary}" "${dest}"
    chmod 0755 -- "${dest}"
    log "installed ${dest}"
  done
else
  [[ -d "${release_dir}" ]] || die "--from-release ${release_dir}: not a directory"
  shopt -s nullglob
  sums=("${release_dir}"/"${project}"_*_SHA256SUMS)
  shopt -u nullglob
  ((${#sums[@]} == 1)) || die "expected one ${project}_VERSION_SHA256SUMS in ${release_dir}, found ${#sums[@]}"
  sums_file="${sums[0]}"
  version="$(basename -- "${sums_file}")"
  version="${version#"${project}"_}"
  version="${version%_SHA256SUMS}"
  # Check every zip before installing any: a release is installed whole or not at all.
  verified=()
  while read -r want name; do
    name="${name#\*}" # "sha256sum -b" marks binary files with a leading *
    [[ "${name}" == "${project}_${version}_"*.zip ]] || continue
    [[ -f "${release_dir}/${name}" ]] || continue # a release dir may hold only some platforms
    got="$(sha256 "${release_dir}/${name}")"
    [[ "${got}" == "${want}" ]] || die "${name}: SHA-256 ${got} does not match ${want} in $(basename -- "${sums_file}"); nothing installed"
    verified+=("${name}")
  done <"${sums_file}"
  ((${#verified[@]} > 0)) || die "no zip listed in $(basename -- "${sums_file}") is in ${release_dir}"
  for name in "${verified[@]}"; do
    for host in "${hosts[@]}"; do
      dest="${mirror}/${host}/${namespace}/${type_name}/${name}"
      place "${release_dir}/${name}" "${dest}"
      log "installed ${dest} (SHA-256 matches SHA256SUMS)"
    done
  done
fi

source_block="        source  = \"${namespace}/${type_name}\"
        version = \"${version}\""
# Resolved without creating it: a run with another MIRROR (the tests) leaves ~ alone.
default_resolved="${default_mirror}"
[[ -d "${default_mirror}" ]] && default_resolved="$(cd -- "${default_mirror}" && pwd -P)"
if [[ "${mirror}" == "${default_resolved}" ]]; then
  cat >&2 <<EOF

Installed ${namespace}/${type_name} ${version} into
  ${mirror}
which Terraform and OpenTofu search without configuration, unless your CLI config has a
provider_installation block: then add a filesystem_mirror block for that directory to it.
Require the provider at this exact version, then run terraform init (or tofu init):

  terraform {
    required_providers {
      ${type_name} = {
${source_block}
      }
    }
  }
EOF
else
  cli_config="${mirror}/${type_name}.tfrc"
  cat >"${cli_config}.tmp.$$" <<EOF
# Written by scripts/install.sh: take ${namespace}/${type_name} from the filesystem mirror
# ${mirror} (for Terraform and OpenTofu alike), every other provider from its registry.
provider_installation {
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/${namespace}/${type_name}", "registry.opentofu.org/${namespace}/${type_name}"]
  }
  direct {
    exclude = ["registry.terraform.io/${namespace}/${type_name}", "registry.opentofu.org/${namespace}/${type_name}"]
  }
}
EOF
  mv -f -- "${cli_config}.tmp.$$" "${cli_config}"
  cat >&2 <<EOF

Installed ${namespace}/${type_name} ${version} into the mirror ${mirror}.
Point Terraform (or OpenTofu) at its CLI config, require the exact version, and run
terraform init (or tofu init):

  export TF_CLI_CONFIG_FILE=${cli_config}

  terraform {
    required_providers {
      ${type_name} = {
${source_block}
      }
    }
  }
EOF
  printf 'cli_config=%s\n' "${cli_config}"
fi
printf 'version=%s\n' "${version}"
