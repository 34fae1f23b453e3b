import { test } from '@japa/runner'
import { eventually } from '#tests/helpers/poll'
import { createSchool } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import WhiteboardPage from '../../models/whiteboard_page.js'
import { element, stroke } from '../element.js'
import '../../events.js'

const sockets = socketTracker()
const joined = sockets.joined
const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)
/** True once `check` holds (polled by `eventually()`), false if it never does within the bound. */
const until = (check: () => Promise<boolean>, timeoutMs = 6000) =>
  eventually('the condition holds', check, { timeoutMs }).then(
    () => true,
    () => false
  )

test.group('Whiteboard: realtime', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a teacher’s changes reach the room, not the sender; a late joiner gets the whole page from the server', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)

    const opened = await sendOk(teacherSocket, 'whiteboard:open', {})
    assert.lengthOf(opened.board.pages, 1)
    assert.equal(opened.board.pages[0].title, 'Page 1')
    assert.isEmpty(opened.elements)
    const pageId = opened.pageId

    const arriving = nextEvent(student, 'whiteboard:elements')
    const echo = watchAbsence(teacherSocket, 'whiteboard:elements')
    const result = await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('r1'), element('r2', 2)] })
    assert.deepEqual(result, { applied: 2, stale: [] })
    const received = await arriving
    assert.equal(received.pageId, pageId)
    assert.equal(received.by, teacher.id)
    assert.deepEqual(received.elements.map((e) => e.id).sort(), ['r1', 'r2'])
    assert.isTrue(await echo.settle(student))

    // Only what changed travels: an older copy is not forwarded and comes back as stale.
    const quiet = watchAbsence(student, 'whiteboard:elements')
    const stale = await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('r2', 1)] })
    assert.equal(stale.applied, 0)
    assert.equal(stale.stale[0].version, 2)
    assert.isTrue(await quiet.settle(teacherSocket))

    // A resend of exactly what the server holds (an unacknowledged update whose process may have died
    // between merging and relaying it) is relayed again, changes nothing and is not stale.
    const relayedAgain = nextEvent(student, 'whiteboard:elements')
    const resent = await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('r2', 2)] })
    assert.deepEqual(resent, { applied: 0, stale: [] })
    assert.deepEqual((await relayedAgain).elements.map((e) => [e.id, e.version]), [['r2', 2]])

    const late = await joined(students[1], classSession.id)
    const lateOpen = await sendOk(late, 'whiteboard:open', {})
    assert.equal(lateOpen.pageId, pageId)
    assert.deepEqual(
      lateOpen.elements.map((e) => [e.id, e.version]).sort(),
      [
        ['r1', 1],
        ['r2', 2],
      ]
    )
  })

  test('a student without the pen is refused and changes nothing; the teacher grants and revokes it', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const other = await joined(students[1], classSession.id)
    const { pageId, board } = await sendOk(student, 'whiteboard:open', {})
    assert.isFalse(board.penForAll)

    const refused = await send(student, 'whiteboard:update', { pageId, elements: [element('s1')] })
    assert.equal(errorCode(refused), 'forbidden')
    assert.equal(errorCode(await send(student, 'whiteboard:stroke', { pageId, elementId: 's1', points: [[1, 1]] })), 'forbidden')
    assert.isEmpty((await sendOk(teacherSocket, 'whiteboard:open', {})).elements)

    // Pen controls are the teacher's.
    assert.equal(errorCode(await send(student, 'whiteboard:pen', { all: true, granted: true })), 'forbidden')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pen', { granted: true })), 'invalid')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pen', { userId: teacher.id, granted: true })), 'not_found')
    // Only a student in this class gets the pen: not one of another school, nor one of the course who is not here.
    const stranger = (await createSchool({ liveClass: true })).students[0]
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pen', { userId: stranger.id, granted: true })), 'not_found')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:pen', { userId: students[2].id, granted: true })), 'not_found')
    assert.deepEqual((await sendOk(teacherSocket, 'whiteboard:open', {})).board.penUserIds, [])

    const announced = nextEvent(student, 'whiteboard:board', (b) => b.penUserIds.includes(students[0].id))
    await sendOk(teacherSocket, 'whiteboard:pen', { userId: students[0].id, granted: true })
    await announced
    assert.equal((await sendOk(student, 'whiteboard:update', { pageId, elements: [element('s1')] })).applied, 1)
    assert.equal(errorCode(await send(other, 'whiteboard:update', { pageId, elements: [element('o1')] })), 'forbidden')

    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: true })
    assert.equal((await sendOk(other, 'whiteboard:update', { pageId, elements: [element('o1')] })).applied, 1)

    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: false })
    assert.equal(errorCode(await send(student, 'whiteboard:update', { pageId, elements: [element('s2')] })), 'forbidden')
    assert.deepEqual(
      (await sendOk(teacherSocket, 'whiteboard:open', {})).elements.map((e) => e.id).sort(),
      ['o1', 's1']
    )
  })

  test('invalid or oversized updates get an error ack and are not applied', async ({ assert }) => {
    const { teacher, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
    const { version, ...noVersion } = element('x')
    assert.equal(version, 1)
    const cases: [unknown, string][] = [
      [{ pageId, elements: [noVersion] }, 'invalid'],
      [{ pageId, elements: [element('x', 1, 1, { type: 'script' })] }, 'invalid'],
      [{ pageId, elements: [] }, 'invalid'],
      [{ pageId, elements: Array.from({ length: 501 }, (_, i) => element(`e${i}`)) }, 'invalid'],
      [{ pageId, elements: [element('x', 1, 1, { text: 'y'.repeat(600_000) })] }, 'too_large'],
      [{ pageId: 'no-such-page', elements: [element('x')] }, 'not_found'],
      [{ elements: [element('x')] }, 'invalid'],
    ]
    for (const [payload, code] of cases) assert.equal(errorCode(await send(teacherSocket, 'whiteboard:update', payload)), code)
    assert.isEmpty((await sendOk(teacherSocket, 'whiteboard:open', {})).elements)
  })

  test('stroke growth travels as appended points, batched per room; the finished stroke follows without its points', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})

    const batches: any[] = []
    student.on('whiteboard:strokes', (batch: any) => batches.push(batch))
    await sendOk(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 'f1', points: [[1, 1]], start: stroke('f1', [[0, 0]]) })
    await sendOk(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 'f1', points: [[2, 3], [4, 5]] })
    const flat = () => batches.flatMap((b) => b.growth.flatMap((g: number[]) => g.slice(1)))
    await eventually('the student got all six coordinates', () => flat().length >= 6, { timeoutMs: 3000, intervalMs: 20 })
    const starts = batches.flatMap((b) => b.starts ?? [])
    assert.lengthOf(starts, 1)
    assert.include(starts[0], { by: teacher.id })
    assert.equal(starts[0].element.id, 'f1')
    assert.notProperty(starts[0].element, 'seed', 'only what draws the stroke')
    assert.isTrue(batches.every((b) => b.pageId === pageId && b.growth.every((g: number[]) => g[0] === starts[0].handle)))
    assert.deepEqual(flat(), [1, 1, 2, 3, 4, 5])

    // The finished element: its points are exactly the relayed ones, so receivers rebuild them.
    const done = nextEvent(student, 'whiteboard:elements')
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [stroke('f1', [[0, 0], [1, 1], [2, 3], [4, 5]], 2)] })
    const finished = await done
    assert.deepEqual(finished.grown, { f1: 4 })
    assert.deepEqual(finished.elements[0].points, [])
    // The server keeps the whole element; a later reader gets every point.
    assert.lengthOf((await sendOk(student, 'whiteboard:open', {})).elements[0].points as unknown[], 4)

    // A finished stroke that differs from what was relayed travels whole.
    await sendOk(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 'f2', points: [[1, 1]], start: stroke('f2', [[0, 0]]) })
    const whole = nextEvent(student, 'whiteboard:elements')
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [stroke('f2', [[0, 0], [1, 1], [9, 9]], 2)] })
    const wholeEvent = await whole
    assert.isUndefined(wholeEvent.grown)
    assert.lengthOf(wholeEvent.elements[0].points as unknown[], 3)

    const start = stroke('f3', [[0, 0]])
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 'f4', points: [[0, 0]], start })), 'invalid')
    assert.equal(
      errorCode(await send(teacherSocket, 'whiteboard:stroke', { pageId, elementId: 'f1', points: Array.from({ length: 1001 }, () => [0, 0]) })),
      'invalid'
    )
  })

  test('only a teacher may look at another room’s board, and only at a room that has one', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { pageId } = await sendOk(student, 'whiteboard:open', {})
    assert.equal(errorCode(await send(student, 'whiteboard:page', { pageId, room: 'b1' })), 'forbidden')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:page', { pageId, room: 'b1' })), 'not_found')
    assert.equal(errorCode(await send(student, 'whiteboard:page', { pageId })), 'ok')
  })

  test('cursors are batched: students get the teacher’s cursor and laser, teachers get everyone’s', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const other = await joined(students[1], classSession.id)
    await sendOk(teacherSocket, 'whiteboard:open', {})

    const studentsView: unknown[] = []
    other.on('whiteboard:cursors', (batch: any) => studentsView.push(...batch.cursors))
    const teacherGets = nextEvent(teacherSocket, 'whiteboard:cursors', (b) => b.cursors.some((c) => c.userId === students[0].id))
    const laser = nextEvent(other, 'whiteboard:cursors', (b) => b.cursors.some((c) => c.userId === teacher.id))
    for (let i = 0; i < 5; i++) {
      await sendOk(student, 'whiteboard:cursor', { x: i, y: i, laser: true })
      await sendOk(teacherSocket, 'whiteboard:cursor', { x: 100 + i, y: 5, laser: true })
    }
    const teacherBatch = await teacherGets
    const fromStudent = teacherBatch.cursors.find((c) => c.userId === students[0].id)!
    assert.isFalse(fromStudent.laser, 'only teachers have a laser')
    assert.equal(teacherBatch.room, 'main')
    const studentBatch = await laser
    assert.isTrue(studentBatch.cursors.find((c) => c.userId === teacher.id)!.laser)
    /* The batch with the teacher's last position is the latest one the student can get. */
    await eventually('the teacher’s last cursor position reached the student', () => (studentsView.at(-1) as any)?.x === 104)
    assert.isTrue(studentsView.every((c: any) => c.role === 'teacher'), 'students see only the teacher')
    // Five moves each within a few batch windows: far fewer messages than moves, the latest position kept.
    assert.isBelow(studentsView.length, 5)
    assert.equal((studentsView.at(-1) as any).x, 104)
    assert.equal(errorCode(await send(student, 'whiteboard:cursor', { x: 'a', y: 1, laser: false })), 'invalid')
  })

  test('pages: the teacher adds and switches, everyone follows; students cannot', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    const { pageId: first } = await sendOk(student, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:update', { pageId: first, elements: [element('on-first')] })

    assert.equal(errorCode(await send(student, 'whiteboard:page_add', {})), 'forbidden')
    assert.equal(errorCode(await send(student, 'whiteboard:page_switch', { pageId: first })), 'forbidden')

    const added = nextEvent(student, 'whiteboard:board', (b) => b.pages.length === 2)
    const { page } = await sendOk(teacherSocket, 'whiteboard:page_add', { title: 'Fractions' })
    const board = await added
    assert.equal(board.currentPageId, page.id)
    assert.deepEqual(board.pages.map((p) => p.title), ['Page 1', 'Fractions'])
    assert.isEmpty((await sendOk(student, 'whiteboard:page', { pageId: page.id })).elements)

    const back = nextEvent(student, 'whiteboard:board', (b) => b.currentPageId === first)
    await sendOk(teacherSocket, 'whiteboard:page_switch', { pageId: first })
    await back
    const reopened = await sendOk(student, 'whiteboard:open', {})
    assert.equal(reopened.pageId, first)
    assert.deepEqual(reopened.elements.map((e) => e.id), ['on-first'])
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:page_switch', { pageId: 'nope' })), 'not_found')
    // A student cannot peek into other rooms.
    assert.equal(errorCode(await send(student, 'whiteboard:page', { pageId: first, room: 'b1' })), 'forbidden')
  })

  test('follow mode: the teacher’s viewport reaches students only while it is on', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const student = await joined(students[0], classSession.id)
    await sendOk(student, 'whiteboard:open', {})
    const viewport = { scrollX: -300, scrollY: 120, zoom: 1.5, width: 1200, height: 700 }

    const none = watchAbsence(student, 'whiteboard:viewport')
    await sendOk(teacherSocket, 'whiteboard:viewport', viewport)
    assert.isTrue(await none.settle(teacherSocket))

    const locked = nextEvent(student, 'whiteboard:board', (b) => b.follow.enabled && b.follow.locked)
    await sendOk(teacherSocket, 'whiteboard:follow', { enabled: true, locked: true })
    await locked
    const moved = nextEvent(student, 'whiteboard:viewport')
    await sendOk(teacherSocket, 'whiteboard:viewport', viewport)
    assert.deepEqual(await moved, viewport)
    assert.deepEqual((await sendOk(student, 'whiteboard:open', {})).board.viewport, viewport)

    assert.equal(errorCode(await send(student, 'whiteboard:viewport', viewport)), 'forbidden')
    assert.equal(errorCode(await send(student, 'whiteboard:follow', { enabled: false, locked: false })), 'forbidden')
    assert.equal(errorCode(await send(teacherSocket, 'whiteboard:viewport', { ...viewport, zoom: 0 })), 'invalid')
  })

  test('scenes are persisted while live and at class end, without tombstones; activity is logged', async ({ assert }) => {
    const { teacher, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await joined(teacher, classSession.id)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('keep'), element('gone')] })
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('gone', 2, 1, { isDeleted: true })] })

    const row = () => WhiteboardPage.query().where({ classSessionId: classSession.id, pageKey: pageId }).firstOrFail()
    assert.isTrue(await until(async () => (await row()).elements.length === 2), 'debounced write while live')
    assert.equal((await row()).elementCount, 1)

    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('last-second')] })
    await sendOk(teacherSocket, 'session:end', {})
    assert.isTrue(
      await until(async () => {
        const ids = (await row()).elements.map((e) => e.id).sort()
        return JSON.stringify(ids) === JSON.stringify(['keep', 'last-second'])
      }),
      'persisted at class end, tombstones dropped'
    )
    const { default: db } = await import('@adonisjs/lucid/services/db')
    assert.isTrue(
      await until(async () => {
        const actions = await db.from('whiteboard_activity').where('class_session_id', classSession.id).select('action', 'element_count')
        const drawn = actions.filter((a) => a.action === 'draw').reduce((sum, a) => sum + Number(a.element_count), 0)
        return drawn === 3 && actions.some((a) => a.action === 'erase')
      }),
      'draw and erase activity rows'
    )
  })
})
