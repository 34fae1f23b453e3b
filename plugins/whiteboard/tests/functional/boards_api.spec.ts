import { test } from '@japa/runner'
import { eventually } from '#tests/helpers/poll'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { createSchool } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import WhiteboardPage from '../../models/whiteboard_page.js'
import WhiteboardFile from '../../models/whiteboard_file.js'
import { element } from '../element.js'
import '../../events.js'

const sockets = socketTracker()

/** A real PDF with `pages` landscape pages, each with its number written on it. */
async function deck(pages: number) {
  const pdf = await PDFDocument.create()
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  for (let i = 1; i <= pages; i++) pdf.addPage([800, 450]).drawText(`Slide ${i}`, { x: 50, y: 200, size: 48, font })
  return Buffer.from(await pdf.save())
}

test.group('Whiteboard: HTTP', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('the teacher uploads a PDF deck: each slide becomes a page with a locked background the class receives', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const student = await sockets.joined(f.students[0], f.classSession.id)
    await sendOk(student, 'whiteboard:open', {})
    const url = `/plugins/whiteboard/sessions/${f.classSession.id}/deck`

    const forbidden = await client.post(url).file('deck', await deck(1), { filename: 'a.pdf' }).loginAs(f.students[0]).withCsrfToken().accept('json')
    forbidden.assertStatus(403)
    const notPdf = await client.post(url).file('deck', Buffer.from('hello'), { filename: 'a.txt' }).loginAs(f.teacher).withCsrfToken().accept('json')
    notPdf.assertStatus(422)
    const brokenPdf = await client.post(url).file('deck', Buffer.from('%PDF-1.4 broken'), { filename: 'b.pdf' }).loginAs(f.teacher).withCsrfToken().accept('json')
    brokenPdf.assertStatus(422)
    const missing = await client.post(url).loginAs(f.teacher).withCsrfToken().accept('json')
    missing.assertStatus(422)
    const foreign = await createSchool({ liveClass: true })
    const otherSchool = await client.post(url).file('deck', await deck(1), { filename: 'a.pdf' }).loginAs(foreign.teacher).withCsrfToken().accept('json')
    otherSchool.assertStatus(404)
    assert.lengthOf(await WhiteboardFile.query().where('class_session_id', f.classSession.id), 0)

    const announced = new Promise<any>((resolve) => student.on('whiteboard:board', (b: any) => b.pages.length === 4 && resolve(b)))
    const uploaded = await client.post(url).file('deck', await deck(3), { filename: 'Fractions.pdf' }).loginAs(f.teacher).withCsrfToken().accept('json')
    uploaded.assertStatus(200)
    const pages = uploaded.body().pages
    assert.deepEqual(pages.map((p: any) => p.title), ['Fractions 1', 'Fractions 2', 'Fractions 3'])
    assert.equal(pages[0].background.width, 1600)
    assert.equal(pages[0].background.height, 900)
    const board = await announced
    assert.equal(board.currentPageId, pages[0].id)

    const { elements } = await sendOk(student, 'whiteboard:page', { pageId: pages[1].id })
    assert.lengthOf(elements, 1)
    assert.include(elements[0], { type: 'image', locked: true, fileId: pages[1].background.fileId, width: 1280, height: 720 })
    // A student with the pen still cannot move a slide.
    const teacherSocket = await sockets.joined(f.teacher, f.classSession.id)
    await sendOk(teacherSocket, 'whiteboard:pen', { all: true, granted: true })
    const moved = await student.timeout(3000).emitWithAck('whiteboard:update', { pageId: pages[1].id, elements: [{ ...elements[0], x: 50, version: 2 }] })
    assert.equal(moved.error.code, 'forbidden')
    // Nor inside a batch with a stroke of their own: the whole batch is refused and nothing stored.
    const mixed = await student
      .timeout(3000)
      .emitWithAck('whiteboard:update', { pageId: pages[1].id, elements: [element('own-stroke'), { ...elements[0], x: 50, version: 2 }] })
    assert.equal(mixed.ok ? 'ok' : mixed.error.code, 'forbidden')
    const untouched = (await sendOk(student, 'whiteboard:page', { pageId: pages[1].id })).elements
    assert.deepEqual(untouched.map((e) => [e.id, e.x]), [[elements[0].id, elements[0].x]])
    // The teacher may move it.
    assert.equal((await sendOk(teacherSocket, 'whiteboard:update', { pageId: pages[1].id, elements: [{ ...elements[0], x: 50, version: 2 }] })).applied, 1)

    const image = await client.get(pages[1].background.url).loginAs(f.students[1])
    image.assertStatus(200)
    assert.equal(image.header('content-type'), 'image/png')
    const png = await client.get(pages[1].background.url).loginAs(f.parent)
    png.assertStatus(200)
    ;(await client.get(pages[1].background.url).loginAs(f.outsider)).assertStatus(404)
    ;(await client.get(pages[1].background.url).loginAs(foreign.admin)).assertStatus(404)
  })

  test('after class, members review every room’s pages read-only; others get 404', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(f.teacher, f.classSession.id)
    const { pageId } = await sendOk(teacherSocket, 'whiteboard:open', {})
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('kept'), element('erased')] })
    await sendOk(teacherSocket, 'whiteboard:update', { pageId, elements: [element('erased', 2, 1, { isDeleted: true })] })
    await sendOk(teacherSocket, 'whiteboard:page_add', { title: 'Homework' })
    await sendOk(teacherSocket, 'session:end', {})
    await eventually('the ended class’s board is written with the erased element gone', async () => {
      const row = await WhiteboardPage.query().where({ classSessionId: f.classSession.id, pageKey: pageId }).first()
      return row?.elements.length === 1
    })

    for (const user of [f.teacher, f.students[0], f.parent, f.admin]) {
      const list = await client.get('/plugins/whiteboard/boards').loginAs(user).accept('json')
      list.assertStatus(200)
      const item = list.body().boards.find((b: any) => b.sessionId === f.classSession.id)
      assert.equal(item?.pageCount, 2, user.email)
      assert.equal(item.status, 'ended')

      const review = await client.get(`/plugins/whiteboard/sessions/${f.classSession.id}/pages`).loginAs(user).accept('json')
      review.assertStatus(200)
      const [main] = review.body().rooms
      assert.equal(main.room, 'main')
      assert.deepEqual(main.pages.map((p: any) => p.title), ['Page 1', 'Homework'])
      assert.deepEqual(main.pages[0].elements.map((e: any) => e.id), ['kept'])
    }

    for (const user of [f.outsider, f.otherTeacher]) {
      const list = await client.get('/plugins/whiteboard/boards').loginAs(user).accept('json')
      assert.isUndefined(list.body().boards.find((b: any) => b.sessionId === f.classSession.id))
      ;(await client.get(`/plugins/whiteboard/sessions/${f.classSession.id}/pages`).loginAs(user).accept('json')).assertStatus(404)
    }
    ;(await client.get('/plugins/whiteboard/sessions/abc/pages').loginAs(f.teacher).accept('json')).assertStatus(404)
    ;(await client.get('/plugins/whiteboard/boards').accept('json')).assertStatus(401)
  })

  test('Excalidraw’s fonts are served by Aula; nothing outside the package is reachable', async ({ client, assert }) => {
    const f = await createSchool()
    const { readdirSync } = await import('node:fs')
    const name = readdirSync('node_modules/@excalidraw/excalidraw/dist/prod/fonts/Excalifont').find((n) => n.endsWith('.woff2'))!
    const font = await client.get(`/plugins/whiteboard/assets/fonts/Excalifont/${name}`).loginAs(f.teacher)
    font.assertStatus(200)
    assert.equal(font.header('content-type'), 'font/woff2')
    ;(await client.get(`/plugins/whiteboard/assets/fonts/Excalifont/${name}`).accept('json')).assertStatus(401)
    ;(await client.get('/plugins/whiteboard/assets/..%2F..%2Fpackage.json').loginAs(f.teacher)).assertStatus(404)
    ;(await client.get('/plugins/whiteboard/assets/fonts/../../../package.json').loginAs(f.teacher)).assertStatus(404)
  })
})
