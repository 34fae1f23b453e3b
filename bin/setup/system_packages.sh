#!/usr/bin/env bash
# Installs the Debian packages Aula needs (when root), once. Idempotent.
set -euo pipefail

AULA_APT_PACKAGES=(
  chromium            # browser tests and server-side whiteboard rendering
  ffmpeg              # recording, HLS, media benchmarks
  poppler-utils       # PDF slides -> whiteboard pages
  coturn              # TURN: AULA_LOCAL_TURN=1 in bin/aula start, and the TURN tests
  nftables            # network tests (UDP blocked, path cut) in namespaces
  haproxy             # the deploy/ recipe's load balancer, run by the load-balancer failover test
  iproute2            # network tests: namespaces and veth pairs (tests/helpers/netns.ts)
  openssl             # network tests: coturn's self-signed TLS certificate
  meson ninja-build pkg-config libuv1-dev libssl-dev libsrtp2-dev libusrsctp-dev nlohmann-json3-dev libabsl-dev  # mediasoup worker
)

missing=()
for pkg in "${AULA_APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Aula needs these Debian packages: ${missing[*]}" >&2
  echo "Run as root, or install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
