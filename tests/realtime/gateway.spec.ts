import { test } from '@japa/runner'
import ClassPresenceEvent from '#app/classes/models/class_presence_event'
import { createSchool } from '#tests/helpers/fixtures'
import { connect, connectAs, nextEvent, send, sendOk, type TestSocket } from '#tests/helpers/sockets'

const open: TestSocket[] = []
const track = (socket: TestSocket) => (open.push(socket), socket)

test.group('Realtime gateway: authentication', (group) => {
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  test('a socket without a session cookie is refused', async ({ assert }) => {
    await assert.rejects(() => connect(null), 'unauthenticated')
  })

  test('a forged session cookie is refused', async ({ assert }) => {
    await assert.rejects(() => connect('aula-session=s:forged.value; XSRF-TOKEN=x'), 'unauthenticated')
  })

  test('a logged-in user connects', async ({ assert }) => {
    const { students } = await createSchool()
    const socket = track(await connectAs(students[0]))
    assert.isTrue(socket.connected)
  })
})

test.group('Realtime gateway: validation and authorisation', (group) => {
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  test('unknown events and events before joining get error acks', async ({ assert }) => {
    const { students } = await createSchool({ liveClass: true })
    const socket = track(await connectAs(students[0]))
    const unknown = await send(socket, 'nope:nothing' as any, {})
    assert.deepInclude(unknown, { ok: false })
    assert.equal(!unknown.ok && unknown.error.code, 'unknown_event')
    const early = await send(socket, 'presence:hand', { raised: true })
    assert.equal(!early.ok && early.error.code, 'not_in_session')
  })

  test('malformed and oversized payloads are rejected without side effects', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const socket = track(await connectAs(students[0]))
    const malformed = await send(socket, 'session:join', { sessionId: 'one' })
    assert.equal(!malformed.ok && malformed.error.code, 'invalid')
    const oversized = await send(socket, 'session:join', { sessionId: classSession.id, padding: 'x'.repeat(20_000) })
    assert.equal(!oversized.ok && oversized.error.code, 'too_large')

    await sendOk(socket, 'session:join', { sessionId: classSession.id })
    const noPayload = await send(socket, 'presence:react', undefined)
    assert.equal(!noPayload.ok && noPayload.error.code, 'invalid')
    const badEmoji = await send(socket, 'presence:react', { emoji: '<script>' })
    assert.equal(!badEmoji.ok && badEmoji.error.code, 'invalid')
    const reactions = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, type: 'reaction' })
    assert.lengthOf(reactions, 0)
  })

  test('a student sending a teacher-only event gets a forbidden ack', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const socket = track(await connectAs(students[0]))
    await sendOk(socket, 'session:join', { sessionId: classSession.id })
    for (const [event, payload] of [
      ['presence:lower_all_hands', {}],
      ['presence:lower_hand', { userId: students[1].id }],
      ['session:end', {}],
    ] as const) {
      const response = await send(socket, event, payload)
      assert.equal(!response.ok && response.error.code, 'forbidden', event)
    }
    await classSession.refresh()
    assert.equal(classSession.status, 'live')
  })

  test('non-members, other schools and classes that are not live cannot be joined', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const scheduled = await createSchool()
    const outsider = track(await connectAs(a.outsider))
    const response = await send(outsider, 'session:join', { sessionId: a.classSession.id })
    assert.equal(!response.ok && response.error.code, 'forbidden')
    const parent = track(await connectAs(a.parent))
    assert.equal(((await send(parent, 'session:join', { sessionId: a.classSession.id })) as any).error.code, 'forbidden')
    const student = track(await connectAs(a.students[0]))
    assert.equal(((await send(student, 'session:join', { sessionId: b.classSession.id })) as any).error.code, 'not_found')
    const early = track(await connectAs(scheduled.students[0]))
    assert.equal(((await send(early, 'session:join', { sessionId: scheduled.classSession.id })) as any).error.code, 'conflict')
  })
})

test.group('Realtime gateway: presence', (group) => {
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  test('participants, raised hands and reactions reach everyone; joins and leaves are recorded', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = track(await connectAs(teacher))
    const snapshot = await sendOk(teacherSocket, 'session:join', { sessionId: classSession.id })
    assert.equal(snapshot.you.role, 'teacher')
    assert.isTrue(snapshot.plugins.some((p) => p.id === 'chat' && p.enabled))

    const studentSocket = track(await connectAs(students[0]))
    const seen = nextEvent(teacherSocket, 'presence:participants', (p) => p.participants.length === 2)
    await sendOk(studentSocket, 'session:join', { sessionId: classSession.id })
    const { participants } = await seen
    assert.deepEqual(participants.map((p) => [p.userId, p.role]), [[teacher.id, 'teacher'], [students[0].id, 'student']])

    const hand = nextEvent(teacherSocket, 'presence:participants', (p) => p.participants.some((x) => x.handRaisedAt))
    await sendOk(studentSocket, 'presence:hand', { raised: true })
    const raised = (await hand).participants.find((p) => p.userId === students[0].id)
    assert.isString(raised?.handRaisedAt)

    const lowered = nextEvent(studentSocket, 'presence:participants', (p) => p.participants.every((x) => !x.handRaisedAt))
    await sendOk(teacherSocket, 'presence:lower_all_hands', {})
    await lowered

    const reaction = nextEvent(teacherSocket, 'presence:reaction')
    await sendOk(studentSocket, 'presence:react', { emoji: '👏' })
    assert.deepInclude(await reaction, { userId: students[0].id, emoji: '👏' })

    const left = nextEvent(teacherSocket, 'presence:participants', (p) => p.participants.length === 1)
    studentSocket.disconnect()
    await left
    const log = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, userId: students[0].id }).orderBy('id')
    assert.includeMembers(log.map((e) => e.type), ['joined', 'hand_raised', 'reaction', 'left'])
  })

  test('a second tab of the same user does not count as a new join', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const first = track(await connectAs(students[0]))
    const second = track(await connectAs(students[0]))
    await sendOk(first, 'session:join', { sessionId: classSession.id })
    const snapshot = await sendOk(second, 'session:join', { sessionId: classSession.id })
    assert.lengthOf(snapshot.participants, 1)
    /* The first tab hears the second one leave: by then a 'left' record, if any, is written.
       (A round trip first, so that the participants list sent for the second join is already in.) */
    await sendOk(first, 'chat:history' as any, {})
    const noticed = nextEvent(first, 'presence:participants', (p) => p.participants.length === 1)
    second.disconnect()
    await noticed
    const log = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, userId: students[0].id })
    assert.deepEqual(log.map((e) => e.type), ['joined'])
  })

  test('ending the class tells every participant and records their leave', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = track(await connectAs(teacher))
    const studentSocket = track(await connectAs(students[0]))
    await sendOk(teacherSocket, 'session:join', { sessionId: classSession.id })
    await sendOk(studentSocket, 'session:join', { sessionId: classSession.id })
    const ended = nextEvent(studentSocket, 'session:ended')
    await sendOk(teacherSocket, 'session:end', {})
    assert.deepEqual(await ended, { sessionId: classSession.id })
    await classSession.refresh()
    assert.equal(classSession.status, 'ended')
    const leaves = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, type: 'left' })
    assert.sameMembers(leaves.map((e) => e.userId), [teacher.id, students[0].id])
  })
})
