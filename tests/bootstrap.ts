import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { inertiaApiClient } from '@adonisjs/inertia/plugins/api_client'
import { createServerWithRealtime } from '#app/realtime/attach'
import { ensureTestDatabase, freshDatabase } from '#tests/helpers/database'
import { forgetSpawnedProcessState } from '#tests/helpers/app_process'
import { keepFailuresPrintable } from '#tests/helpers/printable_errors'
import { stopLeftoverRecordings } from '#tests/helpers/leftover_recordings'
import { endClassesLeftLiveByEachTest } from '#tests/helpers/leftover_classes'

keepFailuresPrintable()

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  inertiaApiClient(app),
]

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    async () => {
      await ensureTestDatabase()
      const ace = await app.container.make('ace')
      await freshDatabase(ace)
      /* Fresh database, fresh ids: forget live-class state a previous run left in Redis. */
      const realtime = await app.container.make('realtime')
      if (realtime.usesRedis) await realtime.state.clearPrefix('')
      else await forgetSpawnedProcessState()
    },
    /* One real HTTP server (with socket.io on the same port) for the whole run. */
    () => testUtils.httpServer().start(createServerWithRealtime),
  ],
  teardown: [],
}

/*
| After each group, the recordings its tests left running are stopped in the database (see
| tests/helpers/leftover_recordings.ts): otherwise every later group's media sidecar would record
| those classes again, an encoder and a board renderer each, for the rest of the run. In the browser
| suite, the classes each test left live are ended after it (tests/helpers/leftover_classes.ts).
*/
export const configureSuite: Config['configureSuite'] = (suite) => {
  suite.onGroup((group) => {
    group.teardown(stopLeftoverRecordings)
    if (suite.name === 'browser') endClassesLeftLiveByEachTest(group)
  })
}
