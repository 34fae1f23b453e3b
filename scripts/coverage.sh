#!/usr/bin/env bash
# Line and branch coverage (c8, V8's own counters) of the server code while the tests run.
#   bash scripts/coverage.sh                 # the whole suite (unit, functional, realtime, media, browser), SQLite + in-process realtime
#   bash scripts/coverage.sh unit functional # chosen suites
#   BACKEND=pg bash scripts/coverage.sh      # PostgreSQL + Redis instead
# Runs app processes and many sockets: on a shared machine take the heavy lock first:
#   flock /tmp/aula-heavy.lock bash scripts/coverage.sh
# Summary on stdout; HTML report in coverage/index.html. App processes the tests spawn inherit
# NODE_V8_COVERAGE and are counted too. Browser UI code (plugins/*/ui, resources/) is not server code.
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit functional realtime media browser)
if [ "${BACKEND:-sqlite}" = pg ]; then
  backend=(DB_CONNECTION=pg DATABASE_URL="${AULA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aula_test}" REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX="${AULA_TEST_REDIS_PREFIX:-aula-test}:")
else
  backend=(DB_CONNECTION=sqlite SQLITE_PATH=tmp/coverage.sqlite3 REDIS_URL= REDIS_PREFIX="${AULA_TEST_REDIS_PREFIX:-aula-test}-coverage:")
fi
rm -rf coverage tmp/c8
env "${backend[@]}" npx c8 --temp-directory tmp/c8 --all --src . \
  --include 'app/**/*.ts' --include 'plugins/*/*.ts' --include 'plugins/*/controllers/**/*.ts' --include 'plugins/*/models/**/*.ts' \
  --include 'start/**/*.ts' \
  --exclude 'plugins/*/tests/**' --exclude 'plugins/*/ui/**' --exclude '**/*.d.ts' \
  --reporter text-summary --reporter html --reporter json-summary --report-dir coverage \
  node ace test "${suites[@]}"
