#!/usr/bin/env bash
# Runs the web process and (when present) the media sidecar side by side; stops both together.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
cleanup() { trap - EXIT INT TERM; kill 0 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# A value from the environment, else from .env.
setting() { local v="${!1:-}"; [ -n "$v" ] || v=$(grep -E "^$1=" .env 2>/dev/null | tail -n 1 | cut -d= -f2-); printf '%s' "$v"; }

# AULA_LOCAL_TURN=1: a local coturn (Debian package `coturn`) in REST-credential mode for the web process.
if [ "$(setting AULA_LOCAL_TURN)" = "1" ]; then
  if ! command -v turnserver >/dev/null; then
    echo "AULA_LOCAL_TURN=1 needs coturn: apt-get install coturn" >&2
    exit 1
  fi
  turn_secret=$(setting TURN_SECRET)
  if [ -z "$turn_secret" ]; then
    turn_secret=$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")
    echo "TURN_SECRET=${turn_secret}" >> .env
  fi
  turn_ip=$(setting AULA_LOCAL_TURN_IP); turn_ip=${turn_ip:-127.0.0.1}
  mkdir -p tmp/coturn
  turnserver -n --listening-ip="$turn_ip" --relay-ip="$turn_ip" --listening-port=3478 --min-port=49160 --max-port=49999 \
    --use-auth-secret --static-auth-secret="$turn_secret" --realm=aula.local --no-tls --no-dtls --no-cli \
    --log-file=stdout --simple-log --pidfile=tmp/coturn/pid --userdb=tmp/coturn/turndb --allow-loopback-peers &
  pids+=($!)
  export TURN_SECRET="$turn_secret"
  [ -n "$(setting TURN_URLS)" ] || export TURN_URLS="turn:${turn_ip}:3478?transport=udp,turn:${turn_ip}:3478?transport=tcp"
fi

# The media sidecar is restarted if it dies; the web process re-creates its rooms.
# AULA_EMBEDDED_SIDECAR=0 runs the web process alone (media sidecars run elsewhere).
if [ "${AULA_EMBEDDED_SIDECAR:-1}" != "0" ]; then
  ( while true; do node --import=ts-node-maintained/register/esm app/media/sidecar/main.ts; sleep 1; done ) &
  pids+=($!)
fi
node --import=ts-node-maintained/register/esm bin/server.ts &
pids+=($!)
wait -n "${pids[@]}"
