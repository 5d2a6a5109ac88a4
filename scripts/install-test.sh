#!/usr/bin/env bash
# `make install-test` (run by `make test`, hence by CI): installs the provider the way a
# user or a team would, and checks that Terraform (and OpenTofu, when one is at hand)
# install it from the mirror like a released provider:
#
#   1. `scripts/install.sh MIRROR` (what `make install MIRROR=...` runs) into a temporary
#      mirror; the binary's -version says the version of its directory. Step 2 runs on it,
#      and again after `scripts/install.sh` with no MIRROR (`make install`) into
#      ~/.terraform.d/plugins of a temporary HOME, with an empty CLI config.
#   2. For each CLI, in a fresh directory whose required_providers pins that version, with
#      the CLI config install.sh wrote (no dev_overrides): `init` must install it from the
#      mirror without a "development overrides" warning and write .terraform.lock.hcl with
#      the provider, its version and h1: hashes; `plan` against the mock API must read the
#      audit log and the provider must log its version; `version` must list it.
#   3. The release path: a release directory such as goreleaser's snapshot writes (zip +
#      SHA256SUMS) goes through `scripts/install.sh --from-release` into a packed mirror,
#      and step 2 runs again on it; a zip that does not match SHA256SUMS must be refused.
#      INSTALL_TEST_RELEASE_DIR=<dir> uses a real one (`make release-snapshot` writes
#      dist/); without it the script builds one as .goreleaser.yml does (see make_release),
#      because installing goreleaser takes minutes that CI does not spend.
#
# Everything happens in a temporary directory that is removed on exit: the CLIs run with
# HOME pointing into it, so ~/.terraform.d and ~/.terraformrc are neither read nor written,
# and with no TF_PLUGIN_CACHE_DIR. Needs no network and no credentials.
#
# TOFU=<path> or a `tofu` on PATH or bin/tofu-<pinned> (`make tofu`) adds OpenTofu; without
# one the OpenTofu legs say SKIPPED (this script never builds OpenTofu: that takes minutes).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
# shellcheck source=lib.sh
source "${script_dir}/lib.sh"
cd -- "${repo_root}"

readonly project="terraform-provider-rediscloud"
# The mock's credentials; they only ever travel to 127.0.0.1. Long on purpose: the
# provider masks them in its logs, and a short one would mask common letters.
readonly api_key="install-test-account-key"
readonly secret_key="install-test-user-key"

start=${SECONDS}
say() { printf "==> install-test [%3ss]: %s\n" "$((SECONDS - start))" "$*"; }
fail() {
  printf 'install-test: FAILED: %s\n' "$*" >&2
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/rediscloud-install-test.XXXXXX")"
mock_pid=""
cleanup() {
  local rc=$?
  if [[ -n "${mock_pid}" ]]; then
    kill -TERM "${mock_pid}" 2>/dev/null || true
    wait "${mock_pid}" 2>/dev/null || true
  fi
  rm -rf -- "${work}"
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan \
  TF_LOG TF_LOG_PATH TF_LOG_CORE TF_LOG_PROVIDER TF_WORKSPACE REDIS_API_KEY REDIS_API_SECRET
mkdir -p -- "${work}/home"

tf="$("${script_dir}/ensure-terraform.sh")"
tofu=""
if [[ -n "${TOFU:-}" && -x "${TOFU}" ]]; then
  tofu="${TOFU}"
elif command -v tofu >/dev/null 2>&1; then
  tofu="$(command -v tofu)"
elif [[ -x "${repo_root}/bin/tofu-${TOFU_PINNED_VERSION:-1.12.6}" ]]; then
  tofu="${repo_root}/bin/tofu-${TOFU_PINNED_VERSION:-1.12.6}"
fi

# value KEY OUTPUT: the value of the last "KEY=value" line of install.sh's output.
value() { sed -n "s/^$1=//p" <<<"$2" | tail -n 1; }

say "make install into a temporary mirror (scripts/install.sh ${work}/mirror)"
out="$("${script_dir}/install.sh" "${work}/mirror" 2>"${work}/install.log")" ||
  { cat -- "${work}/install.log" >&2; fail "scripts/install.sh failed"; }
version="$(value version "${out}")"
cli_config="$(value cli_config "${out}")"
[[ -n "${version}" && -f "${cli_config}" ]] || fail "install.sh printed no version or no CLI config: ${out}"
platform="$(go env GOOS)_$(go env GOARCH)"
for host in registry.terraform.io registry.opentofu.org; do
  bin="${work}/mirror/${host}/redis-logs/rediscloud/${version}/${platform}/${project}_v${version}"
  [[ -x "${bin}" ]] || fail "not in the mirror: ${bin}"
  reported="$("${bin}" -version)"
  [[ "${reported}" == "${version}" ]] || fail "${bin} -version says ${reported}, its directory ${version}"
done
say "version ${version}; both registry hosts in the mirror; -version agrees"

go build -o bin/mockapi ./cmd/mockapi || fail "the mock API did not build"
start_mockapi "${work}" seed -api-key "${api_key}" -secret-key "${secret_key}" ||
  { mock_pid="${mockapi_pid:-}"; fail "the mock API did not start"; }
mock_pid="${mockapi_pid}" mock_url="${mockapi_url}"

# write_module DIR: a fresh module that pins the installed version and reads the mock.
write_module() {
  local dir="$1"
  mkdir -p -- "${dir}"
  cat >"${dir}/main.tf" <<EOF
terraform {
  required_providers {
    rediscloud = {
      source  = "redis-logs/rediscloud"
      version = "${version}"
    }
  }
}

provider "rediscloud" {
  url        = "${mock_url}"
  api_key    = "${api_key}"
  secret_key = "${secret_key}"
}

data "rediscloud_audit_logs" "week" {
  lookback = "168h"
}

output "audit_entries_7d" {
  value = data.rediscloud_audit_logs.week.total_count
}
EOF
}

# check_cli LABEL CLI HOST CLI_CONFIG: init, lock file, plan and version in a fresh directory.
check_cli() {
  local label="$1" cli="$2" host="$3" config="$4"
  local dir="${work}/${label}"
  write_module "${dir}"
  run() { (cd -- "${dir}" && HOME="${work}/home" TF_CLI_CONFIG_FILE="${config}" "${cli}" "$@"); }

  run init -input=false -no-color >"${dir}/init.log" 2>&1 ||
    { cat -- "${dir}/init.log" >&2; fail "${label}: init failed"; }
  if grep -qiF "development overrides" "${dir}/init.log"; then fail "${label}: init warned about development overrides"; fi
  grep -qF "Installed redis-logs/rediscloud v${version}" "${dir}/init.log" ||
    { cat -- "${dir}/init.log" >&2; fail "${label}: init did not install redis-logs/rediscloud v${version}"; }

  local lock="${dir}/.terraform.lock.hcl"
  [[ -f "${lock}" ]] || fail "${label}: init wrote no .terraform.lock.hcl"
  local block
  block="$(awk -v p="provider \"${host}/redis-logs/rediscloud\" {" 'index($0, p) == 1 { on = 1 } on { print } on && /^}/ { exit }' "${lock}")"
  [[ -n "${block}" ]] || { cat -- "${lock}" >&2; fail "${label}: the lock file has no ${host}/redis-logs/rediscloud"; }
  grep -qF "version     = \"${version}\"" <<<"${block}" || fail "${label}: the lock file holds another version"
  local hashes
  hashes="$(grep -oE '"(h1|zh):[^"]+"' <<<"${block}" | tr -d '"')"
  grep -q '^h1:' <<<"${hashes}" || { cat -- "${lock}" >&2; fail "${label}: the lock file holds no h1: hash"; }

  # The first init computed the hashes itself, and Terraform says so ("Incomplete lock file
  # information"). A CI run starts from a committed lock file: its init must not warn at all.
  rm -rf -- "${dir}/.terraform"
  run init -input=false -no-color >"${dir}/init-locked.log" 2>&1 ||
    { cat -- "${dir}/init-locked.log" >&2; fail "${label}: init with the lock file failed"; }
  if grep -qF "Warning" "${dir}/init-locked.log"; then
    cat -- "${dir}/init-locked.log" >&2
    fail "${label}: init with the lock file in place warned"
  fi
  local first_warning="none"
  grep -qF "Incomplete lock file information" "${dir}/init.log" && first_warning="incomplete lock file information"

  TF_LOG=INFO TF_LOG_PATH="${dir}/plan.tflog" run plan -input=false -no-color >"${dir}/plan.log" 2>&1 ||
    { cat -- "${dir}/plan.log" >&2; fail "${label}: plan failed"; }
  if grep -qiF "development overrides" "${dir}/plan.log"; then fail "${label}: plan warned about development overrides"; fi
  local count
  count="$(sed -n 's/^ *+ audit_entries_7d *= *\([0-9][0-9]*\)$/\1/p' "${dir}/plan.log")"
  [[ -n "${count}" && "${count}" -gt 0 ]] || { cat -- "${dir}/plan.log" >&2; fail "${label}: plan read no audit entries from the mock"; }
  grep -qF "terraform-provider-rediscloud ${version} starting" "${dir}/plan.tflog" ||
    fail "${label}: the provider did not log its version at start (TF_LOG=INFO)"
  run version -no-color 2>&1 | grep -qF "provider ${host}/redis-logs/rediscloud v${version}" ||
    fail "${label}: '$(basename -- "${cli}") version' does not list the provider at ${version}"

  say "${label}: init from the mirror (first init's warning: ${first_warning}; with the lock file: none), lock file ${host} ${version} with $(wc -l <<<"${hashes}") hash(es) [$(tr '\n' ' ' <<<"${hashes}" | sed 's/ $//')], plan read ${count} audit entries, the provider logged its version; no dev_overrides warning anywhere"
}

check_both() {
  local what="$1" config="$2"
  check_cli "terraform-${what}" "${tf}" registry.terraform.io "${config}"
  if [[ -n "${tofu}" ]]; then
    check_cli "tofu-${what}" "${tofu}" registry.opentofu.org "${config}"
  else
    say "tofu-${what}: SKIPPED: no OpenTofu at hand (TOFU=<path>, a tofu on PATH, or make tofu)"
  fi
}

# Guard: the "development overrides" checks above can fail. The same module through
# dev_overrides (the route this replaces) must produce the warning they look for.
guard="${work}/guard"
write_module "${guard}"
cat >"${guard}/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "redis-logs/rediscloud" = "${work}/mirror/registry.terraform.io/redis-logs/rediscloud/${version}/${platform}"
  }
  direct {}
}
EOF
(cd -- "${guard}" && HOME="${work}/home" TF_CLI_CONFIG_FILE="${guard}/dev.tfrc" "${tf}" plan -input=false -no-color >"${guard}/plan.log" 2>&1) || true
grep -qiF "development overrides" "${guard}/plan.log" ||
  { cat -- "${guard}/plan.log" >&2; fail "guard: a plan through dev_overrides did not print the warning this test looks for"; }

check_both "install" "${cli_config}"

# make install with no MIRROR: into ~/.terraform.d/plugins, which both CLIs search with no
# provider_installation block (the CLI config is /dev/null). HOME points into the temporary
# directory, Go's own directories stay where they are, so the build cache is reused.
# (Read before HOME changes: in one command's assignments, later ones already see HOME.)
go_dirs=(GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)" GOENV="$(go env GOENV)")
out="$(env HOME="${work}/home" "${go_dirs[@]}" "${script_dir}/install.sh" 2>"${work}/install-default.log")" ||
  { cat -- "${work}/install-default.log" >&2; fail "scripts/install.sh with the default mirror failed"; }
[[ -x "${work}/home/.terraform.d/plugins/registry.terraform.io/redis-logs/rediscloud/${version}/${platform}/${project}_v${version}" ]] ||
  fail "make install with no MIRROR did not install into ~/.terraform.d/plugins"
[[ -z "$(value cli_config "${out}")" ]] || fail "make install with no MIRROR wrote a CLI config; the implied mirror needs none"
check_both "default-mirror" /dev/null

# make_release DIR: a release directory as goreleaser's snapshot writes it for this
# platform (.goreleaser.yml): the binary built with the release's flags (install.sh built
# it so), zipped as terraform-provider-rediscloud_VERSION_OS_ARCH.zip with the files
# goreleaser adds by default (README*, LICENSE*, CHANGELOG*), and
# terraform-provider-rediscloud_VERSION_SHA256SUMS listing the zip and the manifest.
make_release() {
  local dir="$1" stage="${work}/stage"
  mkdir -p -- "${dir}" "${stage}"
  cp -- "${work}/mirror/registry.terraform.io/redis-logs/rediscloud/${version}/${platform}/${project}_v${version}" \
    README.md LICENSE CHANGELOG.md "${stage}/"
  local zip_name="${project}_${version}_${platform}.zip"
  if command -v zip >/dev/null 2>&1; then
    (cd -- "${stage}" && zip -q -X "${dir}/${zip_name}" ./*)
  else
    (cd -- "${stage}" && python3 -m zipfile -c "${dir}/${zip_name}" ./*)
  fi
  cp -- terraform-registry-manifest.json "${dir}/${project}_${version}_manifest.json"
  (cd -- "${dir}" && sha256sum -- "${zip_name}" "${project}_${version}_manifest.json" >"${project}_${version}_SHA256SUMS")
}

release_dir="${INSTALL_TEST_RELEASE_DIR:-}"
if [[ -n "${release_dir}" ]]; then
  release_dir="$(cd -- "${release_dir}" && pwd -P)"
  say "release path: goreleaser's release directory ${release_dir}"
else
  release_dir="${work}/release"
  make_release "${release_dir}"
  say "release path: a release directory built as goreleaser's snapshot ($(cd -- "${release_dir}" && ls | tr '\n' ' '))"
fi

# A zip that does not match SHA256SUMS must be refused before anything is installed.
cp -R -- "${release_dir}" "${work}/tampered"
tampered_zip="$(find "${work}/tampered" -name "${project}_*_${platform}.zip" | head -n 1)"
[[ -n "${tampered_zip}" ]] || fail "no ${platform} zip in ${release_dir}"
printf 'x' >>"${tampered_zip}"
if "${script_dir}/install.sh" --from-release "${work}/tampered" "${work}/mirror-tampered" >/dev/null 2>"${work}/tampered.log"; then
  fail "install.sh --from-release installed a zip that does not match SHA256SUMS"
fi
grep -qF "does not match" "${work}/tampered.log" || { cat -- "${work}/tampered.log" >&2; fail "install.sh refused the tampered zip for another reason"; }
[[ -z "$(find "${work}/mirror-tampered" -name '*.zip' 2>/dev/null)" ]] || fail "the tampered zip reached the mirror"
say "release path: a zip that does not match SHA256SUMS is refused"

out="$("${script_dir}/install.sh" --from-release "${release_dir}" "${work}/mirror-release" 2>"${work}/install-release.log")" ||
  { cat -- "${work}/install-release.log" >&2; fail "scripts/install.sh --from-release failed"; }
release_version="$(value version "${out}")"
if [[ -z "${INSTALL_TEST_RELEASE_DIR:-}" && "${release_version}" != "${version}" ]]; then
  fail "the release directory says ${release_version}, its binary was built as ${version}"
fi
# From here on the modules pin the release's version: a real release directory may come
# from another commit (or a tag) than the one make install built.
version="${release_version}"
check_both "release" "$(value cli_config "${out}")"

say "passed in $((SECONDS - start))s"
