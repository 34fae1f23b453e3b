import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, connectAs } from '#tests/helpers/sockets'
import { marksOf, recordsOf, signalRecorder, until } from './helpers.js'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined

test.group('Attendance: capture in a real class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('one student keeps the tab visible, one hides it most of the time, one never joins: present, inactive, absent', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ students: 3, liveClass: true })
    const [visible, hider, missing] = students
    const recorder = signalRecorder()
    try {
      const teacherSocket = await joined(teacher, classSession.id)
      await joined(visible, classSession.id)
      const hiderSocket = sockets.track(await connectAs(hider))
      const before = Date.now()
      await sendOk(hiderSocket, 'session:join', { sessionId: classSession.id })
      const away = nextEvent(teacherSocket, 'attendance:changed', (e) => e.userId === hider.id && e.state === 'away')
      assert.deepEqual(await sendOk(hiderSocket, 'attendance:visibility', { hidden: true }), { recorded: true })
      const hiddenAt = Date.now()
      await away
      // The hidden share must reach 85 %: wait until the hidden time is at least 6x the visible time before it.
      await until('the hider has been hidden long enough', () => Date.now() - hiddenAt >= Math.max(300, 6 * (hiddenAt - before)))
      await sendOk(teacherSocket, 'session:end', {})

      const records = await recordsOf(classSession.id)
      const a = records.get(visible.id)
      assert.equal(a.status, 'present')
      assert.isAbove(Number(a.present_ms), 0)
      assert.equal(Number(a.active_ms), Number(a.present_ms))
      const b = records.get(hider.id)
      assert.equal(b.status, 'inactive')
      assert.isAbove(Number(b.present_ms), 0)
      assert.isAtMost(Number(b.active_ms) / Number(b.present_ms), 0.15)
      const c = records.get(missing.id)
      assert.equal(c.status, 'absent')
      assert.equal(Number(c.present_ms), 0)
      assert.isFalse(records.has(teacher.id), 'teachers are not recorded')

      await until('three attendance signals', () => recorder.signals.filter((s) => s.sessionId === classSession.id).length === 3)
      const signals = recorder.signals.filter((s) => s.sessionId === classSession.id)
      const byUser = new Map(signals.map((s) => [s.kind === 'attendance' ? s.userId : 0, s]))
      assert.deepInclude(byUser.get(hider.id), { kind: 'attendance', status: 'inactive', presentMs: Number(b.present_ms), activeMs: Number(b.active_ms) })
      assert.deepInclude(byUser.get(missing.id), { kind: 'attendance', status: 'absent', presentMs: 0 })
    } finally {
      recorder.stop()
    }
  })

  test('the teacher sees who is here, away and missing, live', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ students: 3, liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const joinedEvent = nextEvent(teacherSocket, 'attendance:changed', (e) => e.userId === students[0].id && e.state === 'here')
    const s0 = await joined(students[0], classSession.id)
    await joinedEvent
    const s1 = await joined(students[1], classSession.id)
    await sendOk(s0, 'attendance:visibility', { hidden: true })
    const { students: live } = await sendOk(teacherSocket, 'attendance:live', {})
    const state = new Map(live.map((s) => [s.userId, s.state]))
    assert.equal(state.get(students[0].id), 'away')
    assert.equal(state.get(students[1].id), 'here')
    assert.equal(state.get(students[2].id), 'missing')

    const gone = nextEvent(teacherSocket, 'attendance:changed', (e) => e.userId === students[1].id && e.state === 'missing')
    s1.disconnect()
    await gone
    const after = new Map((await sendOk(teacherSocket, 'attendance:live', {})).students.map((s) => [s.userId, s.state]))
    assert.equal(after.get(students[1].id), 'missing')
  })

  test('visibility reports: students only, own class only, validated, never for someone else, capped', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const refused = await send(teacherSocket, 'attendance:visibility', { hidden: true })
    assert.equal(!refused.ok && refused.error.code, 'forbidden')

    const notJoined = sockets.track(await connectAs(students[1]))
    const outside = await send(notJoined, 'attendance:visibility', { hidden: true })
    assert.equal(!outside.ok && outside.error.code, 'not_in_session')

    const student = await joined(students[0], classSession.id)
    for (const payload of [{ hidden: 'yes' }, {}, { hidden: 1 }]) {
      const response = await send(student, 'attendance:visibility', payload)
      assert.equal(!response.ok && response.error.code, 'invalid', JSON.stringify(payload))
    }
    // Extra fields are dropped: the report is always about the sender in the sender's class.
    await sendOk(student, 'attendance:visibility', { hidden: true, userId: students[2].id, sessionId: other.classSession.id } as any)
    assert.lengthOf(await marksOf(classSession.id, students[2].id), 0)
    assert.lengthOf(await marksOf(other.classSession.id, students[0].id), 0)

    const results = []
    for (let i = 0; i < 50; i++) results.push(await send(student, 'attendance:visibility', { hidden: i % 2 === 1 }))
    const limited = results.filter((r) => !r.ok && r.error.code === 'rate_limited').length
    assert.isAbove(limited, 0)
    const toggles = (await marksOf(classSession.id, students[0].id)).filter((m) => m.kind !== 'join')
    assert.equal(toggles.length, 30, 'beyond the cap nothing is recorded')
  })

  test('a student whose connection dies without a goodbye is marked gone within 15 s', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const engine = student.io.engine as any
    // The client goes silent: it stops answering the server's heartbeat and sends no goodbye.
    const original = engine._sendPacket.bind(engine)
    engine._sendPacket = (type: string, ...rest: unknown[]) => (type === 'pong' ? undefined : original(type, ...rest))
    const silentSince = Date.now()
    const gone = nextEvent(teacherSocket, 'attendance:changed', (e) => e.userId === students[0].id && e.state === 'missing', 20_000)
    await gone
    const elapsed = Date.now() - silentSince
    assert.isAtMost(elapsed, 15_000)
    const marks = await marksOf(classSession.id, students[0].id)
    assert.deepEqual(marks.map((m) => m.kind), ['join', 'leave'])
    assert.isAtMost(Number(marks[1].at_ms) - silentSince, 15_000)
  }).timeout(40_000)
})
