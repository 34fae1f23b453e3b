import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import { TEST_URL } from '#tests/helpers/sockets'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** bin/run_tests.sh serves the production build in its PostgreSQL + Redis run (app/core/vite_provider.ts). */
const BUILT = process.env.AULA_BUILT_ASSETS === '1'

/*
| The test server runs Vite's dev server in middleware mode, as `bin/aula dev` does: it must serve the
| browser code (the classroom page imports app/realtime/events.ts and participant_list.ts, plugin UIs their events.ts) and
| nothing else of the project. With the production build (AULA_BUILT_ASSETS=1) no source is served at all.
*/
test.group('Security: development server (Vite middleware)', () => {
  test(`${BUILT ? 'built assets only: no source is served' : 'browser code is served'}; the database, .env, package.json, config and server code are not`, async ({ assert }) => {
    for (const path of ['/resources/js/app.ts', '/app/realtime/events.ts', '/app/realtime/participant_list.ts', '/plugins/chat/ui/ChatPanel.vue']) {
      const response = await fetch(`${TEST_URL}${path}`, { headers: { accept: '*/*' } })
      if (BUILT) assert.equal(response.status, 404, path)
      else assert.equal(response.status, 200, path)
    }
    for (const path of [
      '/package.json',
      '/tmp/test.sqlite3',
      '/.env.test',
      '/config/app.ts',
      '/start/env.ts',
      '/app/realtime/gateway.ts',
      '/app/users/models/user.ts',
      `/@fs${ROOT}package.json`,
      `/@fs${ROOT}tmp/test.sqlite3`,
      '/@fs/etc/passwd',
    ]) {
      const response = await fetch(`${TEST_URL}${path}`, { headers: { accept: '*/*' } })
      const body = await response.text()
      assert.oneOf(response.status, [403, 404], `${path} answered ${response.status}`)
      assert.notInclude(body, 'SQLite format', path)
      assert.notInclude(body, '"dependencies"', path)
      assert.notInclude(body, 'APP_KEY', path)
    }
  })
})
