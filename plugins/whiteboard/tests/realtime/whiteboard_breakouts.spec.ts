import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import { element } from '../element.js'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined
const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

/* Breakout rooms come from the breakouts plugin; here they are driven only through its socket events. */
test.group('Whiteboard: breakout rooms', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('each room has its own board, seeded from main; a room’s strokes never reach another room', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 4 })
    const teacherSocket = await joined(teacher, classSession.id)
    const studentSockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    const main = await sendOk(teacherSocket, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:update', { pageId: main.pageId, elements: [element('from-main')] })
    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: true })

    const moved = studentSockets.map((s) => nextEvent(s, 'session:room_changed'))
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2, durationMinutes: 10 })
    const rooms = (await Promise.all(moved)).map((m) => m.room)
    const inRoom = (room: string) => studentSockets.filter((_, i) => rooms[i] === room)
    const [b1a, b1b] = inRoom('b1')
    const [b2a] = inRoom('b2')

    const b1Board = await sendOk(b1a, 'whiteboard:open', {})
    const b2Board = await sendOk(b2a, 'whiteboard:open', {})
    assert.equal(b1Board.board.room, 'b1')
    assert.notEqual(b1Board.pageId, b2Board.pageId)
    assert.notEqual(b1Board.pageId, main.pageId)
    assert.deepEqual(b1Board.elements.map((e) => e.id), ['from-main'], 'seeded with a copy of the main page')
    assert.match(b1Board.board.pages[0].title, /^Main: /)

    const roommate = nextEvent(b1b, 'whiteboard:elements')
    const otherRoom = watchAbsence(b2a, 'whiteboard:elements')
    const teacherInMain = watchAbsence(teacherSocket, 'whiteboard:elements')
    await sendOk(b1a, 'whiteboard:update', { pageId: b1Board.pageId, elements: [element('room-one-only')] })
    assert.deepEqual((await roommate).elements.map((e) => e.id), ['room-one-only'])
    assert.isTrue(await otherRoom.settle(b1a))
    assert.isTrue(await teacherInMain.settle(b1a))
    // A student cannot write to another room's page, not even by naming it.
    assert.equal(errorCode(await send(b2a, 'whiteboard:update', { pageId: b1Board.pageId, elements: [element('x')] })), 'not_found')
    assert.deepEqual((await sendOk(b2a, 'whiteboard:open', {})).elements.map((e) => e.id), ['from-main'])
    assert.deepEqual((await sendOk(teacherSocket, 'whiteboard:open', {})).elements.map((e) => e.id), ['from-main'])
  })

  test('the teacher sees each room’s live page and pulls room boards into main; students cannot', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const teacherSocket = await joined(teacher, classSession.id)
    const studentSockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    await sendOk(teacherSocket, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: true })
    const moved = studentSockets.map((s) => nextEvent(s, 'session:room_changed'))
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2 })
    const rooms = (await Promise.all(moved)).map((m) => m.room)
    const b1 = studentSockets[rooms.indexOf('b1')]
    const { pageId } = await sendOk(b1, 'whiteboard:open', {})
    await sendOk(b1, 'whiteboard:update', { pageId, elements: [element('answer', 1), element('scrap', 2, 1, { isDeleted: true })] })

    const thumb = await sendOk(teacherSocket, 'whiteboard:thumbnail', { room: 'b1' })
    assert.equal(thumb.page?.id, pageId)
    assert.deepEqual(thumb.page?.elements.map((e) => e.id), ['answer'])
    assert.isNull((await sendOk(teacherSocket, 'whiteboard:thumbnail', { room: 'b9' })).page)
    assert.equal(errorCode(await send(b1, 'whiteboard:thumbnail', { room: 'b1' })), 'forbidden')
    assert.equal(errorCode(await send(b1, 'whiteboard:room_boards', {})), 'forbidden')
    assert.equal(errorCode(await send(b1, 'whiteboard:pull', { room: 'main' })), 'forbidden')

    const listed = await sendOk(teacherSocket, 'whiteboard:room_boards', {})
    assert.deepEqual(
      listed.rooms.find((r) => r.room === 'b1')?.pages.map((p) => [p.id, p.elementCount]),
      [[pageId, 1]]
    )
    await sendOk(teacherSocket, 'breakouts:close', {})
    const pulled = await sendOk(teacherSocket, 'whiteboard:pull', { room: 'b1' })
    assert.lengthOf(pulled.pages, 1)
    const mainBoard = await sendOk(teacherSocket, 'whiteboard:open', {})
    assert.equal(mainBoard.pageId, pulled.pages[0].id)
    assert.deepEqual(mainBoard.elements.map((e) => e.id), ['answer'])
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pull', { room: 'main' })), 'not_found')
  })
})
