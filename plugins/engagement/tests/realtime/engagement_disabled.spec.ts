import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, type TestSocket } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import type { LiveTick } from '../../events.js'
import { SIGNALS } from '../../rules.js'
import '../../events.js'

const sockets = socketTracker()
const chatOf = (tick: LiveTick, userId: number) => tick.rows.find((r) => r[0] === userId)?.[3 + SIGNALS.indexOf('chat')]
const contributions = (sessionId: number) => db.from('engagement_contributions').where('class_session_id', sessionId)
const scores = (sessionId: number) => db.from('engagement_scores').where('class_session_id', sessionId)

/** The same activity in a class: two students join, one chats, turns the camera on, draws and answers a quiz. */
async function activity(f: SchoolFixture, sessionId: number) {
  const [first, second] = f.students
  const firstSocket = await sockets.joined(first, sessionId)
  await sockets.joined(second, sessionId)
  await sendOk(firstSocket, 'chat:send', { body: 'hello' })
  const ref = { sessionId, schoolId: f.school.id, courseId: f.course.id }
  const at = () => new Date().toISOString()
  await emitter.emit('activity:signal', { ...ref, at: at(), kind: 'camera', userId: first.id, on: true })
  await emitter.emit('activity:signal', { ...ref, at: at(), kind: 'whiteboard_edit', userId: first.id, count: 3 })
  await emitter.emit('activity:signal', { ...ref, at: at(), kind: 'quiz_opened', questionKey: `q${sessionId}` })
  await emitter.emit('activity:signal', { ...ref, at: at(), kind: 'quiz_answered', userId: second.id, questionKey: `q${sessionId}`, responseMs: 4000 })
  await emitter.emit('activity:signal', { ...ref, at: at(), kind: 'quiz_closed', questionKey: `q${sessionId}` })
  return firstSocket
}

/** The next `n` ticks at a teacher socket that show this student's chat message. */
async function ticksShowingChat(teacher: TestSocket, studentId: number, n: number) {
  for (let i = 0; i < n; i++) await nextEvent(teacher, 'engagement:tick', (t) => chatOf(t, studentId) === 1 / 5, 10_000)
}

test.group('Engagement: a school that switched engagement off', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('switched off for one school: its signals leave no aggregates, scores or live ticks; the other school is recorded; switched on again it records', async ({ assert, client }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const toggle = (enabled: boolean) =>
      client.put('/admin/plugins/engagement').json({ enabled }).loginAs(a.admin).withCsrfToken().accept('json')

    // A's teacher watches the heatmap while engagement is on, then A's admin switches it off.
    const teacherA = await sockets.joined(a.teacher, a.classSession.id)
    await sendOk(teacherA, 'engagement:watch', {})
    ;(await toggle(false)).assertStatus(200)
    const refused = await send(teacherA, 'engagement:watch', {})
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'plugin_disabled')
    let ticksAtA = 0
    teacherA.on('engagement:tick', () => ticksAtA++)

    const teacherB = await sockets.joined(b.teacher, b.classSession.id)
    await sendOk(teacherB, 'engagement:watch', {})
    // The same signals, A's first (so any flush that writes B's would also write A's).
    await activity(a, a.classSession.id)
    await activity(b, b.classSession.id)

    await ticksShowingChat(teacherB, b.students[0].id, 1)
    ticksAtA = 0 // a tick started before the switch may still have been under way
    // Two more ticker rounds: each round ticks every watched class of this process, A's included if it were on.
    await ticksShowingChat(teacherB, b.students[0].id, 2)
    assert.equal(ticksAtA, 0, 'no live ticks for a school with engagement off')

    const rowsB = await eventually("B's aggregates are written", async () => {
      const rows = await contributions(b.classSession.id)
      return rows.some((r) => Number(r.user_id) === b.students[0].id && JSON.parse(r.data).chat === 1) && rows.length >= 2 ? rows : null
    })
    assert.sameMembers([...new Set(rowsB.map((r) => Number(r.user_id)))], [0, b.students[0].id, b.students[1].id])
    assert.lengthOf(await contributions(a.classSession.id), 0, "none of A's students' activity is recorded")

    // Class end: B's students are scored, A's are not.
    await sendOk(teacherA, 'session:end', {})
    await sendOk(teacherB, 'session:end', {})
    await eventually("B's scores are stored", async () => (await scores(b.classSession.id)).length === b.students.length)
    await eventually("B's late attendance verdicts are written", async () =>
      (await contributions(b.classSession.id)).some((r) => JSON.parse(r.data).att)
    )
    assert.lengthOf(await scores(a.classSession.id), 0, "no scores for A's students")
    assert.lengthOf(await contributions(a.classSession.id), 0, "A's attendance verdicts are not recorded either")

    // Switched on again, A's next class is recorded and watched.
    ;(await toggle(true)).assertStatus(200)
    const next = await ClassSession.create({
      schoolId: a.school.id, courseId: a.course.id, teacherId: a.teacher.id, title: 'Next class', status: 'live',
      scheduledAt: DateTime.now(), startedAt: DateTime.now(), durationMinutes: 45,
    })
    const teacherNext = await sockets.joined(a.teacher, next.id)
    await sendOk(teacherNext, 'engagement:watch', {})
    await activity(a, next.id)
    await ticksShowingChat(teacherNext, a.students[0].id, 1)
    await eventually("A's new signals are written", async () =>
      (await contributions(next.id)).some((r) => Number(r.user_id) === a.students[0].id && JSON.parse(r.data).chat === 1)
    )
    await sendOk(teacherNext, 'session:end', {})
    await eventually("A's next class is scored", async () => (await scores(next.id)).length === a.students.length)
  }).timeout(60_000)
})
