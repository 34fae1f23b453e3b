import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createSchool } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { startAppProcess } from '#tests/helpers/app_process'
import WhiteboardPage from '../../models/whiteboard_page.js'
import { element } from '../element.js'
import '../../events.js'

const sockets = socketTracker()

test.group('Whiteboard: an app process stopped gracefully', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('in the embedded mode (scenes in process memory) it writes out the scenes and activity it buffered', async ({ assert }) => {
    // Memory-only live state, and a periodic write far away: only the shutdown flush can save the drawing.
    const app = await startAppProcess({ env: { REDIS_URL: '', WHITEBOARD_WRITE_EVERY_MS: '600000' } })
    try {
      const { teacher, classSession } = await createSchool({ liveClass: true })
      const teacherSocket = await sockets.joined(teacher, classSession.id, app.url)
      const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
      await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('drawn-1'), element('drawn-2', 3)] })

      const row = () => WhiteboardPage.query().where({ classSessionId: classSession.id, pageKey: pageId }).firstOrFail()
      assert.deepEqual((await row()).elements, [], 'nothing written yet')

      await app.kill('SIGTERM')
      assert.equal(app.child.exitCode, 0, app.output())
      assert.deepEqual(
        (await row()).elements.map((e) => `${e.id}@${e.version}`).sort(),
        ['drawn-1@1', 'drawn-2@3'],
        'the scene held in memory was written before exit'
      )
      const activity = await db.from('whiteboard_activity').where('class_session_id', classSession.id).select('action', 'element_count')
      assert.deepEqual(
        activity.map((a) => [a.action, Number(a.element_count)]),
        [['draw', 2]]
      )
    } finally {
      await app.kill('SIGKILL')
    }
  })
})
