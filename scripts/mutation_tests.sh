#!/usr/bin/env bash
# The tests each mutant must fail: the permission matrices (realtime and HTTP), on SQLite with the
# in-process realtime server (the fastest backend). Called by Stryker inside its sandbox.
set -uo pipefail
files=()
case "${AULA_MUTATION_SCOPE:-all}" in
  roles|ratelimit|gateway) files=(--files=tests/realtime/permission_matrix.spec.ts) ;;
  http) files=(--files=tests/functional/route_permissions.spec.ts) ;;
  *) files=(--files=tests/realtime/permission_matrix.spec.ts --files=tests/functional/route_permissions.spec.ts) ;;
esac
mkdir -p tmp
exec env DB_CONNECTION=sqlite SQLITE_PATH=tmp/mutation.sqlite3 REDIS_URL= node ace test "${files[@]}" >tmp/mutation-last-run.log 2>&1
