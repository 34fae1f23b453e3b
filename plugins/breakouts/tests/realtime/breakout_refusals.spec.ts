/*
| What the breakouts service refuses, each beside the request that works, so that a check that refuses
| everything fails too: one round at a time, self-choice only where the school allows it, a move only of a
| student of this class to a room of this round (or back to main), a choice only in a self-choice round
| and of a room that exists, and nothing at all while no round is open.
*/
import { test } from '@japa/runner'
import BreakoutRound from '../../models/breakout_round.js'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, type TestSocket } from '#tests/helpers/sockets'
import '../../events.js'

const sockets = socketTracker()
const codeOf = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

/** Where each participant of the class is, by user id, as the server answers a fresh join. */
async function roomsOf(socket: TestSocket, f: SchoolFixture) {
  const snapshot = await sendOk(socket, 'session:join', { sessionId: f.classSession.id })
  return Object.fromEntries(snapshot.participants.map((p) => [p.userId, p.room]))
}

async function classWithStudents(students = 4) {
  const f = await createSchool({ liveClass: true, students })
  const teacher = await sockets.joined(f.teacher, f.classSession.id)
  const joined = await Promise.all(f.students.map((s) => sockets.joined(s, f.classSession.id)))
  return { f, teacher, students: joined }
}

async function openRandom(teacher: TestSocket, students: TestSocket[], roomCount = 2) {
  const moved = students.map((s) => nextEvent(s, 'session:room_changed'))
  const { round } = await sendOk(teacher, 'breakouts:open', { strategy: 'random', roomCount })
  return { round, rooms: (await Promise.all(moved)).map((m) => m.room) }
}

const openRounds = (f: SchoolFixture) => BreakoutRound.query().where({ classSessionId: f.classSession.id, status: 'open' })

test.group('Breakouts: refusals', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a second round cannot be opened while one is open, and the first stays as it was', async ({ assert }) => {
    const { f, teacher, students } = await classWithStudents()
    const { round } = await openRandom(teacher, students)
    const before = await roomsOf(teacher, f)

    assert.equal(codeOf(await send(teacher, 'breakouts:open', { strategy: 'random', roomCount: 3 })), 'conflict')
    const stored = await openRounds(f)
    assert.lengthOf(stored, 1)
    assert.equal(stored[0].id, round.id)
    assert.deepEqual(stored[0].rooms.map((r) => r.key), ['b1', 'b2'])
    assert.deepEqual(await roomsOf(teacher, f), before)
  })

  test('a self-choice round opens only where the school allows it; other rounds open either way', async ({ client, assert }) => {
    const { f, teacher, students } = await classWithStudents(2)
    const saved = await client
      .put('/admin/plugins/breakouts')
      .json({ enabled: true, settings: { maxRooms: 10, defaultDurationMinutes: 15, allowSelfChoose: false, copyMainWhiteboard: false } })
      .loginAs(f.admin)
      .withCsrfToken()
      .accept('json')
    saved.assertStatus(200)

    assert.equal(codeOf(await send(teacher, 'breakouts:open', { strategy: 'self', roomCount: 2 })), 'forbidden')
    assert.lengthOf(await openRounds(f), 0)
    const { round } = await openRandom(teacher, students)
    assert.equal(round.strategy, 'random')
  })

  test('the teacher moves one student of the class to another room, and back to main', async ({ assert }) => {
    const { f, teacher, students } = await classWithStudents()
    const { rooms } = await openRandom(teacher, students)
    const mover = rooms.indexOf('b1')
    const target = f.students[mover]

    const toB2 = nextEvent(students[mover], 'session:room_changed')
    await sendOk(teacher, 'breakouts:move', { userId: target.id, roomKey: 'b2' })
    assert.deepEqual(await toB2, { room: 'b2' })
    const expected = Object.fromEntries(f.students.map((s, i) => [s.id, i === mover ? 'b2' : rooms[i]]))
    const afterMove = await roomsOf(teacher, f)
    for (const s of f.students) assert.equal(afterMove[s.id], expected[s.id], s.fullName)
    const { round } = await sendOk(teacher, 'breakouts:state', {})
    assert.include(round!.rooms.find((r) => r.key === 'b2')!.members.map((m) => m.userId), target.id)

    const toMain = nextEvent(students[mover], 'session:room_changed')
    await sendOk(teacher, 'breakouts:move', { userId: target.id, roomKey: 'main' })
    assert.deepEqual(await toMain, { room: 'main' })
    assert.equal((await roomsOf(teacher, f))[target.id], 'main')
  })

  test('a move to a room the round does not have, or of anyone but a student in this class, is not found and moves nobody', async ({
    assert,
  }) => {
    const { f, teacher, students } = await classWithStudents()
    await openRandom(teacher, students)
    const stranger = (await createSchool({ liveClass: true })).students[0]
    const before = await roomsOf(teacher, f)

    for (const [userId, roomKey, who] of [
      [f.students[0].id, 'b9', 'a room the round does not have'],
      [f.teacher.id, 'b1', 'the teacher'],
      [f.otherTeacher.id, 'b1', 'a teacher of the school not in the class'],
      [f.outsider.id, 'b1', 'a student of the school not in the class'],
      [stranger.id, 'b1', 'a student of another school'],
    ] as const) {
      assert.equal(codeOf(await send(teacher, 'breakouts:move', { userId, roomKey })), 'not_found', who)
    }
    assert.deepEqual(await roomsOf(teacher, f), before)
  })

  test('a student chooses only in a self-choice round, and only a room that exists', async ({ assert }) => {
    const { f, teacher, students } = await classWithStudents(2)
    const { rooms } = await openRandom(teacher, students)
    const other = rooms[0] === 'b1' ? 'b2' : 'b1'
    assert.equal(codeOf(await send(students[0], 'breakouts:choose', { roomKey: other })), 'forbidden')
    assert.equal((await roomsOf(teacher, f))[f.students[0].id], rooms[0])
    await sendOk(teacher, 'breakouts:close', {})

    await sendOk(teacher, 'breakouts:open', { strategy: 'self', roomCount: 2 })
    assert.equal(codeOf(await send(students[0], 'breakouts:choose', { roomKey: 'b7' })), 'not_found')
    assert.equal(codeOf(await send(students[0], 'breakouts:choose', { roomKey: 'main' })), 'not_found')
    assert.equal((await roomsOf(teacher, f))[f.students[0].id], 'main')
    const chosen = nextEvent(students[0], 'session:room_changed')
    await sendOk(students[0], 'breakouts:choose', { roomKey: 'b2' })
    assert.deepEqual(await chosen, { room: 'b2' })
  })

  test('renaming or closing a room the round does not have is not found and changes nothing', async ({ assert }) => {
    const { f, teacher, students } = await classWithStudents(2)
    const { round } = await openRandom(teacher, students)
    assert.equal(codeOf(await send(teacher, 'breakouts:rename', { roomKey: 'b5', name: 'Nowhere' })), 'not_found')
    assert.equal(codeOf(await send(teacher, 'breakouts:close_room', { roomKey: 'b5' })), 'not_found')
    const [stored] = await openRounds(f)
    assert.deepEqual(stored.rooms, round.rooms.map(({ key, name }) => ({ key, name })))
  })

  test('with no round open, every request about rooms is a conflict', async ({ assert }) => {
    const { f, teacher, students } = await classWithStudents(2)
    for (const [socket, event, payload] of [
      [teacher, 'breakouts:move', { userId: f.students[0].id, roomKey: 'b1' }],
      [teacher, 'breakouts:rename', { roomKey: 'b1', name: 'Lab' }],
      [teacher, 'breakouts:close_room', { roomKey: 'b1' }],
      [teacher, 'breakouts:hop', { roomKey: 'b1' }],
      [teacher, 'breakouts:extend', { minutes: 5 }],
      [teacher, 'breakouts:broadcast', { text: 'Anyone?' }],
      [students[0], 'breakouts:choose', { roomKey: 'b1' }],
    ] as const) {
      assert.equal(codeOf(await send(socket, event, payload)), 'conflict', event)
    }
    const everyone = await roomsOf(teacher, f)
    for (const s of f.students) assert.equal(everyone[s.id], 'main')
    assert.lengthOf(await BreakoutRound.query().where({ classSessionId: f.classSession.id }), 0)
  })
})
