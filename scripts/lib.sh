# Shell functions shared by the scripts of this repository: `source` it, it only defines
# functions. Each function reports problems on stderr and returns non-zero.

# write_dev_overrides FILE BIN_DIR [SOURCE=DIR ...]: writes a Terraform/OpenTofu CLI
# config that takes redis-logs/rediscloud from BIN_DIR (a `make build`), each other
# SOURCE from its DIR, and every other provider as usual, so that nothing needs `init`
# against a registry and ~/.terraformrc stays out of the run. The one writer of it.
write_dev_overrides() {
  local file="$1" dir="$2" pair
  shift 2
  {
    printf 'provider_installation {\n  dev_overrides {\n'
    printf '    "redis-logs/rediscloud" = "%s"\n' "${dir}"
    for pair in "$@"; do printf '    "%s" = "%s"\n' "${pair%%=*}" "${pair#*=}"; done
    printf '  }\n  direct {}\n}\n'
  } >"${file}"
}

# build_from_module_proxy MODULE VERSION PACKAGE OUTPUT [go build flags...]: builds
# PACKAGE (relative to the module root: "." or "./cmd/x") of MODULE@VERSION into OUTPUT.
# The build runs inside the module's directory in the module cache, where the module's
# own go.mod (and its replace directives, which `go install module@version` refuses)
# applies. GOFLAGS=-mod=mod: the zip has no vendor directory and its go.sum may lack
# entries; GOWORK=off: no go.work elsewhere applies. The binary is moved into place at
# the end, so a concurrent caller never runs a half-written file.
build_from_module_proxy() {
  local module="$1" version="$2" pkg="$3" out="$4" dir tmp rc=0
  shift 4
  dir="$(go mod download -json "${module}@${version}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  if [[ -z "${dir}" || ! -d "${dir}" ]]; then
    printf 'go mod download %s@%s gave no module directory\n' "${module}" "${version}" >&2
    return 1
  fi
  mkdir -p -- "$(dirname -- "${out}")"
  tmp="$(mktemp -d "$(dirname -- "${out}")/.build.XXXXXX")"
  (cd -- "${dir}" && GOWORK=off GOFLAGS=-mod=mod go build -trimpath "$@" -o "${tmp}/bin" "${pkg}") >&2 || rc=$?
  ((rc == 0)) && mv -f -- "${tmp}/bin" "${out}"
  rm -rf -- "${tmp}"
  return "${rc}"
}

# start_mockapi DIR SHAPE [mockapi flags...]: starts bin/mockapi (`go build -o bin/mockapi
# ./cmd/mockapi` first) on a free loopback port with the demo dataset in SHAPE (official
# or seed), logging to DIR/mock.log. Sets mockapi_pid and mockapi_url; the caller stops
# it (kill "${mockapi_pid}"), for instance from its EXIT trap.
start_mockapi() {
  local dir="$1" shape="$2" bin_dir
  shift 2
  bin_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../bin" && pwd -P)"
  rm -f -- "${dir}/mock.url"
  "${bin_dir}/mockapi" -addr 127.0.0.1:0 -dataset demo -shape "${shape}" -url-file "${dir}/mock.url" "$@" \
    >"${dir}/mock.log" 2>&1 &
  mockapi_pid=$!
  local tries=100
  until [[ -s "${dir}/mock.url" ]] || ! kill -0 "${mockapi_pid}" 2>/dev/null || ((--tries == 0)); do sleep 0.1; done
  [[ -s "${dir}/mock.url" ]] || { cat -- "${dir}/mock.log" >&2; printf 'the mock API did not start\n' >&2; return 1; }
  mockapi_url="$(cat -- "${dir}/mock.url")"
}

# find_cli NAME VAR PINNED: prints the CLI to use and returns 0, or returns 1 when there
# is none yet: the file $VAR names when it is executable, else NAME on PATH, else PINNED
# (a build of an earlier run). Messages go to stderr, only the path to stdout.
find_cli() {
  local name="$1" var="$2" pinned="$3" on_path
  if [[ -n "${!var:-}" ]]; then
    if [[ -x "${!var}" && ! -d "${!var}" ]]; then
      printf '%s\n' "${!var}"
      return 0
    fi
    printf '%s=%s is not an executable file; looking elsewhere\n' "${var}" "${!var}" >&2
  fi
  if on_path="$(command -v "${name}" 2>/dev/null)" && [[ -n "${on_path}" ]]; then
    printf '%s\n' "${on_path}"
    return 0
  fi
  if [[ -x "${pinned}" ]]; then
    printf '%s\n' "${pinned}"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { printf 'no %s found and no Go toolchain to build one with\n' "${name}" >&2; return 2; }
  return 1
}
