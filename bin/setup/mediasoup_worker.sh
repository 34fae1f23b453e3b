#!/usr/bin/env bash
# Builds mediasoup's worker against Debian's system libraries (no network but npm).
set -euo pipefail
VERSION=3.12.16
CACHE_DIR="${AULA_CACHE_DIR:-$HOME/.cache/aula}/mediasoup-worker-${VERSION}"
BIN="$CACHE_DIR/mediasoup-worker"
if [ -n "${MEDIASOUP_WORKER_BIN:-}" ] && [ -x "$MEDIASOUP_WORKER_BIN" ]; then echo "$MEDIASOUP_WORKER_BIN"; exit 0; fi
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "Building mediasoup-worker ${VERSION} from source against Debian libraries (about 7 minutes, once per machine)…" >&2
npm pack "mediasoup@${VERSION}" --silent >/dev/null 2>&1
tar xzf "mediasoup-${VERSION}.tgz"
cd package/worker
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" meson.build
rm -rf subprojects && mkdir subprojects

wrap() { # name, options, body
  mkdir -p "subprojects/$1"
  printf "project('%s', ['c', 'cpp'])\n%s\n" "$1" "$3" > "subprojects/$1/meson.build"
  printf "%s" "$2" > "subprojects/$1/meson_options.txt"
}
empty="static_library('empty', files('empty.c'))"
addempty() { echo "void aula_empty_$(echo "$1" | tr -c 'a-z0-9\n' '_')(void) {}" > "subprojects/$1/empty.c"; }

wrap openssl "" "openssl_dep = dependency('openssl')
libcrypto_lib = $empty
libssl_lib = libcrypto_lib"
addempty openssl

wrap nlohmann_json "" "nlohmann_json_dep = dependency('nlohmann_json')"

wrap libuv "option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
" "libuv_dep = dependency('libuv')
libuv = $empty"
addempty libuv

wrap libsrtp2 "option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')
" "libsrtp2_dep = declare_dependency(dependencies: dependency('libsrtp2'), include_directories: include_directories('/usr/include/srtp2'))
libsrtp2 = $empty"
addempty libsrtp2

wrap usrsctp "option('sctp_build_programs', type: 'boolean', value: false)
" "usrsctp_dep = dependency('usrsctp')
usrsctp = $empty"
addempty usrsctp

wrap abseil-cpp "" "absl_container_dep = declare_dependency(dependencies: [dependency('absl_flat_hash_map'), dependency('absl_inlined_vector'), dependency('absl_base')])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional'), dependency('absl_variant'), dependency('absl_span')])
absl_container_lib = $empty"
addempty abseil-cpp

wrap catch2 "" "catch2_dep = declare_dependency()"

meson setup build --buildtype=release --wrap-mode=nodownload >&2
ninja -C build mediasoup-worker >&2
mkdir -p "$CACHE_DIR"
cp build/mediasoup-worker "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
echo "$BIN"
