import { test } from '@japa/runner'
import ClassPresenceEvent from '#app/classes/models/class_presence_event'
import { createSchool } from '#tests/helpers/fixtures'
import { eventually } from '#tests/helpers/poll'
import app from '@adonisjs/core/services/app'
import { rooms } from '#app/realtime/rooms'
import { connect, connectAs, nextEvent, send, sendOk, watchAbsence, type TestSocket } from '#tests/helpers/sockets'

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
    /* The default limit is 8 KiB of JSON, inclusive: one byte more is refused, exactly 8 KiB is read. */
    const padded = (bytes: number) => {
      const bare = JSON.stringify({ sessionId: classSession.id, padding: '' })
      return { sessionId: classSession.id, padding: 'x'.repeat(bytes - bare.length) }
    }
    const justOver = await send(socket, 'session:join', padded(8 * 1024 + 1))
    assert.equal(!justOver.ok && justOver.error.code, 'too_large')

    await sendOk(socket, 'session:join', padded(8 * 1024))
    /* An event's own limit replaces the default: engagement:watch reads at most 256 bytes (before its role check). */
    const overOwnLimit = await send(socket, 'engagement:watch' as any, { padding: 'x'.repeat(300) })
    assert.equal(!overOwnLimit.ok && overOwnLimit.error.code, 'too_large')
    const withinOwnLimit = await send(socket, 'engagement:watch' as any, { padding: 'x'.repeat(200) })
    assert.equal(!withinOwnLimit.ok && withinOwnLimit.error.code, 'forbidden')
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
    const seen = nextEvent(teacherSocket, 'presence:joined')
    const joined = await sendOk(studentSocket, 'session:join', { sessionId: classSession.id })
    assert.deepEqual(joined.participants.map((p) => [p.userId, p.role]), [[teacher.id, 'teacher'], [students[0].id, 'student']])
    assert.deepInclude((await seen).participant, { userId: students[0].id, role: 'student', room: 'main', handRaisedAt: null })

    const hand = nextEvent(teacherSocket, 'presence:updated')
    await sendOk(studentSocket, 'presence:hand', { raised: true })
    const raised = (await hand).participant
    assert.equal(raised.userId, students[0].id)
    assert.isString(raised.handRaisedAt)

    const lowered = nextEvent(studentSocket, 'presence:participants', (p) => p.participants.every((x) => !x.handRaisedAt))
    await sendOk(teacherSocket, 'presence:lower_all_hands', {})
    assert.lengthOf((await lowered).participants, 2)

    const reaction = nextEvent(teacherSocket, 'presence:reaction')
    await sendOk(studentSocket, 'presence:react', { emoji: '👏' })
    assert.deepInclude(await reaction, { userId: students[0].id, emoji: '👏' })

    const left = nextEvent(teacherSocket, 'presence:left')
    studentSocket.disconnect()
    assert.deepEqual(await left, { userId: students[0].id })
    const log = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, userId: students[0].id }).orderBy('id')
    assert.includeMembers(log.map((e) => e.type), ['joined', 'hand_raised', 'reaction', 'left'])
  })

  test('a join sends the members one participant, and the whole list only to the joiner', async ({ assert }) => {
    // O(n) per join, not O(n²) per class: at 200 per class the whole list to everyone on each join was
    // 200 × 200 entries per join. Members hear presence:joined with the one newcomer, never the list.
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 6 })
    const members = [teacher, students[0], students[1]]
    const memberSockets: TestSocket[] = []
    for (const user of members) {
      const socket = track(await connectAs(user))
      await sendOk(socket, 'session:join', { sessionId: classSession.id })
      memberSockets.push(socket)
    }
    const heard = memberSockets.map(() => [] as { event: string; payload: any }[])
    memberSockets.forEach((socket, i) => socket.onAny((event, payload) => heard[i].push({ event, payload })))

    const newcomers = students.slice(2)
    for (const [n, user] of newcomers.entries()) {
      const socket = track(await connectAs(user))
      const snapshot = await sendOk(socket, 'session:join', { sessionId: classSession.id })
      assert.lengthOf(snapshot.participants, members.length + n + 1, `${user.fullName}'s join answer holds everyone so far`)
      assert.include(snapshot.participants.map((p) => p.userId), user.id)
    }
    // Anything the joins sent arrived before this reaction.
    const marks = memberSockets.map((socket) => nextEvent(socket, 'presence:reaction', (r) => r.emoji === '🎉'))
    await sendOk(memberSockets[0], 'presence:react', { emoji: '🎉' })
    await Promise.all(marks)

    for (const [i, events] of heard.entries()) {
      const presence = events.filter((e) => e.event.startsWith('presence:') && e.event !== 'presence:reaction')
      assert.deepEqual(presence.map((e) => e.event), newcomers.map(() => 'presence:joined'), `what ${members[i].fullName} heard`)
      assert.deepEqual(presence.map((e) => e.payload.participant.userId), newcomers.map((u) => u.id), `whom ${members[i].fullName} heard of`)
    }
  })

  test('a join that changes nothing for the others (a second tab) is not announced again; a join after leaving is', async ({ assert }) => {
    // A reconnect storm after a web process dies is made of such joins: each would reach the whole class.
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 1 })
    const teacherSocket = track(await connectAs(teacher))
    await sendOk(teacherSocket, 'session:join', { sessionId: classSession.id })
    const firstTab = track(await connectAs(students[0]))
    await sendOk(firstTab, 'session:join', { sessionId: classSession.id })
    const heard: { event: string; payload: any }[] = []
    teacherSocket.onAny((event, payload) => heard.push({ event, payload }))

    const secondTab = track(await connectAs(students[0]))
    await sendOk(secondTab, 'session:join', { sessionId: classSession.id })
    await sendOk(secondTab, 'presence:hand', { raised: true })
    await sendOk(secondTab, 'session:leave', {})
    await sendOk(firstTab, 'session:leave', {})
    await sendOk(firstTab, 'session:join', { sessionId: classSession.id })

    const mark = nextEvent(teacherSocket, 'presence:reaction', (r) => r.emoji === '🎉')
    await sendOk(teacherSocket, 'presence:react', { emoji: '🎉' })
    await mark
    const presence = heard.filter((e) => e.event.startsWith('presence:') && e.event !== 'presence:reaction')
    assert.deepEqual(
      presence.map((e) => [e.event, e.payload.participant?.userId ?? e.payload.userId]),
      [
        ['presence:updated', students[0].id],
        ['presence:left', students[0].id],
        ['presence:joined', students[0].id],
      ]
    )
    assert.isString(presence[2].payload.participant.handRaisedAt, 'the hand raised before is in the new announcement')
  })

  test('a second tab of the same user does not count as a new join', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const first = track(await connectAs(students[0]))
    const second = track(await connectAs(students[0]))
    await sendOk(first, 'session:join', { sessionId: classSession.id })
    const snapshot = await sendOk(second, 'session:join', { sessionId: classSession.id })
    assert.lengthOf(snapshot.participants, 1)
    /* Once the server has handled the second tab's leave, there is no 'left' record and the first
       tab heard no presence:left (the user is still in the class). */
    const noLeft = watchAbsence(first, 'presence:left')
    second.disconnect()
    const realtime = await app.container.make('realtime')
    const user = rooms.sessionUser(classSession.id, students[0].id)
    await eventually('the server saw the second tab go', async () => (await realtime.io.in(user).fetchSockets()).length === 1)
    await realtime.disconnectsSettled()
    const log = await ClassPresenceEvent.query().where({ classSessionId: classSession.id, userId: students[0].id })
    assert.deepEqual(log.map((e) => e.type), ['joined'])
    assert.isTrue(await noLeft.settle(first), 'no presence:left while a tab of the user is still in the class')
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
