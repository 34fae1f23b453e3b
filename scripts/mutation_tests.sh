#!/usr/bin/env bash
# The tests each mutant must fail: the permission matrices (realtime and HTTP), the plugin-host test or the
# plugins' realtime specs, on SQLite with the in-process realtime server (the fastest backend). Called by Stryker inside its sandbox.
set -uo pipefail
files=()
# The file (of those given) holding the active mutant: Stryker names it in __STRYKER_ACTIVE_MUTANT__ and
# the instrumented sandbox code tests it with stryMutAct_9fa48("<id>").
mutated_file() {
  [ -n "${__STRYKER_ACTIVE_MUTANT__:-}" ] || return 0
  grep -l "stryMutAct_9fa48(\"${__STRYKER_ACTIVE_MUTANT__}\")" "$@" 2>/dev/null | head -1
}
case "${AULA_MUTATION_SCOPE:-all}" in
  roles|ratelimit|gateway) files=(--files=tests/realtime/permission_matrix.spec.ts) ;;
  input)
    # payload_guard.ts is also the HTTP body guard: security_payloads.spec.ts covers both.
    case "$(mutated_file app/core/payload_guard.ts)" in
      app/core/payload_guard.ts) files=(--files=tests/realtime/security_payloads.spec.ts) ;;
      *) files=(--files=tests/realtime/gateway.spec.ts --files=tests/realtime/security_payloads.spec.ts) ;;
    esac ;;
  video) files=(--files=plugins/video/tests/media/video_server.spec.ts) ;;
  quizzes) files=(--files=plugins/quizzes/tests/realtime/quizzes.spec.ts) ;;
  breakouts) files=(--files=plugins/breakouts/tests/realtime/breakouts.spec.ts --files=plugins/breakouts/tests/realtime/breakout_controls.spec.ts --files=plugins/breakouts/tests/realtime/breakout_refusals.spec.ts) ;;
  membership) files=(--files=tests/functional/class_membership.spec.ts) ;;
  http) files=(--files=tests/functional/route_permissions.spec.ts --files=tests/functional/route_permissions_allowed.spec.ts) ;;
  plugins) files=(--files=tests/realtime/plugin_disabled.spec.ts) ;;
  handlers)
    whiteboard=(--files=plugins/whiteboard/tests/realtime/whiteboard.spec.ts --files=plugins/whiteboard/tests/functional/boards_api.spec.ts --files=plugins/whiteboard/tests/realtime/whiteboard_breakouts.spec.ts)
    chat=(--files=plugins/chat/tests/realtime/chat.spec.ts)
    engagement=(--files=plugins/engagement/tests/realtime/live_scores.spec.ts)
    # A mutant runs only its own plugin's specs (the dry run, with no active mutant, runs them all).
    case "$(mutated_file plugins/whiteboard/realtime.ts plugins/chat/realtime.ts plugins/engagement/realtime.ts)" in
      plugins/whiteboard/*) files=("${whiteboard[@]}") ;;
      plugins/chat/*) files=("${chat[@]}") ;;
      plugins/engagement/*) files=("${engagement[@]}") ;;
      *) files=("${whiteboard[@]}" "${chat[@]}" "${engagement[@]}") ;;
    esac ;;
  *) files=(--files=tests/realtime/permission_matrix.spec.ts --files=tests/functional/route_permissions.spec.ts) ;;
esac
mkdir -p tmp
# tmp/mutation-selection.log (in Stryker's sandbox) shows each mutant's tests and exit code as the run goes (0 = survived).
env DB_CONNECTION=sqlite SQLITE_PATH=tmp/mutation.sqlite3 REDIS_URL= node ace test "${files[@]}" >tmp/mutation-last-run.log 2>&1
code=$?
echo "mutant ${__STRYKER_ACTIVE_MUTANT__:-none} exit $code: ${files[*]}" >>tmp/mutation-selection.log
exit $code
