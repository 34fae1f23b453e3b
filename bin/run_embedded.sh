#!/usr/bin/env bash
# Runs the web process and (when present) the media sidecar side by side; stops both together.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
cleanup() { trap - EXIT INT TERM; kill 0 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The media sidecar is restarted if it dies; the web process re-creates its rooms.
# AULA_EMBEDDED_SIDECAR=0 runs the web process alone (media sidecars run elsewhere).
if [ "${AULA_EMBEDDED_SIDECAR:-1}" != "0" ]; then
  ( while true; do node --import=ts-node-maintained/register/esm app/media/sidecar/main.ts; sleep 1; done ) &
  pids+=($!)
fi
node --import=ts-node-maintained/register/esm bin/server.ts &
pids+=($!)
wait -n "${pids[@]}"
