import { test } from '@japa/runner'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { jsonClientAs } from '#tests/helpers/http_login'
import { eventually } from '#tests/helpers/poll'
import { nextEvent, send, sendOk, socketTracker, TEST_URL, watchAbsence } from '#tests/helpers/sockets'
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
    // Naming the room, the teacher opens that room's page (the overview's click-through); a student may not.
    const opened = await sendOk(teacherSocket, 'whiteboard:page', { pageId, room: 'b1' })
    assert.deepEqual([opened.pageId, opened.elements.filter((e) => !e.isDeleted).map((e) => e.id)], [pageId, ['answer']])
    assert.equal(errorCode(await send(studentSockets[rooms.indexOf('b2')], 'whiteboard:page', { pageId, room: 'b1' })), 'forbidden')
    assert.equal(errorCode(await send(b1, 'whiteboard:thumbnail', { room: 'b1' })), 'forbidden')
    assert.equal(errorCode(await send(b1, 'whiteboard:room_boards', {})), 'forbidden')
    assert.equal(errorCode(await send(b1, 'whiteboard:pull', { room: 'main' })), 'forbidden')

    const listed = await sendOk(teacherSocket, 'whiteboard:room_boards', {})
    assert.deepEqual(
      listed.rooms.find((r) => r.room === 'b1')?.pages.map((p) => [p.id, p.elementCount]),
      [[pageId, 1]]
    )
    await sendOk(teacherSocket, 'breakouts:close', {})
    // Only a room of this class that has a board, and only pages it has.
    const mainPages = (await sendOk(teacherSocket, 'whiteboard:open', {})).board.pages.length
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pull', { room: 'b9' })), 'not_found')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pull', { room: 'b1', pageIds: ['no-such-page'] })), 'not_found')
    assert.lengthOf((await sendOk(teacherSocket, 'whiteboard:open', {})).board.pages, mainPages, 'a refused pull copied pages')
    const pulled = await sendOk(teacherSocket, 'whiteboard:pull', { room: 'b1' })
    assert.lengthOf(pulled.pages, 1)
    const mainBoard = await sendOk(teacherSocket, 'whiteboard:open', {})
    assert.equal(mainBoard.pageId, pulled.pages[0].id)
    assert.deepEqual(mainBoard.elements.map((e) => e.id), ['answer'])
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pull', { room: 'main' })), 'not_found')
  })

  test('after class, the review names each breakout room as the teacher called it, not by its key', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const teacherSocket = await joined(teacher, classSession.id)
    const studentSockets = await Promise.all(students.map((s) => joined(s, classSession.id)))
    await sendOk(teacherSocket, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: true })
    const moved = studentSockets.map((s) => nextEvent(s, 'session:room_changed'))
    await sendOk(teacherSocket, 'breakouts:open', { strategy: 'random', roomCount: 2, names: ['Fractions', 'Decimals'] })
    const rooms = (await Promise.all(moved)).map((m) => m.room)
    await sendOk(teacherSocket, 'breakouts:rename', { roomKey: 'b2', name: 'Percentages' })
    for (const room of ['b1', 'b2']) {
      const student = studentSockets[rooms.indexOf(room)]
      const { pageId } = await sendOk(student, 'whiteboard:open', {})
      await sendOk(student, 'whiteboard:update', { pageId, elements: [element(`work-${room}`)] })
    }
    await sendOk(teacherSocket, 'breakouts:close', {})
    await sendOk(teacherSocket, 'session:end', {})

    const asTeacher = await jsonClientAs(TEST_URL, teacher.email, PASSWORD)
    let review: { rooms: { room: string; name: string | null }[] } = { rooms: [] }
    await eventually('the ended class’s boards are written, one per room', async () => {
      const response = await asTeacher('GET', `/plugins/whiteboard/sessions/${classSession.id}/pages`)
      if (response.status === 200) review = await response.json()
      return review.rooms.length === 3
    })
    assert.deepEqual(
      review.rooms.map(({ room, name }) => ({ room, name })),
      [
        { room: 'main', name: null },
        { room: 'b1', name: 'Fractions' },
        { room: 'b2', name: 'Percentages' },
      ]
    )
  })
})
