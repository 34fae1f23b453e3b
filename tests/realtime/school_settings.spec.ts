/*
| Each school setting of the classroom plugins has its effect: set through the admin API, then
| exercised in a live class. Each test also runs the opposite value, so ignoring the setting fails.
*/
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { PDFDocument } from 'pdf-lib'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import '#plugins/breakouts/events'
import '#plugins/quizzes/events'
import '#plugins/whiteboard/events'

const sockets = socketTracker()
const MINUTE = 60_000
const codeOf = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

async function configure(client: ApiClient, f: SchoolFixture, pluginId: string, settings: Record<string, unknown>) {
  const response = await client.put(`/admin/plugins/${pluginId}`).json({ enabled: true, settings }).loginAs(f.admin).withCsrfToken().accept('json')
  response.assertStatus(200)
}

const breakouts = (overrides: Record<string, unknown>) => ({
  maxRooms: 10,
  defaultDurationMinutes: 15,
  allowSelfChoose: true,
  copyMainWhiteboard: true,
  ...overrides,
})
const quizzes = (overrides: Record<string, unknown>) => ({ allowAnonymous: true, defaultTimeLimitSeconds: 0, studentResults: 'reveal', ...overrides })
const whiteboard = (overrides: Record<string, unknown>) => ({
  studentsDrawByDefault: false,
  studentsSeeAllCursors: false,
  maxElementsPerPage: 5000,
  maxDeckPages: 60,
  ...overrides,
})
const poll = { type: 'truefalse', prompt: 'Settings?', statementIsTrue: true }
/** A real PDF of `pages` blank pages. */
async function deck(pages: number) {
  const pdf = await PDFDocument.create()
  for (let i = 0; i < pages; i++) pdf.addPage([400, 225])
  return Buffer.from(await pdf.save())
}
const rect = (id: string) => ({ id, type: 'rectangle', version: 1, versionNonce: 1, isDeleted: false, x: 0, y: 0, width: 5, height: 5 })

test.group('School settings: their effect in class', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('breakouts: most rooms, default duration and self-choice', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    await sockets.joined(f.students[0], f.classSession.id)

    await configure(client, f, 'breakouts', breakouts({ maxRooms: 2, defaultDurationMinutes: 7, allowSelfChoose: false }))
    assert.equal(codeOf(await send(teacher, 'breakouts:open', { strategy: 'random', roomCount: 3 })), 'invalid')
    assert.equal(codeOf(await send(teacher, 'breakouts:open', { strategy: 'self', roomCount: 2 })), 'forbidden')
    const before = Date.now()
    const { round } = await sendOk(teacher, 'breakouts:open', { strategy: 'random', roomCount: 2 })
    const end = Date.parse(round.endsAt)
    assert.isAtLeast(end, before + 7 * MINUTE - 1000)
    assert.isAtMost(end, Date.now() + 7 * MINUTE)
    await sendOk(teacher, 'breakouts:close', {})

    await configure(client, f, 'breakouts', breakouts({ maxRooms: 3, allowSelfChoose: true }))
    const { round: three } = await sendOk(teacher, 'breakouts:open', { strategy: 'self', roomCount: 3 })
    assert.lengthOf(three.rooms, 3)
    assert.isAbove(Date.parse(three.endsAt), Date.now() + 14 * MINUTE)
  })

  test('quizzes: anonymous polls and the default time limit', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const teacher = await sockets.joined(f.teacher, f.classSession.id)

    await configure(client, f, 'quizzes', quizzes({ allowAnonymous: false, defaultTimeLimitSeconds: 45 }))
    assert.equal(codeOf(await send(teacher, 'quizzes:launch', { question: poll, anonymous: true })), 'forbidden')
    const { run } = await sendOk(teacher, 'quizzes:launch', { question: poll } as any)
    assert.equal(run.timeLimitSeconds, 45)
    await sendOk(teacher, 'quizzes:close', { runId: run.id })

    await configure(client, f, 'quizzes', quizzes({ allowAnonymous: true, defaultTimeLimitSeconds: 0 }))
    const { run: anonymous } = await sendOk(teacher, 'quizzes:launch', { question: poll, anonymous: true } as any)
    assert.isTrue(anonymous.anonymous)
    assert.isNull(anonymous.timeLimitSeconds)
  })

  test('whiteboard: students draw by default only when the school says so', async ({ client, assert }) => {
    const closed = await createSchool({ liveClass: true })
    await configure(client, closed, 'whiteboard', whiteboard({ studentsDrawByDefault: false }))
    await sockets.joined(closed.teacher, closed.classSession.id)
    const studentA = await sockets.joined(closed.students[0], closed.classSession.id)
    const boardA = await sendOk(studentA, 'whiteboard:open', {})
    assert.isFalse(boardA.board.penForAll)
    assert.equal(codeOf(await send(studentA, 'whiteboard:update', { pageId: boardA.pageId, elements: [rect('s1')] })), 'forbidden')

    const open = await createSchool({ liveClass: true })
    await configure(client, open, 'whiteboard', whiteboard({ studentsDrawByDefault: true }))
    await sockets.joined(open.teacher, open.classSession.id)
    const studentB = await sockets.joined(open.students[0], open.classSession.id)
    const boardB = await sendOk(studentB, 'whiteboard:open', {})
    assert.isTrue(boardB.board.penForAll)
    assert.equal(codeOf(await send(studentB, 'whiteboard:update', { pageId: boardB.pageId, elements: [rect('s1')] })), 'ok')
  })

  test('whiteboard: a page holds at most the school’s number of elements', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    await configure(client, f, 'whiteboard', whiteboard({ maxElementsPerPage: 100 }))
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    const { pageId } = await sendOk(teacher, 'whiteboard:open', {})
    const elements = (from: number, count: number) => Array.from({ length: count }, (_, i) => rect(`e${from + i}`))
    await sendOk(teacher, 'whiteboard:update', { pageId, elements: elements(0, 100) } as any)
    const over = await send(teacher, 'whiteboard:update', { pageId, elements: elements(100, 1) })
    assert.equal(codeOf(over), 'too_large')

    await configure(client, f, 'whiteboard', whiteboard({ maxElementsPerPage: 200 }))
    assert.equal(codeOf(await send(teacher, 'whiteboard:update', { pageId, elements: elements(100, 1) })), 'ok')
  })

  test('whiteboard: students see each other’s cursors only when the school says so', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true, students: 2 })
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    const [a, b] = await Promise.all(f.students.map((s) => sockets.joined(s, f.classSession.id)))
    await sendOk(teacher, 'whiteboard:open', {})
    const fromA = (batch: { cursors: { userId: number }[] }) => batch.cursors.some((c) => c.userId === f.students[0].id)
    const fromTeacher = (batch: { cursors: { userId: number }[] }) => batch.cursors.some((c) => c.userId === f.teacher.id)

    await configure(client, f, 'whiteboard', whiteboard({ studentsSeeAllCursors: false }))
    const seenByB: { userId: number }[] = []
    const collect = (batch: { cursors: { userId: number }[] }) => seenByB.push(...batch.cursors)
    b.on('whiteboard:cursors', collect)
    const teacherSeesA = nextEvent(teacher, 'whiteboard:cursors', fromA)
    const bSeesTeacher = nextEvent(b, 'whiteboard:cursors', fromTeacher)
    await sendOk(a, 'whiteboard:cursor', { x: 1, y: 1, laser: false })
    await teacherSeesA
    // The teacher's cursor, sent after A's, is batched with it or later: once B has it, A's would have come.
    await sendOk(teacher, 'whiteboard:cursor', { x: 2, y: 2, laser: false })
    await bSeesTeacher
    b.off('whiteboard:cursors', collect)
    assert.notInclude(seenByB.map((c) => c.userId), f.students[0].id, 'B never saw A’s cursor')

    await configure(client, f, 'whiteboard', whiteboard({ studentsSeeAllCursors: true }))
    const bSeesA = nextEvent(b, 'whiteboard:cursors', fromA)
    await sendOk(a, 'whiteboard:cursor', { x: 3, y: 3, laser: false })
    assert.equal((await bSeesA).cursors.find((c) => c.userId === f.students[0].id)!.x, 3)
  })

  test('whiteboard: a deck holds at most the school’s number of pages', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const url = `/plugins/whiteboard/sessions/${f.classSession.id}/deck`
    const upload = async () => client.post(url).file('deck', await deck(3), { filename: 'Three.pdf' }).loginAs(f.teacher).withCsrfToken().accept('json')

    await configure(client, f, 'whiteboard', whiteboard({ maxDeckPages: 2 }))
    const refused = await upload()
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'deck')

    await configure(client, f, 'whiteboard', whiteboard({ maxDeckPages: 3 }))
    const accepted = await upload()
    accepted.assertStatus(200)
    assert.lengthOf(accepted.body().pages, 3)
  })

  test('breakouts: rooms start with a copy of the main board only when the school says so', async ({ client, assert }) => {
    const roomBoard = async (copyMainWhiteboard: boolean) => {
      const f = await createSchool({ liveClass: true })
      await configure(client, f, 'breakouts', breakouts({ copyMainWhiteboard }))
      const teacher = await sockets.joined(f.teacher, f.classSession.id)
      const student = await sockets.joined(f.students[0], f.classSession.id)
      const main = await sendOk(teacher, 'whiteboard:open', {})
      await sendOk(teacher, 'whiteboard:update', { pageId: main.pageId, elements: [rect('from-main')] } as any)
      const moved = nextEvent(student, 'session:room_changed')
      await sendOk(teacher, 'breakouts:open', { strategy: 'random', roomCount: 1 } as any)
      assert.equal((await moved).room, 'b1')
      return (await sendOk(student, 'whiteboard:open', {})).elements.map((e: { id: string }) => e.id)
    }
    assert.deepEqual(await roomBoard(true), ['from-main'])
    assert.deepEqual(await roomBoard(false), [])
  })

  test('quizzes: students see results when the teacher reveals them, when the question closes, or never', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    const student = await sockets.joined(f.students[0], f.classSession.id)
    const launch = async () => (await sendOk(teacher, 'quizzes:launch', { question: poll } as any)).run

    await configure(client, f, 'quizzes', quizzes({ studentResults: 'reveal' }))
    const onReveal = await launch()
    const notOnClose = watchAbsence(student, 'quizzes:revealed')
    await sendOk(teacher, 'quizzes:close', { runId: onReveal.id })
    assert.isTrue(await notOnClose.settle(teacher), 'closing alone reveals nothing')
    const revealed = nextEvent(student, 'quizzes:revealed')
    await sendOk(teacher, 'quizzes:reveal', { runId: onReveal.id })
    assert.equal((await revealed).results.runId, onReveal.id)

    await configure(client, f, 'quizzes', quizzes({ studentResults: 'close' }))
    const onClose = await launch()
    const revealedOnClose = nextEvent(student, 'quizzes:revealed')
    await sendOk(teacher, 'quizzes:close', { runId: onClose.id })
    assert.equal((await revealedOnClose).results.runId, onClose.id)

    await configure(client, f, 'quizzes', quizzes({ studentResults: 'never' }))
    const never = await launch()
    const neverShown = watchAbsence(student, 'quizzes:revealed')
    await sendOk(teacher, 'quizzes:close', { runId: never.id })
    assert.equal(codeOf(await send(teacher, 'quizzes:reveal', { runId: never.id })), 'forbidden')
    assert.isTrue(await neverShown.settle(teacher))
  })
})
