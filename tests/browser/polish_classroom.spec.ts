import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'

/**
 * coveredControls once the layout has settled: the stage's grid reflows from a ResizeObserver, a frame
 * or two after the panel opens or the window resizes, so an overlap must last 3 s to count.
 */
async function coveredWhenSettled(page: Page, scope: string) {
  let covered: string[] = []
  await eventually('no control is covered', async () => (covered = await coveredControls(page, scope)).length === 0, { timeoutMs: 3000 }).catch(() => {})
  return covered
}

/** Visible controls under `scope` whose centre is covered by something that is not part of them. */
function coveredControls(page: Page, scope: string) {
  return page.evaluate((scope) => {
    const covered: string[] = []
    for (const root of document.querySelectorAll(scope)) {
      for (const el of root.querySelectorAll<HTMLElement>('button, a[href], select, input, [data-video-user]')) {
        const style = getComputedStyle(el)
        const size = el.getBoundingClientRect()
        if (!size.width || !size.height || style.visibility === 'hidden' || el.closest('.sr-only')) continue
        // A tab in the panel's horizontally scrolling tab strip (six tabs on a phone) is reached by scrolling the strip.
        const strip = el.closest<HTMLElement>('[role=tablist]')
        if (strip && strip.scrollWidth > strip.clientWidth) el.scrollIntoView({ block: 'nearest', inline: 'nearest' })
        const box = el.getBoundingClientRect()
        const x = box.left + box.width / 2
        const y = box.top + box.height / 2
        const onScreen = x >= 0 && y >= 0 && x <= window.innerWidth && y <= window.innerHeight
        const hit = document.elementFromPoint(x, y)
        if (!onScreen || !hit || !(el === hit || el.contains(hit))) {
          covered.push(`${el.tagName.toLowerCase()}[${el.dataset.test ?? el.getAttribute('aria-label') ?? el.textContent?.trim()}] at ${Math.round(x)},${Math.round(y)} under ${hit?.tagName.toLowerCase()}.${hit?.className}`)
        }
      }
    }
    return covered
  }, scope)
}

/** Whether every child of the element sits on one line (their vertical extents overlap). */
function oneLine(page: Page, selector: string) {
  return page.$eval(selector, (bar) => {
    const boxes = [...bar.children].map((c) => c.getBoundingClientRect()).filter((b) => b.width && b.height)
    const top = Math.max(...boxes.map((b) => b.top))
    const bottom = Math.min(...boxes.map((b) => b.bottom))
    return { oneLine: top < bottom, height: bar.getBoundingClientRect().height }
  })
}

test.group('Polish: classroom in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('a student’s raised hand shows on the tile, as a count and in the queue while the teacher is on the Chat tab; chat counts unread messages', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    const studentPage = await pageAs(browser, students[0])
    await teacherPage.goto(classUrl)
    await studentPage.goto(classUrl)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)
    await teacherPage.click('[data-panel="chat:panel"]')

    await studentPage.click('[data-test=raise-hand]')
    await teacherPage.waitForSelector(`[data-video-user="${students[0].id}"] [data-test=tile-hand]`, { state: 'visible' })
    const tileRadius = await teacherPage.$eval(`[data-video-user="${students[0].id}"]`, (tile) => parseFloat(getComputedStyle(tile).borderTopLeftRadius))
    assert.isBelow(tileRadius, 24, 'a tile with a raised hand keeps its shape (the hand badge’s pill style is not the tile’s)')
    await teacherPage.waitForSelector('[data-panel="core:people"] [data-test=hands-count]', { state: 'visible' })
    assert.equal((await teacherPage.innerText('[data-panel="core:people"] [data-test=hands-count]')).trim(), '1')
    assert.equal(await teacherPage.getAttribute('[data-panel="chat:panel"]', 'aria-selected'), 'true', 'the teacher is still on the Chat tab')
    assert.equal((await teacherPage.innerText('[data-test=hand-queue-count]')).trim(), '1')

    // The queue lists hands in the order they were raised and lowers them from any tab.
    await pageAs(browser, students[1]).then(async (second) => {
      await second.goto(classUrl)
      await teacherPage.waitForSelector(`[data-video-user="${students[1].id}"]`)
      await second.click('[data-test=raise-hand]')
    })
    await teacherPage.waitForFunction(() => document.querySelector('[data-test=hand-queue-count]')?.textContent?.trim() === '2')
    await teacherPage.click('[data-test=hand-queue]')
    assert.deepEqual(
      await teacherPage.locator('[data-test=hand-queue-list] li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.queueUser))),
      [students[0].id, students[1].id]
    )
    assert.equal(await teacherPage.getAttribute('[data-test=hand-sound]', 'aria-pressed'), 'false', 'the sound is off by default')
    await teacherPage.click(`[data-queue-user="${students[0].id}"] button`)
    await studentPage.waitForSelector('[data-test=raise-hand][aria-pressed=false]')
    await teacherPage.keyboard.press('Escape')
    await teacherPage.waitForSelector('[data-test=hand-queue-list]', { state: 'detached' })

    // Chat counts messages that arrive while its tab is not on screen.
    await teacherPage.click('[data-panel="core:people"]')
    await studentPage.click('[data-panel="chat:panel"]')
    await studentPage.fill('[data-test=chat-input]', 'A question')
    await studentPage.click('[data-test=chat-send]')
    await teacherPage.waitForSelector('[data-panel="chat:panel"] [data-test=tab-count]')
    assert.equal((await teacherPage.innerText('[data-panel="chat:panel"] [data-test=tab-count]')).trim(), '1')
    await teacherPage.click('[data-panel="chat:panel"]')
    await teacherPage.waitForSelector('[data-panel="chat:panel"] [data-test=tab-count]', { state: 'detached' })
  })

  test('a student who joins after the results were revealed sees no old results sheet', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    const early = await pageAs(browser, students[0])
    await teacherPage.goto(classUrl)
    await early.goto(classUrl)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)
    await teacherPage.click('[data-panel="quizzes:panel"]')
    await teacherPage.fill('#quiz-poll-prompt', 'Which planet is the largest?')
    for (const [index, label] of ['Mars', 'Jupiter'].entries()) await teacherPage.fill(`[data-test=option-label-${index}]`, label)
    await teacherPage.click('[data-test=quiz-launch]')
    await early.click('[data-test=quiz-option][data-option-id=b]')
    await early.waitForSelector('[data-test=quiz-sent]')
    await teacherPage.click('[data-test=quiz-reveal]')
    await early.waitForSelector('[data-test=quiz-results]')

    const late = await pageAs(browser, students[1])
    await late.setViewportSize({ width: 390, height: 844 })
    await late.goto(classUrl)
    await late.waitForSelector('[data-quiz-state=loaded]', { state: 'attached' })
    assert.equal(await late.locator('[data-test=quiz-results]').count(), 0, 'the old results sheet must not pop up')
    assert.equal(await late.locator('[data-test=quiz-closed]').count(), 0)
    assert.deepEqual(await coveredControls(late, '[data-test=classroom-controls]'), [])
  })

  test('on a phone (390×844) the header is one line, the controls one bar, and nothing covers a control or a tile', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const pages = [await pageAs(browser, teacher), await pageAs(browser, students[0]), await pageAs(browser, students[1])]
    for (const page of pages) {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(classUrl)
    }
    const [teacherPage, studentPage] = pages
    for (const page of [teacherPage, studentPage]) {
      await page.waitForFunction((n) => document.querySelectorAll('[data-test=video-tiles] [data-video-user]').length >= n, 3)
      await page.waitForSelector('[data-test=more-controls]')
      const header = await oneLine(page, '[data-test=classroom-header]')
      assert.isTrue(header.oneLine, 'header items on one line')
      assert.isAtMost(header.height, 56)
      const controls = await oneLine(page, '[data-test=classroom-controls]')
      assert.isTrue(controls.oneLine, 'controls on one line')
      assert.isAtMost(controls.height, 64)
      assert.deepEqual(await coveredControls(page, '[data-test=classroom-header], [data-test=classroom-controls], main.stage'), [])
      // Secondary controls live in the menu, and nothing covers them when it is open.
      await page.click('[data-test=more-controls]')
      await page.waitForSelector('[data-test=more-menu]', { state: 'visible' })
      assert.isAbove(await page.locator('[data-test=more-menu] button').count(), 2)
      assert.deepEqual(await coveredControls(page, '[data-test=more-menu]'), [])
      await page.click('[data-test=more-controls]')
      // The side panel opens without covering the stage.
      await page.click('[data-test=panel-toggle]')
      await page.waitForSelector('[data-panel="core:people"]', { state: 'visible' })
      assert.deepEqual(await coveredWhenSettled(page, '[data-test=classroom-header], [data-test=classroom-controls], main.stage, aside.panel'), [])
    }
    // At 1280×800 nothing overlaps either.
    await teacherPage.setViewportSize({ width: 1280, height: 800 })
    await teacherPage.waitForSelector('[data-test=more-controls]', { state: 'detached' })
    assert.deepEqual(await coveredWhenSettled(teacherPage, '[data-test=classroom-header], [data-test=classroom-controls], main.stage, aside.panel'), [])
    // The teacher's control bar stays one row (labels fold into icons when they would wrap), and the labels
    // come back on a wide screen.
    const labelShown = () => teacherPage.$eval('[data-test=raise-hand] .label', (label) => label.getBoundingClientRect().width > 1)
    const settledOnOneRow = () =>
      teacherPage
        .waitForFunction(
          () => {
            const bar = document.querySelector('[data-test=classroom-controls]')!
            const boxes = [...bar.children].map((c) => c.getBoundingClientRect()).filter((b) => b.width && b.height)
            return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom))
          },
          undefined,
          { timeout: 5000 }
        )
        .then(() => true)
        .catch(() => false)
    assert.isTrue(await settledOnOneRow(), 'teacher’s controls on one row at 1280×800')
    await teacherPage.setViewportSize({ width: 1900, height: 900 })
    await teacherPage.waitForFunction(() => !document.querySelector('[data-test=classroom-controls]')?.classList.contains('icon-only'))
    assert.isTrue(await labelShown(), 'labels shown when there is room')
    assert.isTrue(await settledOnOneRow(), 'teacher’s controls on one row at 1900×900')
  })
})
