import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { PDFDocument } from 'pdf-lib'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, nextFrames, pageAs } from '#tests/helpers/browser'
import { eventually } from '#tests/helpers/poll'
import { TEST_URL } from '#tests/helpers/sockets'
import { openBoard as openBoardOnStage, writeText } from '#tests/helpers/whiteboard_page'

/** Every URL a page asks for (HTTP requests and WebSockets), to prove nothing leaves this machine. */
function recordRequests(page: Page) {
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  page.on('websocket', (socket) => urls.push(socket.url()))
  return urls
}

/** Font files this page loaded (URL and HTTP status). */
function recordFonts(page: Page) {
  const fonts: { url: string; status: number }[] = []
  page.on('response', (response) => {
    if (/\.woff2?(\?|$)/.test(response.url())) fonts.push({ url: response.url(), status: response.status() })
  })
  return fonts
}

function offMachine(urls: string[]) {
  return urls.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return false
    const host = new URL(url).hostname
    return host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]'
  })
}

/** Opens the class with its whiteboard on the stage. */
async function openBoard(page: Page, classUrl: string) {
  await page.goto(classUrl)
  await openBoardOnStage(page)
}

/** Waits until the page's whiteboard has sent everything and heard back (bounded, so a hang names itself). */
function settle(page: Page) {
  return page.evaluate(() =>
    Promise.race([
      (window as any).__aulaWhiteboard.sync.idle(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the whiteboard sync did not settle within 15 s')), 15_000)),
    ])
  )
}

/** The scene as this page's Excalidraw has it. */
function sceneOf(page: Page) {
  return page.evaluate(() =>
    (window as any).__aulaWhiteboard.api
      .getSceneElementsIncludingDeleted()
      .map((e: any) => ({ id: e.id, type: e.type, version: e.version, versionNonce: e.versionNonce, isDeleted: e.isDeleted, points: e.points?.length ?? 0 }))
  )
}

function viewOf(page: Page) {
  return page.evaluate(() => {
    const s = (window as any).__aulaWhiteboard.api.getAppState()
    const zoom = s.zoom.value
    return { scrollX: s.scrollX, scrollY: s.scrollY, zoom, width: s.width, height: s.height, cx: -s.scrollX + s.width / (2 * zoom), cy: -s.scrollY + s.height / (2 * zoom) }
  })
}

/** Waits until the student's visible centre is the teacher's (the teacher's canvas may resize meanwhile). */
async function waitForSameCenter(student: Page, teacher: Page, timeoutMs = 5000) {
  let last = { student: null as any, teacher: null as any }
  const same = async () => {
    last = { student: await viewOf(student), teacher: await viewOf(teacher) }
    return Math.abs(last.student.cx - last.teacher.cx) < 1 && Math.abs(last.student.cy - last.teacher.cy) < 1
  }
  await eventually('the student sees the teacher’s centre', same, { timeoutMs, intervalMs: 100 }).catch(() => {
    throw new Error(`the student's view ${JSON.stringify(last.student)} does not show the teacher's ${JSON.stringify(last.teacher)}`)
  })
  return last
}

/** Draws with the real mouse over the canvas: pointer down, a zig-zag at one move per rendered frame (a hand's pace), pointer up. */
async function drawStroke(page: Page, from: { x: number; y: number }, steps = 30) {
  await page.mouse.move(from.x, from.y)
  const startedAt = Date.now()
  await page.mouse.down()
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + i * 8, from.y + (i % 2 ? 12 : -12) + i * 3)
    await nextFrames(page, 1)
  }
  await page.mouse.up()
  return Date.now() - startedAt
}

async function canvasBox(page: Page) {
  const box = await page.locator('[data-test=wb-excalidraw]').boundingBox()
  if (!box) throw new Error('the whiteboard canvas is not visible')
  return box
}

test.group('Whiteboard in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('a stroke drawn with the mouse reaches the student; follow mode moves the student; no pen, no change; nothing leaves localhost', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    const studentPage = await pageAs(browser, students[0])
    const requests = [recordRequests(teacherPage), recordRequests(studentPage)]
    const fonts = [recordFonts(teacherPage), recordFonts(studentPage)]

    await openBoard(teacherPage, classUrl)
    await openBoard(studentPage, classUrl)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)

    // Both show the same page; by default only the teacher has the pen.
    const pageId = await teacherPage.getAttribute('[data-test=wb-stage]', 'data-page-id')
    assert.isNotEmpty(pageId)
    assert.equal(await studentPage.getAttribute('[data-test=wb-stage]', 'data-page-id'), pageId)
    await studentPage.waitForSelector('[data-test=wb-stage][data-can-draw=false]')
    await studentPage.waitForSelector('[data-test=wb-no-pen]')
    assert.include(await studentPage.locator('[data-test=wb-no-pen]').textContent(), 'The teacher has the pen')
    assert.isTrue(await studentPage.evaluate(() => (window as any).__aulaWhiteboard.api.getAppState().viewModeEnabled))

    // 1. The teacher draws a freehand stroke with the mouse; the student gets the same element.
    await teacherPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'freedraw' }))
    const box = await canvasBox(teacherPage)
    const drawingMs = await drawStroke(teacherPage, { x: box.x + box.width * 0.3, y: box.y + box.height * 0.4 })
    await settle(teacherPage)
    const teacherScene = await sceneOf(teacherPage)
    const strokes = teacherScene.filter((e: any) => e.type === 'freedraw' && !e.isDeleted)
    assert.lengthOf(strokes, 1, 'the mouse drew one freehand element')
    const stroke = strokes[0]
    assert.isAbove(stroke.points, 10)

    await studentPage.waitForFunction(
      ({ id, version }) => (window as any).__aulaWhiteboard.api.getSceneElementsIncludingDeleted().some((e: any) => e.id === id && e.version === version),
      { id: stroke.id, version: stroke.version },
      { timeout: 10_000 }
    )
    const studentCopy = (await sceneOf(studentPage)).find((e: any) => e.id === stroke.id)
    assert.deepEqual(studentCopy, stroke, 'same id, version, versionNonce and points')
    // The stroke was streamed while it was drawn (point messages), not only sent at the end.
    const strokeStats = await Promise.all([
      teacherPage.evaluate(() => (window as any).__aulaWhiteboard.sync.stats.strokesSent),
      studentPage.evaluate(() => (window as any).__aulaWhiteboard.sync.stats.strokesReceived),
    ])
    assert.isAbove(strokeStats[0], 1, 'the teacher streamed the stroke in several messages')
    assert.isAbove(strokeStats[1], 0, 'the student received the stroke while it was drawn')
    assert.isAtMost(strokeStats[0], Math.ceil(drawingMs / 100) + 1, `at most ~10 stroke messages per second (${drawingMs} ms of drawing)`)

    // Text typed on the keyboard reaches the student too, drawn with Excalidraw's fonts from this server.
    await writeText(teacherPage, { x: box.x + box.width * 0.6, y: box.y + box.height * 0.25 }, 'Hello class')
    await settle(teacherPage)
    const text = await teacherPage.evaluate(() =>
      (window as any).__aulaWhiteboard.api.getSceneElements().find((e: any) => e.type === 'text')
    )
    assert.equal(text?.text, 'Hello class')
    await studentPage.waitForFunction(
      ({ id, version }) => (window as any).__aulaWhiteboard.api.getSceneElements().some((e: any) => e.id === id && e.version === version && e.text === 'Hello class'),
      { id: text.id, version: text.version },
      { timeout: 10_000 }
    )

    // 2. Follow mode: the teacher scrolls, the student's view follows (same visible centre).
    await teacherPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'selection' }))
    await teacherPage.click('[data-test=wb-follow]')
    await studentPage.waitForSelector('[data-test=wb-following]')
    const before = await viewOf(studentPage)
    await teacherPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await teacherPage.mouse.wheel(0, 400)
    await teacherPage.mouse.wheel(300, 0)
    await eventually('the teacher’s wheel scrolled both ways', async () => {
      const view = await viewOf(teacherPage)
      return view.cy - before.cy > 100 && Math.abs(view.cx - before.cx) > 1
    })
    const { student: after, teacher: teacherView } = await waitForSameCenter(studentPage, teacherPage, 10_000)
    assert.notEqual(after.scrollY, before.scrollY, 'the student’s scroll changed')
    assert.isAbove(teacherView.cy - before.cy, 100, 'the teacher really scrolled down (wheel)')
    // The teacher's whole visible area fits on the student's canvas.
    const fit = Math.min(after.width / (teacherView.width / teacherView.zoom), after.height / (teacherView.height / teacherView.zoom))
    assert.closeTo(after.zoom, fit, 1e-3)

    // Locked: the student's own scrolling is snapped back.
    await teacherPage.click('[data-test=wb-lock]')
    await studentPage.waitForFunction(() => (window as any).__aulaWhiteboard.store.locked.value === true)
    const studentBox = await canvasBox(studentPage)
    await studentPage.mouse.move(studentBox.x + studentBox.width / 2, studentBox.y + studentBox.height / 2)
    await studentPage.mouse.wheel(0, 500)
    await nextFrames(studentPage) // the wheel's effect, if any, is on screen
    await waitForSameCenter(studentPage, teacherPage)
    // Any other way of moving (keyboard, hand tool) is snapped back too.
    await studentPage.evaluate(() => {
      const { api } = (window as any).__aulaWhiteboard
      api.updateScene({ appState: { scrollX: api.getAppState().scrollX + 300, scrollY: api.getAppState().scrollY - 200 } })
    })
    await nextFrames(studentPage)
    await waitForSameCenter(studentPage, teacherPage)

    // 3. Without the pen the server refuses the student's change, and the teacher's scene stays as it was.
    const refused = await studentPage.evaluate(async ({ id, pageId }) => {
      const wb = (window as any).__aulaWhiteboard
      const mine = wb.api.getSceneElementsIncludingDeleted().find((e: any) => e.id === id)
      const forged = { ...mine, version: mine.version + 5, versionNonce: 1, isDeleted: true }
      try {
        await wb.request('whiteboard:update', { pageId, elements: [forged] })
        return 'accepted'
      } catch (error: any) {
        return error.code
      }
    }, { id: stroke.id, pageId })
    assert.equal(refused, 'forbidden')
    /* The teacher's own request answers after anything the refused change would have sent it (socket.io keeps order). */
    const serverCopy = await teacherPage.evaluate(
      async (pageId) => (await (window as any).__aulaWhiteboard.request('whiteboard:page', { pageId })).elements,
      pageId
    )
    const teacherStroke = (await sceneOf(teacherPage)).find((e: any) => e.id === stroke.id)
    assert.deepEqual(teacherStroke, stroke, 'the teacher’s stroke is untouched')
    const stored = serverCopy.find((e: any) => e.id === stroke.id)
    assert.equal(stored.version, stroke.version)
    assert.isFalse(stored.isDeleted)

    // Granting the pen lets the student draw with the mouse; the teacher sees it.
    await teacherPage.click('[data-test=wb-pens-toggle]')
    await teacherPage.click(`[data-test=wb-pen][data-user-id="${students[0].id}"] [data-test=wb-pen-toggle]`)
    await studentPage.waitForSelector('[data-test=wb-stage][data-can-draw=true]')
    assert.equal(await studentPage.locator('[data-test=wb-no-pen]').count(), 0)
    await studentPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'rectangle' }))
    await teacherPage.click('[data-test=wb-lock]') // unlock so the student's gestures are not fought
    await studentPage.mouse.move(studentBox.x + studentBox.width * 0.55, studentBox.y + studentBox.height * 0.5)
    await studentPage.mouse.down()
    await studentPage.mouse.move(studentBox.x + studentBox.width * 0.65, studentBox.y + studentBox.height * 0.6, { steps: 8 })
    await studentPage.mouse.up()
    await settle(studentPage)
    const rectangle = (await sceneOf(studentPage)).find((e: any) => e.type === 'rectangle' && !e.isDeleted)
    assert.exists(rectangle, 'the student drew a rectangle')
    await teacherPage.waitForFunction(
      ({ id, version }) => (window as any).__aulaWhiteboard.api.getSceneElementsIncludingDeleted().some((e: any) => e.id === id && e.version === version),
      { id: rectangle.id, version: rectangle.version },
      { timeout: 10_000 }
    )

    // 4. Nothing was fetched from anywhere but this machine; fonts come from the plugin's assets.
    // (The hand-drawn scene fonts come through EXCALIDRAW_ASSET_PATH; the UI fonts of Excalidraw's CSS
    // are bundled by Vite and served by this server too.)
    for (const loaded of fonts) {
      const sceneFonts = loaded.filter((font) => new URL(font.url).pathname.startsWith('/plugins/whiteboard/assets/fonts/'))
      assert.isAbove(sceneFonts.length, 0, 'scene fonts come from /plugins/whiteboard/assets/fonts/')
      for (const font of loaded) assert.equal(font.status, 200, font.url)
    }
    for (const urls of requests) {
      assert.isAbove(urls.length, 0)
      assert.deepEqual(offMachine(urls), [], 'every request stays on localhost')
    }
  })

  test('pages follow the teacher; after class the board is reviewed read-only and exported as PNG, SVG and a PDF deck', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 1 })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    const studentPage = await pageAs(browser, students[0])
    const requests = [recordRequests(teacherPage), recordRequests(studentPage)]
    await openBoard(teacherPage, classUrl)
    await openBoard(studentPage, classUrl)

    await teacherPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'freedraw' }))
    const box = await canvasBox(teacherPage)
    await drawStroke(teacherPage, { x: box.x + box.width * 0.35, y: box.y + box.height * 0.5 }, 15)
    await settle(teacherPage)
    const [stroke] = (await sceneOf(teacherPage)).filter((e: any) => e.type === 'freedraw')
    const firstPage = await teacherPage.getAttribute('[data-test=wb-stage]', 'data-page-id')

    // A new page: the student follows to it (an empty scene), then back to the first page.
    await teacherPage.click('[data-test=wb-page-add]')
    await teacherPage.waitForFunction((first) => {
      const id = document.querySelector('[data-test=wb-stage]')?.getAttribute('data-page-id')
      return id && id !== first
    }, firstPage)
    const secondPage = await teacherPage.getAttribute('[data-test=wb-stage]', 'data-page-id')
    await studentPage.waitForSelector(`[data-test=wb-stage][data-page-id="${secondPage}"]`)
    assert.lengthOf(await sceneOf(studentPage), 0)
    assert.include(await studentPage.locator('[data-test=wb-page-info]').textContent(), 'Page 2 of 2')
    await teacherPage.click(`[data-test=wb-page][data-page-id="${firstPage}"]`)
    await studentPage.waitForSelector(`[data-test=wb-stage][data-page-id="${firstPage}"]`)
    await studentPage.waitForFunction((id) => (window as any).__aulaWhiteboard.api.getSceneElements().some((e: any) => e.id === id), stroke.id)

    // A PDF deck: its slide becomes a third page with the slide as a locked image, loaded on the student's page too.
    const deck = await PDFDocument.create()
    deck.addPage([800, 450]).drawText('Slide one', { x: 40, y: 200, size: 40 })
    await teacherPage.setInputFiles('[data-test=wb-deck-input]', {
      name: 'Fractions.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await deck.save()),
    })
    await studentPage.waitForFunction(() => document.querySelector('[data-test=wb-page-info]')?.textContent?.includes('Page 3 of 3'), null, { timeout: 20_000 })
    await studentPage.waitForFunction(() => {
      const api = (window as any).__aulaWhiteboard.api
      const slide = api.getSceneElements().find((e: any) => e.type === 'image')
      return !!slide && slide.locked === true && !!api.getFiles()[slide.fileId]
    }, null, { timeout: 20_000 })

    // The class ends; the teacher reviews the board from the dashboard.
    teacherPage.on('dialog', (dialog) => dialog.accept())
    await teacherPage.click('[data-test=end-class]')
    await studentPage.waitForSelector('[data-test=class-ended]')
    await teacherPage.goto(`${TEST_URL}/`)
    await teacherPage.click(`[data-test=wb-board-item][data-session-id="${classSession.id}"] [data-test=wb-board-open]`)
    // The review loads after the dialog opens.
    await teacherPage.waitForSelector('[data-test=wb-viewer][data-status=ready]')
    assert.equal(await teacherPage.locator('[data-test=wb-viewer-page]').count(), 3)
    await teacherPage.waitForFunction(
      (id) => (window as any).__aulaWhiteboardViewer?.api.getSceneElements().some((e: any) => e.id === id),
      stroke.id
    )
    assert.isTrue(await teacherPage.evaluate(() => (window as any).__aulaWhiteboardViewer.api.getAppState().viewModeEnabled), 'read-only')

    const downloaded = async (selector: string) => {
      const [download] = await Promise.all([teacherPage.waitForEvent('download'), teacherPage.click(selector)])
      return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) }
    }
    const png = await downloaded('[data-test=wb-export-png]')
    assert.match(png.name, /page-1\.png$/)
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])
    const svg = await downloaded('[data-test=wb-export-svg]')
    assert.match(svg.name, /\.svg$/)
    assert.include(svg.bytes.toString('utf8'), '<svg')
    assert.include(svg.bytes.toString('utf8'), '<path', 'the stroke is drawn in the SVG')
    const pdf = await downloaded('[data-test=wb-export-pdf]')
    assert.match(pdf.name, /\.pdf$/)
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-')
    assert.equal((await PDFDocument.load(pdf.bytes)).getPageCount(), 3, 'one PDF page per board page')

    // The student finds the same board on their dashboard.
    await studentPage.goto(`${TEST_URL}/`)
    await studentPage.waitForSelector(`[data-test=wb-board-item][data-session-id="${classSession.id}"]`)

    for (const urls of requests) assert.deepEqual(offMachine(urls), [], 'every request stays on localhost')
  })
})
