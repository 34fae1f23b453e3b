import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { startClass } from '#app/classes/services/class_lifecycle'
import { createSchool } from '#tests/helpers/fixtures'
import { send, sendOk, socketTracker } from '#tests/helpers/sockets'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined

/**
 * The classroom's "Recording" badge asks recording:status when it joins (RecordingIndicator.vue):
 * everybody in a recorded class — students as well as the teacher — is told; in a school that
 * switched recording off the event is refused as plugin_disabled and no badge shows.
 */
test.group('Recording: the indicator for everybody in class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('students and the teacher of a recorded class are told it is recorded; a school with recording off is not', async ({ assert }) => {
    const on = await createSchool()
    const off = await createSchool()
    const plugins = await app.container.make('plugins')
    await plugins.settings.update(off.school.id, 'recording', { enabled: false, settings: { resolution: '720p', parentsMayWatch: false, retentionDays: 365 } }, off.admin.id)
    await startClass(on.classSession)
    await startClass(off.classSession)

    for (const user of [on.students[0], on.students[1], on.teacher]) {
      assert.deepEqual(await sendOk(await joined(user, on.classSession.id), 'recording:status', {}), { recording: true }, user.email)
    }
    const refused = await send(await joined(off.students[0], off.classSession.id), 'recording:status', {})
    assert.isFalse(refused.ok)
    if (!refused.ok) assert.equal(refused.error.code, 'plugin_disabled')
  })
})
