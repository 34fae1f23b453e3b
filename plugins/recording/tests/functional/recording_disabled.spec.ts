import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { createSchool } from '#tests/helpers/fixtures'
import Recording from '../../models/recording.js'

/**
 * A school that switched the recording plugin off has nothing captured: starting a class writes no
 * recording row (the row is what tells the sidecar to record, re-start after a sidecar restart and
 * assemble at class end). Another school's class, started the same way, is recorded.
 */
test.group('Recording: a school that switched the plugin off', () => {
  test('its classes write no recording; a school with recording on gets one per class', async ({ client, assert }) => {
    const off = await createSchool()
    const on = await createSchool()
    const plugins = await app.container.make('plugins')
    await plugins.settings.update(off.school.id, 'recording', { enabled: false, settings: { resolution: '720p', parentsMayWatch: false, retentionDays: 365 } }, off.admin.id)

    const started = async (f: typeof off) => {
      const response = await client.post(`/classes/${f.classSession.id}/start`).loginAs(f.teacher).withCsrfToken().redirects(0)
      response.assertStatus(302)
    }
    await started(off)
    await started(on)
    // The row is written before the class:started listeners return, so before the request answers.
    assert.isNotNull(await Recording.findBy('classSessionId', on.classSession.id))
    assert.isNull(await Recording.findBy('classSessionId', off.classSession.id))
    const list = await client.get('/plugins/recording/recordings').loginAs(off.admin).accept('json')
    assert.equal(list.status(), 404, 'the plugin’s pages are gone for that school')
  })
})
