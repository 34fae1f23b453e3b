#!/usr/bin/env bash
# On-demand mutation run (StrykerJS) over Aula's permission code; not part of CI.
#   bash scripts/mutation.sh roles     # the gateway's session and role checks (fastest)
#   bash scripts/mutation.sh ratelimit # the gateway's rate limit
#   bash scripts/mutation.sh input     # the gateway's input checks: unknown event, prototype keys and depth, size, validation
#   bash scripts/mutation.sh gateway   # the gateway's whole #run and rate limit against the realtime matrix
#   bash scripts/mutation.sh http      # role middleware and the course/class policies against the HTTP matrix
#   bash scripts/mutation.sh plugins   # the plugin host: disabled plugins' events and routes refused, plugin event names
#   bash scripts/mutation.sh handlers  # the plugins' realtime handlers' own authorisation checks (whiteboard, chat, engagement)
#   bash scripts/mutation.sh video     # the video plugin's ownership checks (transports, consumers, producers; real sidecar: take the heavy lock)
#   bash scripts/mutation.sh quizzes   # the quizzes plugin's checks: runs and quizzes of this class, school settings, answer refusals and rate
#   bash scripts/mutation.sh breakouts # the breakouts plugin's checks: one round, school settings, rooms and students of this class, capacity
#   bash scripts/mutation.sh membership # who takes part in a class, and as what (app/classes/membership.ts)
#   bash scripts/mutation.sh all       # gateway, http and class membership (slowest)
# Every mutant boots the test app once (~15-30 s on a shared 2-core machine). It starts an app
# server on $PORT: take the heavy lock on a shared machine:
#   flock /tmp/aula-heavy.lock bash scripts/mutation.sh gateway
# The report is printed and written to tmp/mutation/report-<scope>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-roles}
case "$scope" in
  roles) mutate='["app/realtime/gateway.ts:128-133"]' ;;
  ratelimit) mutate='["app/realtime/gateway.ts:151-163"]' ;;
  gateway) mutate='["app/realtime/gateway.ts:115-164"]' ;;
  http) mutate='["app/core/middleware/role_middleware.ts", "app/courses/course_policy.ts:25-28", "app/classes/class_session_policy.ts"]' ;;
  plugins) mutate='["app/realtime/gateway.ts:134-136", "app/plugins/plugin_enabled_middleware.ts:7-13", "app/plugins/host_api.ts:172-175", "app/plugins/plugin_settings_service.ts:43-47"]' ;;
  input) mutate='["app/realtime/gateway.ts:116-126", "app/realtime/gateway.ts:138-148", "app/core/payload_guard.ts:12-28"]' ;;
  video) mutate='["plugins/video/realtime.ts:174-174", "plugins/video/realtime.ts:186-186", "plugins/video/realtime.ts:205-205", "plugins/video/realtime.ts:240-241", "plugins/video/realtime.ts:253-253", "plugins/video/realtime.ts:265-265", "plugins/video/realtime.ts:311-311", "plugins/video/realtime.ts:321-321"]' ;;
  handlers) mutate='["plugins/whiteboard/realtime.ts:23-31", "plugins/whiteboard/realtime.ts:49-51", "plugins/whiteboard/realtime.ts:69-71", "plugins/whiteboard/realtime.ts:210-212", "plugins/whiteboard/realtime.ts:295-300", "plugins/chat/realtime.ts:35-40", "plugins/chat/realtime.ts:83-86", "plugins/chat/realtime.ts:100-106", "plugins/engagement/realtime.ts:30-30"]' ;;
  quizzes) mutate='["plugins/quizzes/services/run_service.ts:47-48", "plugins/quizzes/services/run_service.ts:54-55", "plugins/quizzes/services/run_service.ts:74-76", "plugins/quizzes/services/run_service.ts:173-175", "plugins/quizzes/services/answer_service.ts:27-36"]' ;;
  breakouts) mutate='["plugins/breakouts/service.ts:80-84", "plugins/breakouts/service.ts:148-149", "plugins/breakouts/service.ts:154-155", "plugins/breakouts/service.ts:161-163", "plugins/breakouts/service.ts:169-172", "plugins/breakouts/service.ts:181-182"]' ;;
  membership) mutate='["app/classes/membership.ts:16-30"]' ;;
  all) mutate='["app/realtime/gateway.ts:115-164", "app/core/middleware/role_middleware.ts", "app/courses/course_policy.ts", "app/classes/class_session_policy.ts", "app/classes/membership.ts"]' ;;
  *) echo "usage: $0 roles|ratelimit|input|gateway|http|plugins|handlers|video|quizzes|breakouts|membership|all" >&2; exit 2 ;;
esac
mkdir -p tmp/mutation
config=tmp/mutation/stryker.config-$scope.json
node -e '
  const fs = require("fs")
  const config = JSON.parse(fs.readFileSync("scripts/stryker.permissions.config.json", "utf8"))
  delete config._comment
  config.mutate = JSON.parse(process.argv[1])
  config.jsonReporter.fileName = `tmp/mutation/report-${process.argv[3]}.json`
  fs.writeFileSync(process.argv[2], JSON.stringify(config, null, 2))
' "$mutate" "$config" "$scope"
AULA_MUTATION_SCOPE=$scope exec npx stryker run "$config" ${STRYKER_ARGS:-}
