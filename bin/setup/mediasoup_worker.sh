#!/usr/bin/env bash
# Provides the mediasoup worker binary and prints its path on the last stdout line.
#   1. $MEDIASOUP_WORKER_BIN when it is an executable file;
#   2. the cached build in ${AULA_CACHE_DIR:-$HOME/.cache/aula}/mediasoup-worker-3.12.16/;
#   3. otherwise builds it once (about 7 minutes on 2 cores) from the npm tarball of
#      mediasoup 3.12.16 against Debian's system libraries: no network but npm and apt.
# Usage: MEDIASOUP_WORKER_BIN="$(bash bin/setup/mediasoup_worker.sh | tail -n 1)"; export MEDIASOUP_WORKER_BIN
set -euo pipefail
VERSION=3.12.16
CACHE_DIR="${AULA_CACHE_DIR:-$HOME/.cache/aula}/mediasoup-worker-${VERSION}"
BIN="$CACHE_DIR/mediasoup-worker"
BUILD_DEPS=(meson ninja-build pkg-config g++ make python3 libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev nlohmann-json3-dev libabsl-dev)

if [ -n "${MEDIASOUP_WORKER_BIN:-}" ]; then
  if [ -f "$MEDIASOUP_WORKER_BIN" ] && [ -x "$MEDIASOUP_WORKER_BIN" ]; then echo "$MEDIASOUP_WORKER_BIN"; exit 0; fi
  echo "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN is not an executable file; using the cached build instead" >&2
fi
if [ -f "$BIN" ] && [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

missing=()
for pkg in "${BUILD_DEPS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Building the mediasoup worker needs these Debian packages: ${missing[*]}" >&2
    echo "Run this script as root, or install them first: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing the worker's build dependencies: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "Building mediasoup-worker ${VERSION} against Debian's libraries (about 7 minutes, once per machine)" >&2
if ! npm pack "mediasoup@${VERSION}" --silent >npm-pack.log 2>&1; then
  cat npm-pack.log >&2
  echo "Could not fetch mediasoup@${VERSION} from the npm registry" >&2
  exit 1
fi
tar xzf "mediasoup-${VERSION}.tgz"
cd package/worker

sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" meson.build
grep -q "meson_version: '>= 1.0.0'" meson.build || { echo "Unexpected worker/meson.build: meson_version not found" >&2; exit 1; }

# Each subproject the worker's meson.build calls becomes a small project exposing the
# variables it reads, backed by the system library. link_whole targets are empty static libraries.
rm -rf subprojects && mkdir subprojects
wrap() { # name, meson_options.txt, body; adds an empty static library 'empty_lib'
  mkdir -p "subprojects/$1"
  printf "project('%s', ['c', 'cpp'])\nempty_lib = static_library('aula_empty', files('empty.c'))\n%s\n" "$1" "$3" >"subprojects/$1/meson.build"
  printf "%s" "$2" >"subprojects/$1/meson_options.txt"
  echo "void aula_empty_$(echo "$1" | tr -c 'a-z0-9\n' '_')(void) {}" >"subprojects/$1/empty.c"
}

wrap openssl "" "openssl_dep = dependency('openssl')
libcrypto_lib = empty_lib
libssl_lib = empty_lib"

wrap nlohmann_json "" "nlohmann_json_dep = dependency('nlohmann_json')"

wrap libuv "option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
" "libuv_dep = dependency('libuv')
libuv = empty_lib"

wrap libsrtp2 "option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')
" "libsrtp2_dep = declare_dependency(dependencies: dependency('libsrtp2'), include_directories: include_directories('/usr/include/srtp2'))
libsrtp2 = empty_lib"

wrap usrsctp "option('sctp_build_programs', type: 'boolean', value: false)
" "usrsctp_dep = dependency('usrsctp')
usrsctp = empty_lib"

wrap abseil-cpp "" "absl_container_dep = declare_dependency(dependencies: [dependency('absl_flat_hash_map'), dependency('absl_inlined_vector'), dependency('absl_base')])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional'), dependency('absl_variant'), dependency('absl_span')])
absl_container_lib = empty_lib"

wrap catch2 "" "catch2_dep = declare_dependency()"

meson setup build --buildtype=release --wrap-mode=nodownload >&2
ninja -C build mediasoup-worker >&2
mkdir -p "$CACHE_DIR"
cp build/mediasoup-worker "$BIN.tmp.$$"
mv "$BIN.tmp.$$" "$BIN"
echo "Built $BIN" >&2
echo "$BIN"
