/*
| The one-minute warning of a breakout round, where the product draws it: BreakoutBanner.vue turns
| the student's room pill to its warning style and adds "back to the main room soon" once the
| round's end time (sent by the server) is a minute away or less. The pages' clocks are pinned with
| Playwright's clock (Date only; timers keep running) to moments measured from the server's endsAt,
| so the boundary is checked to the millisecond without waiting for real minutes. The teacher is a
| real socket; no media, no whiteboard stage.
*/
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { eventually } from '#tests/helpers/poll'
import { connectAs, sendOk, TEST_URL, trackParticipants, type TestSocket } from '#tests/helpers/sockets'
import '../../events.js'

const MINUTE = 60_000
const PILL = '[data-test=breakout-room]'

/** What a student's banner shows once its ticking clock has read `at`. */
async function bannerAt(page: Page, at: number, label: string) {
  await page.clock.setFixedTime(at)
  await page.locator(`${PILL} [data-test=breakout-timer]`, { hasText: label }).waitFor({ timeout: 10_000 })
  return page.$eval(PILL, (pill) => ({ warning: pill.classList.contains('warning'), text: pill.textContent ?? '' }))
}

/** Counts how many times the pill turned to its warning style (a MutationObserver on its class). */
function countWarnings(page: Page) {
  return page.$eval(PILL, (pill) => {
    const counter = { on: 0, off: 0 }
    let was = pill.classList.contains('warning')
    new MutationObserver(() => {
      const now = pill.classList.contains('warning')
      if (now !== was) counter[now ? 'on' : 'off']++
      was = now
    }).observe(pill, { attributes: true, attributeFilter: ['class'] })
    ;(window as any).__warnings = counter
  })
}
const warningsOf = (page: Page): Promise<{ on: number; off: number }> => page.evaluate(() => (window as any).__warnings)

test.group('Breakouts: the one-minute warning in Chromium', (group) => {
  let browser: Browser
  let teacher: TestSocket | undefined
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })
  group.each.teardown(() => {
    teacher?.close()
  })

  test('students in rooms get the warning once, at exactly a minute before the end the server set; an extension lifts it', async ({ assert }) => {
    const f = await createSchool({ liveClass: true, students: 2 })
    teacher = await connectAs(f.teacher)
    const people = trackParticipants(teacher)
    people.joining()
    people.joined(await sendOk(teacher, 'session:join', { sessionId: f.classSession.id }))

    const pages = await Promise.all(f.students.map((s) => pageAs(browser, s)))
    for (const page of pages) {
      await page.clock.setFixedTime(Date.now())
      await page.goto(`${TEST_URL}/classes/${f.classSession.id}`)
    }
    await eventually('both students are in the class', () =>
      f.students.every((s) => people.current().some((p) => p.userId === s.id))
    )

    const { round } = await sendOk(teacher, 'breakouts:open', { strategy: 'random', roomCount: 2, durationMinutes: 10 })
    const end = Date.parse(round.endsAt)
    for (const page of pages) await page.waitForSelector(PILL)
    const roomNames = await Promise.all(pages.map((p) => p.locator(`${PILL} strong`).textContent()))
    assert.sameMembers(roomNames.map((n) => n?.trim()), ['Room 1', 'Room 2'], 'each student is in a room')

    for (const page of pages) {
      assert.deepInclude(await bannerAt(page, end - 90_000, '1:30'), { warning: false })
      await countWarnings(page)
      const justBefore = await bannerAt(page, end - MINUTE - 1, '1:01')
      assert.isFalse(justBefore.warning, 'a minute and a millisecond before the end: no warning yet')
      assert.notInclude(justBefore.text, 'back to the main room soon')
      const atMinute = await bannerAt(page, end - MINUTE, '1:00')
      assert.isTrue(atMinute.warning, 'a minute before the end: the warning')
      assert.include(atMinute.text, 'back to the main room soon')
      for (const [at, label] of [[end - 30_000, '0:30'], [end - 1000, '0:01']] as const) {
        assert.deepInclude(await bannerAt(page, at, label), { warning: true })
      }
      assert.deepEqual(await warningsOf(page), { on: 1, off: 0 }, 'the warning came on once and stayed')
    }

    // The warning follows the end time the server sends: the teacher adds a minute, and at 30 s
    // before the old end (90 s before the new one) the warning is gone.
    const { endsAt } = await sendOk(teacher, 'breakouts:extend', { minutes: 1 })
    assert.equal(Date.parse(endsAt), end + MINUTE)
    for (const page of pages) {
      const extended = await bannerAt(page, end - 30_000, '1:30')
      assert.isFalse(extended.warning, 'extended to a minute and a half: no warning')
      assert.deepEqual(await warningsOf(page), { on: 1, off: 1 })
    }
  })
})
