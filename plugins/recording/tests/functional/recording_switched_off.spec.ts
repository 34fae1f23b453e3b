import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { eventually } from '#tests/helpers/poll'
import Recording from '../../models/recording.js'

const SETTINGS = { resolution: '720p', parentsMayWatch: false, retentionDays: 365 }

/**
 * A school switches recording off while a class runs: that class's recording ends then, finished
 * as a recording of what was captured (no media sidecar runs here, so nothing reached storage and
 * it fails with that reason, with the switch-off time as its end); another school's class keeps
 * recording, and so does the class of a school that only changed a setting.
 */
test.group('Recording: a school switches the plugin off mid-class', () => {
  test('its running recording is finished now; other recordings go on', async ({ client, assert }) => {
    const off = await createSchool()
    const changed = await createSchool()
    const other = await createSchool()
    for (const f of [off, changed, other]) {
      const response = await client.post(`/classes/${f.classSession.id}/start`).loginAs(f.teacher).withCsrfToken().redirects(0)
      response.assertStatus(302)
    }
    const recordingOf = (f: typeof off) => Recording.findByOrFail('classSessionId', f.classSession.id)
    for (const f of [off, changed, other]) assert.equal((await recordingOf(f)).state, 'recording')

    const before = Date.now()
    const response = await client.put('/admin/plugins/recording').json({ enabled: false, settings: SETTINGS }).loginAs(off.admin).withCsrfToken().accept('json')
    response.assertStatus(200)
    const settings = await client.put('/admin/plugins/recording').json({ enabled: true, settings: { ...SETTINGS, retentionDays: 30 } }).loginAs(changed.admin).withCsrfToken().accept('json')
    settings.assertStatus(200)

    const ended = await eventually(
      'the switched-off school’s recording finished',
      async () => {
        const row = await recordingOf(off)
        return row.state === 'ready' || row.state === 'failed' ? row : null
      },
      { timeoutMs: 30_000, intervalMs: 200 }
    )
    assert.equal(ended.failureReason, 'Nothing was recorded: no part of this class reached storage')
    assert.isAtLeast(ended.endedAt!.toMillis(), before - 1000, 'ended when the plugin was switched off')
    assert.equal((await recordingOf(changed)).state, 'recording', 'a changed setting does not stop the recording')
    assert.equal((await recordingOf(other)).state, 'recording', 'another school’s class keeps recording')
  }).timeout(60_000)
})
