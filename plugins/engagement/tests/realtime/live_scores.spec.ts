import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import type { LiveRow, LiveTick } from '../../events.js'
import { SIGNALS } from '../../rules.js'
import '../../events.js'

const sockets = socketTracker()
const question = { type: 'single' as const, prompt: '2 + 2?', options: [{ label: '4', correct: true }, { label: '5' }] }
const rowOf = (tick: LiveTick, userId: number) => tick.rows.find((r) => r[0] === userId)!
const value = (row: LiveRow, signal: (typeof SIGNALS)[number]) => row[3 + SIGNALS.indexOf(signal)]
const errorCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)

test.group('Engagement: live scores from real class events', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('three scripted students come out in order with matching breakdowns; switching chat off removes its weight', async ({ assert, client }) => {
    const { admin, teacher, students, classSession, school, course } = await createSchool({ liveClass: true })
    const [keen, quiet, absent] = students
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const keenArrives = new Date()
    const keenSocket = await sockets.joined(keen, classSession.id)
    const quietSocket = await sockets.joined(quiet, classSession.id)

    const first = await sendOk(teacherSocket, 'engagement:watch', {})
    assert.sameMembers(first.rows.map((r) => r[0]), [keen.id, quiet.id, absent.id], 'every enrolled student, even without signals')
    assert.equal(first.names[keen.id], keen.fullName)

    // keen: camera on (published by video on the bus) since the moment they arrived, three chat messages, a quiz answer.
    // The signal carries its own time: dated before the join, the camera covers all of the present time however slow the machine.
    await emitter.emit('activity:signal', {
      sessionId: classSession.id, schoolId: school.id, courseId: course.id, at: keenArrives.toISOString(), kind: 'camera', userId: keen.id, on: true,
    })
    for (const body of ['hello', 'a question', 'thanks']) await sendOk(keenSocket, 'chat:send', { body })
    await sendOk(teacherSocket, 'chat:send', { body: 'teachers are not scored' })
    const { run } = await sendOk(teacherSocket, 'quizzes:launch', { question })
    await sendOk(keenSocket, 'quizzes:answer', { runId: run.id, optionIds: ['a'] })
    await sendOk(quietSocket, 'quizzes:answer', { runId: run.id, optionIds: ['b'] })
    await sendOk(teacherSocket, 'quizzes:close', { runId: run.id })

    const tick = await nextEvent(teacherSocket, 'engagement:tick', (t) => {
      const [k, q, a] = [rowOf(t, keen.id), rowOf(t, quiet.id), rowOf(t, absent.id)]
      return value(k, 'chat') === 3 / 5 && value(a, 'quiz') === 0 && (k[1] ?? 0) > (q[1] ?? 0) && (q[1] ?? 0) > (a[1] ?? 0)
    }, 10_000)
    const [k, q] = [rowOf(tick, keen.id), rowOf(tick, quiet.id)]
    assert.equal(value(k, 'camera'), 1, 'camera on for all of the present time')
    assert.equal(value(q, 'camera'), 0)
    assert.isAtLeast(value(k, 'quiz')!, 0.5)
    assert.isAtLeast(value(q, 'quiz')!, 0.5, 'answering counts at least half')
    assert.equal(value(q, 'chat'), 0)
    assert.isNull(value(k, 'attendance'), 'attendance comes at class end')
    assert.isTrue(tick.enabled.chat)

    await client.put('/admin/plugins/chat').json({ enabled: false }).loginAs(admin).withCsrfToken().accept('json')
    const off = await nextEvent(teacherSocket, 'engagement:tick', (t) => !t.enabled.chat, 10_000)
    assert.isNull(value(rowOf(off, keen.id), 'chat'), 'chat not measured once switched off')
    assert.isNull(value(rowOf(off, quiet.id), 'chat'))
    // keen's 3/5 chat no longer counts; quiet's missing chat no longer costs anything.
    assert.isAbove(rowOf(off, quiet.id)[1]!, q[1]!)
    await client.put('/admin/plugins/chat').json({ enabled: true }).loginAs(admin).withCsrfToken().accept('json')
  })

  test('students cannot watch, never receive ticks and read only their own score', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const student = await sockets.joined(students[0], classSession.id)
    await sendOk(student, 'chat:send', { body: 'me' })

    assert.equal(errorCode(await send(student, 'engagement:watch', {})), 'forbidden')
    assert.equal(errorCode(await send(teacherSocket, 'engagement:watch', { extra: 'x'.repeat(400) })), 'too_large')
    await sendOk(teacherSocket, 'engagement:watch', {})
    const quiet = watchAbsence(student, 'engagement:tick')
    await nextEvent(teacherSocket, 'engagement:tick')
    assert.isTrue(await quiet.settle(teacherSocket), 'a student socket never gets the class heatmap')

    const own = await sendOk(student, 'engagement:mine', {})
    assert.equal(own.parts.find((p) => p.signal === 'chat')!.value, 1 / 5)
    assert.equal(errorCode(await send(teacherSocket, 'engagement:mine', {})), 'forbidden')
  })

  test('a school with studentsSeeOwn off refuses a student their own live score (forbidden) and lists nobody on /me; on again, both return', async ({ assert, client }) => {
    const { admin, students, classSession } = await createSchool({ liveClass: true })
    const student = await sockets.joined(students[0], classSession.id)
    await sendOk(student, 'chat:send', { body: 'me' })
    const settings = (studentsSeeOwn: boolean) =>
      client
        .put('/plugins/engagement/settings')
        .json({ weights: { camera: 20, quiz: 20, chat: 20, whiteboard: 20, attendance: 20 }, atRiskThreshold: 40, atRiskWindow: 5, studentsSeeOwn, parentsSeeChild: true })
        .loginAs(admin)
        .withCsrfToken()
        .accept('json')
    const listed = async () => (await client.get('/plugins/engagement/me').loginAs(students[0]).accept('json')).body().students.map((s: any) => s.id)

    ;(await settings(false)).assertStatus(200)
    /* The settings are cached per process for SETTINGS_CACHE_MS: wait for the refusal itself. */
    await eventually('engagement:mine is refused', async () => errorCode(await send(student, 'engagement:mine', {})) === 'forbidden')
    assert.deepEqual(await listed(), [])

    ;(await settings(true)).assertStatus(200)
    const own = await eventually('engagement:mine answers again', async () => {
      const answer = await send(student, 'engagement:mine', {})
      return answer.ok ? answer.data : null
    })
    assert.equal(own.parts.find((p) => p.signal === 'chat')!.value, 1 / 5)
    assert.deepEqual(await listed(), [students[0].id])
  })

  test('class end stores each student score with its explanation, attendance included', async ({ assert }) => {
    const { teacher, students, classSession, school, course } = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const student = await sockets.joined(students[0], classSession.id)
    await sendOk(student, 'chat:send', { body: 'one' })
    await sendOk(teacherSocket, 'session:end', {})

    const stored = () => db.from('engagement_scores').where({ class_session_id: classSession.id, user_id: students[0].id }).first()
    const before = await eventually('the class scores are stored', stored)
    assert.equal(JSON.parse(before.parts).find((p: any) => p.signal === 'chat').value, 1 / 5)

    // The attendance plugin publishes at class end, and again on a teacher's override: the latest verdict counts.
    await emitter.emit('activity:signal', {
      sessionId: classSession.id, schoolId: school.id, courseId: course.id, at: new Date(Date.now() + 1000).toISOString(),
      kind: 'attendance', userId: students[0].id, presentMs: 60_000, activeMs: 30_000, classMs: 60_000, status: 'present',
    })
    const after = await eventually('the late attendance signal re-scores the class', async () => {
      const row = await stored()
      const part = JSON.parse(row.parts).find((p: any) => p.signal === 'attendance')
      return part.value === 0.5 ? row : null
    })
    assert.equal(JSON.parse(after.parts).find((p: any) => p.signal === 'chat').value, 1 / 5)
  })
})
