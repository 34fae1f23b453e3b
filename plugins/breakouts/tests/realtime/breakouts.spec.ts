import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import BreakoutRound from '../../models/breakout_round.js'
import { createSchool } from '#tests/helpers/fixtures'
import { connectAs, nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { useAppProcessesOnRedis } from '#tests/helpers/app_process'
import '../../events.js'
import '#plugins/chat/events'

const sockets = socketTracker()
const joined = sockets.joined

/** Makes the open round's timer run out now; the server's sweeper does the rest. */
async function expireRound(sessionId: number) {
  const round = await BreakoutRound.query().where({ classSessionId: sessionId, status: 'open' }).firstOrFail()
  round.endsAt = DateTime.now().minus({ seconds: 1 })
  await round.save()
}

test.group('Breakouts: realtime', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('students cannot open, close, move, hop or broadcast', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    for (const [event, payload] of [
      ['breakouts:open', { strategy: 'random', roomCount: 2 }],
      ['breakouts:close', {}],
      ['breakouts:move', { userId: students[1].id, roomKey: 'b1' }],
      ['breakouts:hop', { roomKey: 'b1' }],
      ['breakouts:broadcast', { text: 'hi' }],
      ['breakouts:extend', { minutes: 5 }],
    ] as const) {
      const response = await send(student, event, payload)
      assert.equal(!response.ok && response.error.code, 'forbidden', event)
    }
    assert.isNull(await BreakoutRound.query().where('class_session_id', classSession.id).first())
    const state = await sendOk(teacherSocket, 'breakouts:state', {})
    assert.isNull(state.round)
  })

  test('malformed requests are refused and open nothing', async ({ assert }) => {
    const { teacher, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    for (const payload of [{ strategy: 'chaos' }, { strategy: 'random', roomCount: 500 }, { strategy: 'random' }]) {
      const response = await send(teacherSocket, 'breakouts:open', payload)
      assert.equal(!response.ok && response.error.code, 'invalid', JSON.stringify(payload))
    }
    const badRoom = await send(teacherSocket, 'breakouts:move', { userId: 1, roomKey: '../main' })
    assert.equal(!badRoom.ok && badRoom.error.code, 'invalid')
    assert.isNull(await BreakoutRound.query().where('class_session_id', classSession.id).first())
  })

  test('random rooms: each student lands in a room, room chat stays in the room, broadcast reaches all', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 4 })
    const teacherSocket = await joined(teacher, classSession.id)
    const sockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    const moved = sockets.map((s) => nextEvent(s, 'session:room_changed'))
    const { round } = await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2, durationMinutes: 10 })
    const rooms = (await Promise.all(moved)).map((m) => m.room)
    assert.sameMembers([...new Set(rooms)], ['b1', 'b2'])
    assert.deepEqual(round.rooms.map((r) => r.members.length).sort(), [2, 2])

    const [a, b] = [0, 1, 2, 3].reduce<[number[], number[]]>((acc, i) => (acc[rooms[i] === 'b1' ? 0 : 1].push(i), acc), [[], []])
    const otherRoomQuiet = watchAbsence(sockets[b[0]], 'chat:message')
    const teacherQuiet = watchAbsence(teacherSocket, 'chat:message')
    const roommate = nextEvent(sockets[a[1]], 'chat:message')
    await sendOk(sockets[a[0]], 'chat:send', { body: 'room one secret' })
    assert.equal((await roommate).message.room, 'b1')
    assert.isTrue(await otherRoomQuiet.settle(sockets[a[0]]))
    assert.isTrue(await teacherQuiet.settle(sockets[a[0]]))

    const everywhere = sockets.map((s) => nextEvent(s, 'breakouts:broadcast'))
    await sendOk(teacherSocket, 'breakouts:broadcast', { text: 'Two minutes left' })
    for (const message of await Promise.all(everywhere)) assert.equal(message.text, 'Two minutes left')

    const hopped = nextEvent(teacherSocket, 'session:room_changed')
    const listed = nextEvent(sockets[a[0]], 'presence:participants', (p) => p.participants.some((x) => x.userId === teacher.id && x.room === 'b2'))
    await sendOk(teacherSocket, 'breakouts:hop', { roomKey: 'b2' })
    assert.deepEqual(await hopped, { room: 'b2' })
    // Everyone's participant list shows where the teacher went.
    await listed
    const heard = nextEvent(teacherSocket, 'chat:message')
    await sendOk(sockets[b[0]], 'chat:send', { body: 'teacher can hear room two' })
    assert.equal((await heard).message.body, 'teacher can hear room two')
  })

  test('when the timer runs out everyone is back in the main room', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const sockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 3 })
    const extended = await sendOk(teacherSocket, 'breakouts:extend', { minutes: 5 })
    assert.isAbove(Date.parse(extended.endsAt), Date.now() + 5 * 60_000)

    const back = sockets.map((s) => nextEvent(s, 'session:room_changed', (p) => p.room === 'main'))
    const cleared = nextEvent(teacherSocket, 'breakouts:updated', (p) => p.round === null)
    await expireRound(classSession.id)
    await Promise.all(back)
    await cleared
    const snapshot = await sendOk(sockets[0], 'session:join', { sessionId: classSession.id })
    assert.isTrue(snapshot.participants.every((p) => p.room === 'main'))
    const round = await BreakoutRound.query().where('class_session_id', classSession.id).firstOrFail()
    assert.equal(round.status, 'closed')
  })

  test('a reconnecting student lands in their room; a late joiner is assigned', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 3 })
    const teacherSocket = await joined(teacher, classSession.id)
    const first = await joined(students[0], classSession.id)
    await joined(students[1], classSession.id)
    const moved = nextEvent(first, 'session:room_changed')
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2 })
    const { room } = await moved

    first.disconnect()
    const again = await joined(students[0], classSession.id)
    const snapshot = await sendOk(again, 'session:join', { sessionId: classSession.id })
    assert.equal(snapshot.you.room, room)

    const late = await connectAs(students[2])
    sockets.track(late)
    const assigned = nextEvent(late, 'session:room_changed')
    await sendOk(late, 'session:join', { sessionId: classSession.id })
    assert.match((await assigned).room, /^b[12]$/)
  })

  test('self-choose respects capacity; preset groups become rooms', async ({ assert }) => {
    const { teacher, students, classSession, group: preset } = await createSchool({ liveClass: true, students: 3 })
    const teacherSocket = await joined(teacher, classSession.id)
    const sockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'self', roomCount: 3 })
    await sendOk(sockets[0], 'breakouts:choose', { roomKey: 'b1' })
    const full = await send(sockets[1], 'breakouts:choose', { roomKey: 'b1' })
    assert.equal(!full.ok && full.error.code, 'conflict')
    await sendOk(teacherSocket, 'breakouts:close', {})

    const { round } = await sendOk(teacherSocket, 'breakouts:open', { strategy: 'groups', roomCount: 2 })
    assert.equal(round.rooms[0].name, preset.name)
    assert.include(round.rooms[0].members.map((m) => m.userId), students[0].id)
    assert.include(round.rooms[1].members.map((m) => m.userId), students[1].id)
  })
})

test.group('Breakouts: two app processes on Redis', (group) => {
  const processes = useAppProcessesOnRedis(group)
  group.each.teardown(() => sockets.closeAll())

  test('rooms opened on process 1 move students on process 2; expiry brings them back', async ({ assert }) => {
    const [one, two] = processes
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const teacherSocket = await joined(teacher, classSession.id, one.url)
    const a = await joined(students[0], classSession.id, two.url)
    const b = await joined(students[1], classSession.id, two.url)
    const moved = [nextEvent(a, 'session:room_changed'), nextEvent(b, 'session:room_changed')]
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2 })
    const rooms = (await Promise.all(moved)).map((m) => m.room)
    assert.sameMembers(rooms, ['b1', 'b2'])

    const quiet = watchAbsence(b, 'chat:message')
    await sendOk(a, 'chat:send', { body: 'only my room' })
    assert.isTrue(await quiet.settle(a), 'a chat message of room one reached room two')

    const back = [a, b].map((s) => nextEvent(s, 'session:room_changed', (p) => p.room === 'main'))
    await expireRound(classSession.id)
    await Promise.all(back).catch((error) => {
      console.log('DEBUG', processes.map((p) => p.output()).join('\n----\n'))
      throw error
    })
    const heard = nextEvent(b, 'chat:message')
    await sendOk(a, 'chat:send', { body: 'together again' })
    assert.equal((await heard).message.room, 'main')
  })
})
