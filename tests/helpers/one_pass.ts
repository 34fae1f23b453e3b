import type { Group } from '@japa/runner/core'

/**
 * bin/run_tests.sh runs the suite twice: SQLite + in-process realtime, then PostgreSQL + Redis. The
 * heaviest media browser specs (Chromium, a real sidecar, real network namespaces; about five minutes
 * a pass) exercise mediasoup, the browser and the network, and the database only to store the class:
 * they run once, in the PostgreSQL + Redis pass. The SQLite pass leaves them out with
 * `--tags=~@media_once`; a plain `node ace test` runs them.
 */
export const MEDIA_ONCE_TAG = '@media_once'

export function runOnceInTheSuite(group: Group) {
  group.tap((t) => t.tags([MEDIA_ONCE_TAG], 'append'))
}
