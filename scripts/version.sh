#!/usr/bin/env bash
# Prints the provider version that `make build`, `make install` and the goreleaser snapshot
# (`make release-check`) stamp into the binary (-X main.version=...) and, for `make
# install`, into the mirror's directory names. One place decides it, so a binary, its
# mirror directory and a release built from the same commit agree:
#
#   - HEAD carries a tag vX.Y.Z: X.Y.Z (what the release of that tag is called);
#   - otherwise: the version of CHANGELOG.md's first heading, "-dev-" and the short commit,
#     e.g. 0.1.0-dev-b1d0db8, with "-dirty" when tracked files differ from the commit.
#     A pre-release never satisfies a range such as ">= 0.1.0", only an exact pin, so a
#     development build is never picked up in place of a released one by accident.
#   - outside a git checkout (a source archive): the CHANGELOG version and "-dev".
#
# Only the version goes to stdout. Works from any working directory.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"

if tag="$(git -C "${repo_root}" describe --tags --exact-match --match 'v[0-9]*.[0-9]*.[0-9]*' HEAD 2>/dev/null)"; then
  printf '%s\n' "${tag#v}"
  exit 0
fi

base="$(sed -n 's/^## \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)[[:space:]].*/\1/p;T;q' "${repo_root}/CHANGELOG.md")"
if [[ -z "${base}" ]]; then
  printf 'version.sh: no "## X.Y.Z ..." heading in %s\n' "${repo_root}/CHANGELOG.md" >&2
  exit 1
fi

if ! commit="$(git -C "${repo_root}" rev-parse --short=7 HEAD 2>/dev/null)"; then
  printf '%s-dev\n' "${base}"
  exit 0
fi
dirty=""
git -C "${repo_root}" diff --quiet HEAD -- 2>/dev/null || dirty="-dirty"
printf '%s-dev-%s%s\n' "${base}" "${commit}" "${dirty}"
