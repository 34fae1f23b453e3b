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
import { ensureTestDatabase } from '#tests/helpers/database'
import { forgetSpawnedProcessState } from '#tests/helpers/app_process'

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
      // No advisory lock: Lucid takes and releases it through the pool, on connections that can differ,
      // and then fails with "unable to release database lock" (seen once in CI). The suite is the only migrator.
      const command = await ace.exec('migration:fresh', ['--force', '--disable-locks'])
      if (command.exitCode !== 0) throw command.error ?? new Error('migration:fresh failed')
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
