/*
| Connection-quality reports (video:quality, plugins/video/network_quality.ts): a participant's report
| reaches the class's teachers as video:peer_quality and nobody else (not the other students, not
| another class); reports are validated and limited to one a second per tab. The browser side (the
| badge, the teacher's weak-link marker from a real report) is in tests/browser/video_network.spec.ts.
*/
import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import '../../events.js'

const sockets = socketTracker()

test.group('Video: connection quality reports', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a student’s report reaches the class’s teachers only', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const teacher = await sockets.joined(a.teacher, a.classSession.id)
    const student = await sockets.joined(a.students[0], a.classSession.id)
    const classmate = await sockets.joined(a.students[1], a.classSession.id)
    const otherTeacher = await sockets.joined(b.teacher, b.classSession.id)
    const classmateWatch = watchAbsence(classmate, 'video:peer_quality')
    const otherWatch = watchAbsence(otherTeacher, 'video:peer_quality')

    const relayed = nextEvent(teacher, 'video:peer_quality')
    assert.isNull(await sendOk(student, 'video:quality', { level: 'poor', rttMs: 820, lossPercent: 14.5 }))
    assert.deepEqual(await relayed, { userId: a.students[0].id, level: 'poor' })

    assert.isTrue(await classmateWatch.settle(student), 'a classmate got another student’s quality')
    assert.isTrue(await otherWatch.settle(otherTeacher), 'a teacher of another class got it')
  })

  test('reports are validated and at most one a second per tab', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    await sockets.joined(teacher, classSession.id)
    const student = await sockets.joined(students[0], classSession.id)

    for (const payload of [
      { level: 'terrible' },
      { level: 'poor', rttMs: -1 },
      { level: 'poor', lossPercent: 101 },
      { level: 'poor', rttMs: 'slow' },
      JSON.parse('{"level":"poor","__proto__":{"admin":true}}'),
    ]) {
      const response = await send(student, 'video:quality', payload)
      assert.isFalse(response.ok, JSON.stringify(payload))
      if (!response.ok) assert.equal(response.error.code, 'invalid', JSON.stringify(payload))
    }

    await sendOk(student, 'video:quality', { level: 'fair' })
    const second = await send(student, 'video:quality', { level: 'good' })
    assert.isFalse(second.ok)
    if (!second.ok) assert.equal(second.error.code, 'rate_limited')
    // A second later the tab may report again.
    await eventually('a later report is accepted', async () => (await send(student, 'video:quality', { level: 'good' })).ok, {
      timeoutMs: 5000,
      intervalMs: 250,
    })
  })

  test('audio only needs the tab to have joined the video room', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const student = await sockets.joined(students[0], classSession.id)
    const response = await send(student, 'video:audio_only', { on: true })
    assert.isFalse(response.ok)
    if (!response.ok) assert.equal(response.error.code, 'conflict')
    const invalid = await send(student, 'video:audio_only', { on: 'yes' })
    assert.isFalse(invalid.ok)
    if (!invalid.ok) assert.equal(invalid.error.code, 'invalid')
  })
})
