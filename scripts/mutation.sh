#!/usr/bin/env bash
# On-demand mutation run (StrykerJS) over Aula's permission code; not part of CI.
#   bash scripts/mutation.sh roles     # the gateway's session and role checks (fastest)
#   bash scripts/mutation.sh ratelimit # the gateway's rate limit
#   bash scripts/mutation.sh gateway   # the gateway's whole #run and rate limit against the realtime matrix
#   bash scripts/mutation.sh http      # role middleware and the course/class policies against the HTTP matrix
#   bash scripts/mutation.sh all       # both, plus class membership (slowest)
# Every mutant boots the test app once (~15-30 s on a shared 2-core machine). It starts an app
# server on $PORT: take the heavy lock on a shared machine:
#   flock /tmp/aula-heavy.lock bash scripts/mutation.sh gateway
# The report is printed and written to tmp/mutation/report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-roles}
case "$scope" in
  roles) mutate='["app/realtime/gateway.ts:106-111"]' ;;
  ratelimit) mutate='["app/realtime/gateway.ts:129-141"]' ;;
  gateway) mutate='["app/realtime/gateway.ts:93-142"]' ;;
  http) mutate='["app/core/middleware/role_middleware.ts", "app/courses/course_policy.ts:25-28", "app/classes/class_session_policy.ts"]' ;;
  all) mutate='["app/realtime/gateway.ts:93-142", "app/core/middleware/role_middleware.ts", "app/courses/course_policy.ts", "app/classes/class_session_policy.ts", "app/classes/membership.ts"]' ;;
  *) echo "usage: $0 roles|ratelimit|gateway|http|all" >&2; exit 2 ;;
esac
mkdir -p tmp/mutation
config=tmp/mutation/stryker.config.json
node -e '
  const fs = require("fs")
  const config = JSON.parse(fs.readFileSync("scripts/stryker.permissions.config.json", "utf8"))
  delete config._comment
  config.mutate = JSON.parse(process.argv[1])
  fs.writeFileSync(process.argv[2], JSON.stringify(config, null, 2))
' "$mutate" "$config"
AULA_MUTATION_SCOPE=$scope exec npx stryker run "$config" ${STRYKER_ARGS:-}
