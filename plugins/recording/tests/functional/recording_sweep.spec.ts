import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import ClassSession from '#app/classes/models/class_session'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import Recording from '../../models/recording.js'
import { recordingPrefix } from '../../assemble.js'
import { RecordingService, type RecordingHost } from '../../recording_service.js'

/**
 * The plugin's service on a host whose media sidecar is unreachable (as at a boot where nothing
 * runs): settings come from the real plugin settings, every media call fails.
 */
async function serviceWithoutSidecar() {
  const plugins = await app.container.make('plugins')
  const quiet = () => {}
  const logger = { info: quiet, warn: quiet, error: quiet, debug: quiet }
  const host = {
    id: 'recording',
    logger,
    settings: {
      forSchool: (schoolId: number) => plugins.settings.settingsFor(schoolId, 'recording'),
      isEnabled: (schoolId: number) => plugins.settings.isEnabled(schoolId, 'recording'),
    },
    media: async () => {
      throw new Error('no media sidecar runs in this test')
    },
    realtime: { toSession: () => ({ emit() {} }) },
  } as unknown as RecordingHost
  return new RecordingService(host)
}

async function saveSettings(f: SchoolFixture, settings: { retentionDays: number }) {
  const plugins = await app.container.make('plugins')
  await plugins.settings.update(f.school.id, 'recording', { enabled: true, settings: { resolution: '720p', parentsMayWatch: false, ...settings } }, f.admin.id)
}

async function classOf(f: SchoolFixture, status: 'live' | 'ended', endedAt: DateTime | null = null) {
  return ClassSession.create({
    schoolId: f.school.id,
    courseId: f.course.id,
    teacherId: f.teacher.id,
    title: `Class ${status}`,
    status,
    scheduledAt: DateTime.now().minus({ hours: 2 }),
    startedAt: DateTime.now().minus({ hours: 2 }),
    endedAt,
    durationMinutes: 45,
  })
}

async function recordingOf(f: SchoolFixture, session: ClassSession, values: Partial<Recording> & { state: Recording['state']; startedAt: DateTime }) {
  const recording = await Recording.create({
    classSessionId: session.id,
    schoolId: f.school.id,
    courseId: f.course.id,
    recordingKey: randomUUID(),
    title: session.title,
    width: 1280,
    height: 720,
    attempts: 0,
    ...values,
  })
  await drive.use().put(`${recordingPrefix(recording.recordingKey)}/recording.mp4`, Buffer.from('mp4 bytes'))
  return recording
}

const stored = (recording: Recording) => drive.use().exists(`${recordingPrefix(recording.recordingKey)}/recording.mp4`)

test.group('Recording: retention per school and the boot sweep', () => {
  test('recordings past their school’s retention are deleted with their files; newer ones, live ones and schools that keep everything are not', async ({ assert }) => {
    const a = await createSchool()
    const b = await createSchool()
    await saveSettings(a, { retentionDays: 30 })
    await saveSettings(b, { retentionDays: 0 })
    const endedA = await classOf(a, 'ended', DateTime.now())
    const old = await recordingOf(a, endedA, { state: 'ready', startedAt: DateTime.now().minus({ days: 40 }) })
    const oldFailed = await recordingOf(a, await classOf(a, 'ended', DateTime.now()), { state: 'failed', failureReason: 'x', startedAt: DateTime.now().minus({ days: 31 }) })
    const recent = await recordingOf(a, await classOf(a, 'ended', DateTime.now()), { state: 'ready', startedAt: DateTime.now().minus({ days: 29 }) })
    const keptByB = await recordingOf(b, await classOf(b, 'ended', DateTime.now()), { state: 'ready', startedAt: DateTime.now().minus({ days: 4000 }) })

    const service = await serviceWithoutSidecar()
    await service.applyRetention()

    assert.isNull(await Recording.find(old.id), 'the 40-day-old recording of a 30-day school')
    assert.isFalse(await stored(old), 'its MP4')
    assert.isNull(await Recording.find(oldFailed.id), 'a failed one past retention')
    assert.isNotNull(await Recording.find(recent.id))
    assert.isTrue(await stored(recent))
    assert.isNotNull(await Recording.find(keptByB.id), 'retention 0 keeps everything')
    assert.isTrue(await stored(keptByB))
  })

  test('the boot sweep finishes recordings whose class ended while nothing ran and takes over dead assemblies; live classes keep recording', async ({ assert }) => {
    const f = await createSchool()
    await saveSettings(f, { retentionDays: 0 })
    const endedAt = DateTime.now().minus({ minutes: 10 }).set({ millisecond: 0 })
    const orphan = await recordingOf(f, await classOf(f, 'ended', endedAt), { state: 'recording', startedAt: DateTime.now().minus({ hours: 1 }) })
    const deadAssembly = await recordingOf(f, await classOf(f, 'ended', endedAt), {
      state: 'processing',
      startedAt: DateTime.now().minus({ hours: 1 }),
      leaseUntil: DateTime.utc().minus({ minutes: 1 }),
      attempts: 1,
    })
    const leased = await recordingOf(f, await classOf(f, 'ended', endedAt), {
      state: 'processing',
      startedAt: DateTime.now().minus({ hours: 1 }),
      leaseUntil: DateTime.utc().plus({ minutes: 2 }),
      attempts: 1,
    })
    const live = await recordingOf(f, await classOf(f, 'live'), { state: 'recording', startedAt: DateTime.now().minus({ minutes: 5 }) })

    const service = await serviceWithoutSidecar()
    await service.sweep()

    // Nothing of these classes reached storage: the sweep ends them as failed, with the reason, and the end time of the class.
    const finished = await Recording.findOrFail(orphan.id)
    assert.equal(finished.state, 'failed')
    assert.match(finished.failureReason!, /Nothing was recorded/)
    assert.equal(finished.endedAt!.toMillis(), endedAt.toMillis())
    const takenOver = await Recording.findOrFail(deadAssembly.id)
    assert.equal(takenOver.state, 'failed')
    assert.equal(takenOver.attempts, 2, 'one more assembly attempt')
    const stillLeased = await Recording.findOrFail(leased.id)
    assert.equal(stillLeased.state, 'processing', 'another process still holds its lease')
    assert.equal(stillLeased.attempts, 1)
    assert.equal((await Recording.findOrFail(live.id)).state, 'recording')
  })
})
