import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'

/*
| Item 9 of issue 15: control icons are SVG, never emoji (an emoji renders as an empty box where no
| emoji font is installed). "Emoji" here is wider than Unicode's emoji list: any pictograph, dingbat,
| arrow or geometric symbol that a plain text font may lack.
*/
const PICTOGRAPH = /[\p{Extended_Pictographic}\u2190-\u21FF\u2300-\u23FF\u25A0-\u27BF\u2900-\u297F\u2B00-\u2BFF]/u

/** Visible controls on the page whose own text contains a pictograph, and how many controls were looked at. */
async function emojiControls(page: Page, where: string) {
  const found = await page.evaluate((source) => {
    const pictograph = new RegExp(source, 'u')
    const controls = [...document.querySelectorAll<HTMLElement>('button, a[href], [role=button], [role=tab], [role=menuitem], summary, label')]
    const visible = controls.filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    return {
      looked: visible.length,
      bad: visible.filter((el) => pictograph.test(el.textContent ?? '')).map((el) => `${el.tagName.toLowerCase()}: ${el.textContent!.trim().slice(0, 60)}`),
    }
  }, PICTOGRAPH.source)
  return { ...found, bad: found.bad.map((b) => `${where} — ${b}`) }
}

test.group('Polish: icons are SVG, not emoji', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('no control in the classroom (every panel, stage and menu) or on the dashboard has an emoji as its text', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const bad: string[] = []
    let looked = 0
    const scan = async (page: Page, where: string) => {
      const result = await emojiControls(page, where)
      bad.push(...result.bad)
      looked += result.looked
    }

    const teacherPage = await pageAs(browser, teacher)
    await scan(teacherPage, 'teacher dashboard')
    await teacherPage.goto(classUrl)
    await teacherPage.waitForSelector('[data-test=raise-hand]')
    await teacherPage.waitForSelector('.tab[data-panel]')
    await teacherPage.click('[data-test=react]')
    await teacherPage.waitForSelector('.react-menu button')
    // The reaction buttons draw an SVG icon and are named for screen readers.
    const reactionButtons = await teacherPage.locator('.react-menu button').evaluateAll((buttons) =>
      buttons.map((b) => ({ svg: !!b.querySelector('svg'), name: b.getAttribute('aria-label') ?? '' }))
    )
    assert.isAbove(reactionButtons.length, 5)
    for (const button of reactionButtons) {
      assert.isTrue(button.svg, `reaction ${button.name} has an SVG icon`)
      assert.notEqual(button.name, '')
    }
    await scan(teacherPage, 'teacher classroom, reactions open')
    await teacherPage.click('[data-test=react]')

    for (const panel of await teacherPage.locator('.tab[data-panel]').evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).dataset.panel!))) {
      await teacherPage.click(`.tab[data-panel="${panel}"]`)
      await teacherPage.waitForSelector(`.tab[data-panel="${panel}"][aria-selected=true]`)
      await scan(teacherPage, `teacher panel ${panel}`)
    }
    const stageButtons = teacherPage.locator('.stage-switch button')
    for (let i = 0; i < (await stageButtons.count()); i++) {
      await stageButtons.nth(i).click()
      await teacherPage.waitForFunction((index) => document.querySelectorAll('.stage-switch button')[index]?.getAttribute('aria-pressed') === 'true', i)
      if (await teacherPage.locator('[data-test=wb-stage]').count()) await teacherPage.waitForSelector('[data-test=wb-stage][data-status=ready]', { timeout: 30_000 })
      await scan(teacherPage, `teacher stage ${i}`)
    }

    // A student on a phone, with the More menu open (reactions live there).
    const studentPage = await pageAs(browser, students[0])
    await studentPage.setViewportSize({ width: 390, height: 844 })
    await studentPage.goto(classUrl)
    await studentPage.waitForSelector('[data-test=more-controls]')
    await studentPage.click('[data-test=more-controls]')
    await studentPage.waitForSelector('[data-test=more-menu] .react-row button')
    await scan(studentPage, 'student phone, More menu open')

    assert.isAbove(looked, 40, 'the scan looked at the controls')
    assert.deepEqual(bad, [])
  }).timeout(120_000)
})
