#!/usr/bin/env bash
# Installs the provider into a filesystem mirror, so that `terraform init` and `tofu init`
# install it as they install one from a registry: a version, a lock file with hashes, and
# no "Provider development overrides are in effect" warning.
#
#   scripts/install.sh [MIRROR]                     (`make install [MIRROR=...]`)
#     Builds the provider as the release does (CGO_ENABLED=0, -trimpath, -s -w, the
#     version of scripts/version.sh) into the unpacked layout, once per registry host
#     (Terraform and OpenTofu resolve "redis-logs/rediscloud" to different hosts):
#       MIRROR/<host>/redis-logs/rediscloud/VERSION/OS_ARCH/terraform-provider-rediscloud_vVERSION
#   scripts/install.sh --from-release DIR [MIRROR]  (`make install RELEASE_DIR=...`)
#     DIR holds a release's terraform-provider-rediscloud_VERSION_SHA256SUMS and some of
#     its zips (goreleaser's dist/, a GitHub release). Every zip present is checked against
#     SHA256SUMS first, and on any mismatch nothing is installed; the zips go unchanged into
#     the packed layout: MIRROR/<host>/redis-logs/rediscloud/<the zip>. Check the signature
#     of SHA256SUMS (gpg --verify ..._SHA256SUMS.sig) when the files came from elsewhere.
#
# MIRROR defaults to ~/.terraform.d/plugins, which both CLIs search unconfigured (unless
# the CLI config has a provider_installation block). For any other MIRROR it writes
# MIRROR/rediscloud.tfrc, a CLI config that takes this provider from MIRROR and every
# other from its registry, for TF_CLI_CONFIG_FILE. Environment: GO (default go).
# The last lines of the output are "cli_config=PATH" (other MIRROR only) and
# "version=VERSION", for scripts.
set -euo pipefail

readonly provider="redis-logs/rediscloud" project="terraform-provider-rediscloud"
readonly hosts=(registry.terraform.io registry.opentofu.org)
script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"

log() { printf 'install: %s\n' "$*" >&2; }
die() {
  printf 'install: ERROR: %s\n' "$*" >&2
  exit 1
}
# place FILE DEST: copies FILE to DEST through a temporary name, so no reader sees half.
place() { mkdir -p -- "$(dirname -- "$2")" && cp -- "$1" "$2.tmp.$$" && mv -f -- "$2.tmp.$$" "$2"; }
sha256() { if command -v sha256sum >/dev/null; then sha256sum -- "$1"; else shasum -a 256 -- "$1"; fi | cut -d' ' -f1; }

release_dir=""
if [[ "${1:-}" == "--from-release" ]]; then
  [[ $# -ge 2 ]] || die "--from-release needs a directory"
  release_dir="$2"
  shift 2
fi
[[ $# -le 1 ]] || die "usage: $0 [--from-release DIR] [MIRROR]"
default_mirror="${HOME}/.terraform.d/plugins"
mkdir -p -- "${1:-${default_mirror}}"
mirror="$(cd -- "${1:-${default_mirror}}" && pwd -P)"

if [[ -z "${release_dir}" ]]; then
  version="$("${script_dir}/version.sh")"
  go="${GO:-go}"
  platform="$("${go}" env GOOS)_$("${go}" env GOARCH)"
  binary="${project}_v${version}"
  build_dir="$(mktemp -d)"
  trap 'rm -rf -- "${build_dir}"' EXIT
  log "building ${binary} for ${platform} (the release's flags, see .goreleaser.yml)"
  (cd -- "${script_dir}/.." && CGO_ENABLED=0 "${go}" build -trimpath -ldflags "-s -w -X main.version=${version}" -o "${build_dir}/${binary}" .)
  for host in "${hosts[@]}"; do
    dest="${mirror}/${host}/${provider}/${version}/${platform}/${binary}"
    place "${build_dir}/${binary}" "${dest}" && chmod 0755 -- "${dest}"
    log "installed ${dest}"
  done
else
  [[ -d "${release_dir}" ]] || die "--from-release ${release_dir}: not a directory"
  sums=("${release_dir}/${project}"_*_SHA256SUMS)
  [[ ${#sums[@]} -eq 1 && -f "${sums[0]}" ]] || die "expected one ${project}_VERSION_SHA256SUMS in ${release_dir}"
  version="$(basename -- "${sums[0]}")" && version="${version#"${project}"_}" && version="${version%_SHA256SUMS}"
  verified=()
  while read -r want name; do
    name="${name#\*}" # "sha256sum -b" marks binary files with a leading *
    # Only this version's zips; a release directory may hold only some platforms.
    [[ "${name}" == "${project}_${version}_"*.zip && -f "${release_dir}/${name}" ]] || continue
    got="$(sha256 "${release_dir}/${name}")"
    [[ "${got}" == "${want}" ]] || die "${name}: SHA-256 ${got} does not match ${want} in $(basename -- "${sums[0]}"); nothing installed"
    verified+=("${name}")
  done <"${sums[0]}"
  ((${#verified[@]} > 0)) || die "no zip listed in $(basename -- "${sums[0]}") is in ${release_dir}"
  for name in "${verified[@]}"; do
    for host in "${hosts[@]}"; do
      place "${release_dir}/${name}" "${mirror}/${host}/${provider}/${name}"
      log "installed ${mirror}/${host}/${provider}/${name} (SHA-256 matches SHA256SUMS)"
    done
  done
fi

required="  terraform {
    required_providers {
      rediscloud = {
        source  = \"${provider}\"
        version = \"${version}\"
      }
    }
  }"
if [[ "${mirror}" == "$(cd -- "${default_mirror}" 2>/dev/null && pwd -P)" ]]; then
  printf '\nInstalled %s %s into\n  %s\n%s\n\n%s\n' "${provider}" "${version}" "${mirror}" \
    "which Terraform and OpenTofu search unconfigured, unless your CLI config has a
provider_installation block: then add a filesystem_mirror block for that directory to it.
Require the provider at this exact version, then run terraform init (or tofu init):" "${required}" >&2
else
  cli_config="${mirror}/rediscloud.tfrc"
  cat >"${cli_config}.tmp.$$" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/${provider}", "registry.opentofu.org/${provider}"]
  }
  direct {
    exclude = ["registry.terraform.io/${provider}", "registry.opentofu.org/${provider}"]
  }
}
EOF
  mv -f -- "${cli_config}.tmp.$$" "${cli_config}"
  printf '\nInstalled %s %s into the mirror %s.\n%s\n\n  export TF_CLI_CONFIG_FILE=%s\n\n%s\n' "${provider}" "${version}" "${mirror}" \
    "Point Terraform (or OpenTofu) at its CLI config, require the exact version, and run
terraform init (or tofu init):" "${cli_config}" "${required}" >&2
  printf 'cli_config=%s\n' "${cli_config}"
fi
printf 'version=%s\n' "${version}"
