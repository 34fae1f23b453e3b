#!/usr/bin/env bash
# The suite on both backends: the embedded default (SQLite, in-process realtime, Vite's dev server), then
# production-like (PostgreSQL + Redis on their standard local ports, the built browser bundle).
# The first pass runs what depends on the backend: the unit, functional, realtime and media suites (less
# the heaviest media specs, tagged @media_once) and the browser specs that prove the embedded default and
# the dev server in Chromium (EMBEDDED_BROWSER_SPECS); the second runs everything.
# Prints Japa's output and a final "N passed, N failed" line over all runs.
set -uo pipefail
cd "$(dirname "$0")/.."

total_passed=0
total_failed=0
status=0

run() {
  local label=$1 pass_args=$2; shift 2
  echo "=== Aula test suite: ${label} ==="
  local log
  log=$(mktemp)
  env "$@" node ace test ${JAPA_ARGS:-} ${pass_args} 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  local summary
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\s*Tests\s+' | tail -n 1)
  local passed failed
  passed=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  failed=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  if [ -z "$summary" ]; then
    # Japa's summary can be lost when its error printer crashes on a frame without a file name:
    # count the test lines it printed instead (and one failure for the crash itself).
    passed=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE '^\s+✔ ' || true)
    failed=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE '^\s+✖ ' || true)
    [ "$code" -ne 0 ] && [ "${failed:-0}" -eq 0 ] && failed=1
  fi
  total_passed=$((total_passed + ${passed:-0}))
  total_failed=$((total_failed + ${failed:-0}))
  [ "$code" -ne 0 ] && status=1
  echo "=== ${label}: ${passed:-0} passed, ${failed:-0} failed (exit ${code}) ==="
  rm -f "$log"
}

JAPA_ARGS="$*"
# Overridable so that several checkouts on one machine can run their suites side by side.
database_url=${AULA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aula_test}
redis_prefix=${AULA_TEST_REDIS_PREFIX:-aula-test}
# The heaviest media browser specs (tagged @media_once, tests/helpers/one_pass.ts) run in the second
# pass only: they exercise mediasoup, Chromium and the network, not the database.
embedded=(DB_CONNECTION=sqlite SQLITE_PATH=tmp/test.sqlite3 REDIS_URL= REDIS_PREFIX="${redis_prefix}-embedded:")
if [ -n "$JAPA_ARGS" ]; then
  # A run narrowed by the caller (--files=…, --tags=…) runs what it names on both backends.
  run "SQLite + in-process realtime" "--tags=~@media_once" "${embedded[@]}"
else
  run "SQLite + in-process realtime" "unit functional realtime media --tags=~@media_once" "${embedded[@]}"
  # The browser specs drive the same server code on both backends; the embedded pass keeps the classroom
  # end to end and the proof that the dev server (bin/aula dev) is what it served.
  EMBEDDED_BROWSER_SPECS="--files=tests/browser/built_bundle.spec.ts --files=tests/browser/classroom.spec.ts"
  run "SQLite + in-process realtime, browser" "browser ${EMBEDDED_BROWSER_SPECS}" "${embedded[@]}"
fi
# The PostgreSQL + Redis run serves the production build (public/assets, built once per source version)
# instead of Vite's dev server, so the browser tests run once against the bundle users get
# (tests/browser/built_bundle.spec.ts proves which one was served).
bash bin/setup/build_assets.sh
run "PostgreSQL + Redis" "" AULA_BUILT_ASSETS=1 DB_CONNECTION=pg DATABASE_URL="$database_url" REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX="${redis_prefix}:"

echo "${total_passed} passed, ${total_failed} failed"
exit $status
