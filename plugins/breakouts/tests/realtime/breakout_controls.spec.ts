/*
| The teacher's controls on open breakout rooms, each checked by its effect: extend and shorten move
| the end by exactly the minutes asked (stored and shown to students), rename changes the name
| everyone sees, close_room brings that room's students back to the main room and leaves the others.
*/
import { test } from '@japa/runner'
import BreakoutRound from '../../models/breakout_round.js'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, sendOk, socketTracker } from '#tests/helpers/sockets'
import '../../events.js'

const sockets = socketTracker()
const MINUTE = 60_000

async function openRooms(durationMinutes = 10) {
  const f = await createSchool({ liveClass: true, students: 4 })
  const teacher = await sockets.joined(f.teacher, f.classSession.id)
  const students = await Promise.all(f.students.map((s) => sockets.joined(s, f.classSession.id)))
  const moved = students.map((s) => nextEvent(s, 'session:room_changed'))
  const { round } = await sendOk(teacher, 'breakouts:open', { strategy: 'random', roomCount: 2, durationMinutes })
  const rooms = (await Promise.all(moved)).map((m) => m.room)
  return { f, teacher, students, round, rooms }
}

const storedEnd = async (sessionId: number) =>
  (await BreakoutRound.query().where({ classSessionId: sessionId, status: 'open' }).firstOrFail()).endsAt.toMillis()

test.group('Breakouts: teacher controls', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('extend moves the end later by exactly the minutes asked, for everyone', async ({ assert }) => {
    const { f, teacher, students, round } = await openRooms(10)
    const before = Date.parse(round.endsAt)
    assert.equal(await storedEnd(f.classSession.id), before)

    const seen = nextEvent(students[0], 'breakouts:updated', (p) => p.round !== null && Date.parse(p.round.endsAt) !== before)
    const { endsAt } = await sendOk(teacher, 'breakouts:extend', { minutes: 5 })
    assert.equal(Date.parse(endsAt), before + 5 * MINUTE)
    assert.equal(await storedEnd(f.classSession.id), before + 5 * MINUTE)
    assert.equal(Date.parse((await seen).round!.endsAt), before + 5 * MINUTE)
  })

  test('a negative extension shortens by exactly that much, but never below a minute from now', async ({ assert }) => {
    const { f, teacher, students, round } = await openRooms(10)
    const before = Date.parse(round.endsAt)
    const seen = nextEvent(students[1], 'breakouts:updated', (p) => p.round !== null && Date.parse(p.round.endsAt) !== before)
    const { endsAt } = await sendOk(teacher, 'breakouts:extend', { minutes: -3 })
    assert.equal(Date.parse(endsAt), before - 3 * MINUTE)
    assert.equal(await storedEnd(f.classSession.id), before - 3 * MINUTE)
    assert.equal(Date.parse((await seen).round!.endsAt), before - 3 * MINUTE)

    const sentAt = Date.now()
    const floor = await sendOk(teacher, 'breakouts:extend', { minutes: -60 })
    const end = Date.parse(floor.endsAt)
    assert.isAtLeast(end, sentAt + MINUTE)
    assert.isAtMost(end, Date.now() + MINUTE)
    /* Stored to the second (SQLite's timestamps). */
    assert.equal(Math.floor((await storedEnd(f.classSession.id)) / 1000), Math.floor(end / 1000))
  })

  test('rename changes the name every participant sees and the stored round', async ({ assert }) => {
    const { f, teacher, students, round } = await openRooms()
    const original = round.rooms.find((r) => r.key === 'b2')!.name
    const seen = nextEvent(students[2], 'breakouts:updated', (p) => p.round?.rooms.some((r) => r.name === 'Volcanoes') ?? false)
    await sendOk(teacher, 'breakouts:rename', { roomKey: 'b2', name: '  Volcanoes ' })
    const view = (await seen).round!
    assert.deepEqual(
      view.rooms.map((r) => [r.key, r.name]),
      [
        ['b1', round.rooms.find((r) => r.key === 'b1')!.name],
        ['b2', 'Volcanoes'],
      ]
    )
    assert.notEqual(original, 'Volcanoes')
    const stored = await BreakoutRound.query().where({ classSessionId: f.classSession.id, status: 'open' }).firstOrFail()
    assert.deepEqual(stored.rooms.map((r) => r.name), view.rooms.map((r) => r.name))
    const state = await sendOk(students[0], 'breakouts:state', {})
    assert.equal(state.round!.rooms.find((r) => r.key === 'b2')!.name, 'Volcanoes')
  })

  test("close_room brings that room's students back to main and keeps the other room open", async ({ assert }) => {
    const { f, teacher, students, rooms } = await openRooms()
    const inB1 = students.filter((_, i) => rooms[i] === 'b1')
    const inB2 = students.filter((_, i) => rooms[i] === 'b2')
    assert.isAbove(inB1.length, 0)
    assert.isAbove(inB2.length, 0)

    const back = inB1.map((s) => nextEvent(s, 'session:room_changed', (m) => m.room === 'main'))
    const updated = nextEvent(teacher, 'breakouts:updated', (p) => p.round !== null && p.round.rooms.length === 1)
    await sendOk(teacher, 'breakouts:close_room', { roomKey: 'b1' })
    await Promise.all(back)
    const view = (await updated).round!
    assert.deepEqual(view.rooms.map((r) => r.key), ['b2'])
    assert.sameMembers(
      view.rooms[0].members.map((m) => m.userId),
      f.students.filter((_, i) => rooms[i] === 'b2').map((s) => s.id)
    )
    const snapshot = await sendOk(teacher, 'session:join', { sessionId: f.classSession.id })
    const roomOf = new Map(snapshot.participants.map((p) => [p.userId, p.room]))
    f.students.forEach((s, i) => assert.equal(roomOf.get(s.id), rooms[i] === 'b1' ? 'main' : 'b2', s.fullName))
    const stored = await BreakoutRound.query().where({ classSessionId: f.classSession.id }).firstOrFail()
    assert.equal(stored.status, 'open')
    assert.deepEqual(stored.rooms.map((r) => r.key), ['b2'])

    /* Closing the last room closes the round: everyone is back in main. */
    const allBack = inB2.map((s) => nextEvent(s, 'session:room_changed', (m) => m.room === 'main'))
    const cleared = nextEvent(teacher, 'breakouts:updated', (p) => p.round === null)
    await sendOk(teacher, 'breakouts:close_room', { roomKey: 'b2' })
    await Promise.all(allBack)
    await cleared
    await stored.refresh()
    assert.equal(stored.status, 'closed')
  })
})
