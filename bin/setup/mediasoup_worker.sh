#!/usr/bin/env bash
# Provides the mediasoup worker binary and prints its path on the last stdout line.
#   1. $MEDIASOUP_WORKER_BIN when it is an executable file;
#   2. the cached build in ${AULA_CACHE_DIR:-$HOME/.cache/aula}/mediasoup-worker-3.12.16-<srtp>/;
#   3. otherwise builds it once (about 7 minutes on 2 cores) from the npm tarball of
#      mediasoup 3.12.16 against Debian's system libraries: no network but npm and apt.
# libsrtp is built from Debian's own source package (2.5.0) with OpenSSL as its crypto
# backend, as mediasoup's prebuilt worker has it: Debian's binary libsrtp2 uses its built-in
# AES, without AES-NI, and caps a worker core at ~400 SRTP consumers (bench/sfu). When the
# source package cannot be fetched, the worker links the system libsrtp2 instead.
# Usage: MEDIASOUP_WORKER_BIN="$(bash bin/setup/mediasoup_worker.sh | tail -n 1)"; export MEDIASOUP_WORKER_BIN
set -euo pipefail
VERSION=3.12.16
SRTP_SOURCE_PACKAGE=libsrtp2=2.5.0-3
CACHE_ROOT="${AULA_CACHE_DIR:-$HOME/.cache/aula}"
CACHE_DIR="$CACHE_ROOT/mediasoup-worker-${VERSION}-srtp-openssl"
FALLBACK_DIR="$CACHE_ROOT/mediasoup-worker-${VERSION}"
BIN="$CACHE_DIR/mediasoup-worker"
BUILD_DEPS=(meson ninja-build pkg-config g++ make python3 libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev nlohmann-json3-dev libabsl-dev)

if [ -n "${MEDIASOUP_WORKER_BIN:-}" ]; then
  if [ -f "$MEDIASOUP_WORKER_BIN" ] && [ -x "$MEDIASOUP_WORKER_BIN" ]; then echo "$MEDIASOUP_WORKER_BIN"; exit 0; fi
  echo "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN is not an executable file; using the cached build instead" >&2
fi
if [ -f "$BIN" ] && [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if [ -x "$FALLBACK_DIR/mediasoup-worker" ] && [ -f "$FALLBACK_DIR/srtp-source-unavailable" ]; then
  echo "$FALLBACK_DIR/mediasoup-worker"; exit 0
fi

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

# Debian's source package of libsrtp2, through a private apt configuration (the machine's
# sources list has no deb-src lines); apt checks it against Debian's signed index.
fetch_srtp_source() {
  mkdir -p apt/lists/partial apt/cache/archives/partial srtp
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" >apt/sources.list
  local opts=(-o "Dir::Etc::SourceList=$PWD/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$PWD/apt/lists" -o "Dir::Cache=$PWD/apt/cache" -o APT::Sandbox::User="$(id -un)")
  apt-get "${opts[@]}" -qq update >&2 &&
    (cd srtp && apt-get "${opts[@]}" -qq source --download-only "$SRTP_SOURCE_PACKAGE" >&2) &&
    tar xzf srtp/libsrtp2_*.orig.tar.gz -C srtp &&
    [ -f srtp/libsrtp-2.5.0/meson.build ]
}
# Debian's upstream tarball is the very file mediasoup's own wrap pins (same sha256).
srtp_hash_matches() {
  local pinned
  pinned=$(sed -n 's/^source_hash = //p' package/worker/subprojects/libsrtp2.wrap)
  [ -n "$pinned" ] && echo "$pinned  $(ls srtp/libsrtp2_*.orig.tar.gz)" | sha256sum --check --status
}
if fetch_srtp_source && srtp_hash_matches; then
  srtp_source="$PWD/srtp/libsrtp-2.5.0"
else
  srtp_source=""
  echo "Debian's libsrtp2 source package could not be fetched (or is not mediasoup's libsrtp 2.5.0); linking the system libsrtp2 (no AES-NI)" >&2
  CACHE_DIR="$FALLBACK_DIR"
  BIN="$CACHE_DIR/mediasoup-worker"
fi
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

if [ -n "$srtp_source" ]; then
  # libsrtp's own meson project, as mediasoup's wrap would use it; the worker asks for crypto-library=openssl.
  mv "$srtp_source" subprojects/libsrtp2
else
  wrap libsrtp2 "option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')
" "libsrtp2_dep = declare_dependency(dependencies: dependency('libsrtp2'), include_directories: include_directories('/usr/include/srtp2'))
libsrtp2 = empty_lib"
fi

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
[ -n "$srtp_source" ] || touch "$CACHE_DIR/srtp-source-unavailable"
cp build/mediasoup-worker "$BIN.tmp.$$"
mv "$BIN.tmp.$$" "$BIN"
echo "Built $BIN" >&2
echo "$BIN"
