import { test } from '@japa/runner'
import { randomBytes, randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import drive from '@adonisjs/drive/services/main'
import Course from '#app/courses/models/course'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import Recording from '../../models/recording.js'
import { recordingPrefix } from '../../assemble.js'

/** A ready recording of the fixture's class with an MP4 of known bytes, a chapters track and one stored segment. */
async function readyRecording(f: SchoolFixture) {
  const recording = await Recording.create({
    classSessionId: f.classSession.id,
    schoolId: f.school.id,
    courseId: f.course.id,
    recordingKey: randomUUID(),
    title: f.classSession.title,
    state: 'ready',
    width: 1280,
    height: 720,
    startedAt: DateTime.now().minus({ hours: 1 }),
    endedAt: DateTime.now(),
    durationMs: 3_600_000,
    sizeBytes: 200_000,
    attempts: 1,
  })
  const mp4 = randomBytes(200_000)
  const prefix = recordingPrefix(recording.recordingKey)
  await drive.use().put(`${prefix}/recording.mp4`, mp4)
  await drive.use().put(`${prefix}/chapters.vtt`, 'WEBVTT\n\n1\n00:00:00.000 --> 00:10:00.000\nPage 1\n\n2\n00:10:00.000 --> 01:00:00.000\nSlide 2\n')
  const segment = randomBytes(5000)
  await drive.use().put(`${prefix}/parts/p1-abc/seg_00001.m4s`, segment)
  return { recording, mp4, segment, prefix }
}

test.group('Recording: playback access and HTTP Range', (group) => {
  const cleanups: string[] = []
  group.each.teardown(async () => {
    for (const prefix of cleanups.splice(0)) await drive.use().deleteAll(prefix)
  })

  test('course students and teachers watch; another course, another school and parents (by default) get 404 for page, file and segment', async ({ client, assert }) => {
    const f = await createSchool()
    const { recording, prefix } = await readyRecording(f)
    cleanups.push(prefix)
    const otherCourse = await Course.create({ schoolId: f.school.id, teacherId: f.otherTeacher.id, name: 'Other course' })
    await otherCourse.related('students').attach([f.outsider.id])
    const foreign = await createSchool()
    const base = `/plugins/recording/recordings/${recording.id}`
    const urls = [base, `${base}/video.mp4`, `${base}/chapters.vtt`, `${base}/parts/p1-abc/seg_00001.m4s`]

    for (const user of [f.students[0], f.teacher, f.admin]) {
      for (const url of urls) (await client.get(url).loginAs(user)).assertStatus(200)
    }
    for (const user of [f.outsider, f.otherTeacher, f.parent, foreign.admin, foreign.students[0], foreign.teacher]) {
      for (const url of urls) {
        const response = await client.get(url).loginAs(user).accept('json')
        assert.equal(response.status(), 404, `${user.email} ${url}`)
      }
    }
    const listed = await client.get('/plugins/recording/recordings').loginAs(f.outsider).accept('json')
    assert.deepEqual(listed.body().recordings, [])
    const own = await client.get('/plugins/recording/recordings').loginAs(f.students[1]).accept('json')
    assert.deepEqual(own.body().recordings.map((r: { id: number }) => r.id), [recording.id])

    // The school lets parents watch: the parent of an enrolled student now may.
    const saved = await client
      .put('/admin/plugins/recording')
      .json({ enabled: true, settings: { resolution: '720p', parentsMayWatch: true, retentionDays: 365 } })
      .loginAs(f.admin)
      .withCsrfToken()
      .accept('json')
    saved.assertStatus(200)
    for (const url of urls) (await client.get(url).loginAs(f.parent)).assertStatus(200)
    ;(await client.get(`${base}/video.mp4`).loginAs(foreign.parent).accept('json')).assertStatus(404)
  }).timeout(120_000)

  test('Range requests return 206 with exactly the requested bytes; a range past the end is 416', async ({ client, assert }) => {
    const f = await createSchool()
    const { recording, mp4, prefix } = await readyRecording(f)
    cleanups.push(prefix)
    const url = `/plugins/recording/recordings/${recording.id}/video.mp4`
    const whole = await client.get(url).loginAs(f.students[0])
    whole.assertStatus(200)
    assert.equal(whole.header('accept-ranges'), 'bytes')
    assert.equal(whole.header('content-length'), String(mp4.length))

    for (const [range, start, end] of [['bytes=100-1099', 100, 1099], ['bytes=199000-', 199000, 199999], ['bytes=-500', 199500, 199999], ['bytes=0-0', 0, 0]] as const) {
      const response = await fetchRange(client, url, f.students[0], range)
      assert.equal(response.status, 206, range)
      assert.equal(response.contentRange, `bytes ${start}-${end}/${mp4.length}`, range)
      assert.isTrue(response.body.equals(mp4.subarray(start, end + 1)), `bytes of ${range}`)
    }
    // The download button's link: the same bytes as an attachment named after the class.
    const download = await client.get(`${url}?download=1`).loginAs(f.students[0])
    download.assertStatus(200)
    assert.equal(download.header('content-disposition'), `attachment; filename="${recording.title.replace(/\s+/g, '-')}.mp4"`)
    assert.equal(download.header('content-length'), String(mp4.length))
    const past = await fetchRange(client, url, f.students[0], 'bytes=300000-')
    assert.equal(past.status, 416)
    assert.equal(past.contentRange, `bytes */${mp4.length}`)
  })

  test('a ready recording whose files are missing from storage (lost, or deleted by hand) answers 404, never a server error', async ({ client }) => {
    const f = await createSchool()
    const { recording, prefix } = await readyRecording(f)
    cleanups.push(prefix)
    await drive.use().deleteAll(prefix)
    const base = `/plugins/recording/recordings/${recording.id}`
    for (const url of [`${base}/video.mp4`, `${base}/parts/p1-abc/seg_00001.m4s`]) {
      ;(await client.get(url).loginAs(f.students[0]).accept('json')).assertStatus(404)
    }
  })

  test('admins list every recording with failures first and delete one; teachers cannot delete', async ({ client, assert }) => {
    const f = await createSchool()
    const { recording, prefix } = await readyRecording(f)
    cleanups.push(prefix)
    const other = await createSchool()
    const failed = await Recording.create({
      classSessionId: (await (await import('#app/classes/models/class_session')).default.create({
        schoolId: f.school.id, courseId: f.course.id, teacherId: f.teacher.id, title: 'Broken class', status: 'ended',
        scheduledAt: DateTime.now(), durationMinutes: 45,
      })).id,
      schoolId: f.school.id, courseId: f.course.id, recordingKey: randomUUID(), title: 'Broken class', state: 'failed',
      failureReason: 'Nothing was recorded: no part of this class reached storage', width: 1280, height: 720,
      startedAt: DateTime.now().minus({ days: 1 }), attempts: 1,
    })
    const page = await client.get('/plugins/recording/admin').loginAs(f.admin).withInertia()
    page.assertStatus(200)
    const rows = page.inertiaProps.recordings as { id: number; state: string; failureReason: string | null; failureKind: string | null }[]
    assert.deepEqual(rows.map((r) => r.id), [failed.id, recording.id])
    assert.match(rows[0].failureReason!, /Nothing was recorded/)
    assert.equal(rows[0].failureKind, 'nothing_recorded', 'what the page words in the user’s language')
    ;(await client.get('/plugins/recording/admin').loginAs(f.teacher).accept('json')).assertStatus(404)

    ;(await client.delete(`/plugins/recording/recordings/${recording.id}`).loginAs(f.teacher).withCsrfToken().accept('json')).assertStatus(404)
    ;(await client.delete(`/plugins/recording/recordings/${recording.id}`).loginAs(other.admin).withCsrfToken().accept('json')).assertStatus(404)
    ;(await client.delete(`/plugins/recording/recordings/${recording.id}`).loginAs(f.admin).withCsrfToken().accept('json')).assertStatus(200)
    assert.isNull(await Recording.find(recording.id))
    assert.isFalse(await drive.use().exists(`${prefix}/recording.mp4`))
  }).timeout(60_000)
})

async function fetchRange(client: any, url: string, user: any, range: string) {
  const response = await client.get(url).loginAs(user).header('range', range)
  const raw = response.response
  return { status: response.status(), contentRange: response.header('content-range'), body: Buffer.from(raw.body ?? raw.text ?? '', typeof raw.body === 'string' ? 'binary' : undefined) }
}
