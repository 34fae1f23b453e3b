import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, Page } from 'playwright-core'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { launchChromium } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'

/*
| Issue 15 item 12: axe-core (from node_modules, run inside the page) finds no serious or critical
| violation of WCAG 2 A/AA on the dashboards, the classroom (every panel) and the admin pages.
*/
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Script errors of every page (a fix for a checker must not break the page, e.g. its progress bar). */
const pageErrors: string[] = []

async function loggedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    // The Vite dev client's HMR socket is disabled in tests; its connection error is expected (as in pageAs).
    if (!error.message.includes('WebSocket closed without opened')) pageErrors.push(`${email}: ${error.message}`)
  })
  await page.goto(`${TEST_URL}/login`)
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL(`${TEST_URL}/`)
  return page
}

/** Serious and critical axe violations on the page as it is now, one line each. */
async function seriousViolations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    // Exclusions belong to axe.run's context (its first argument; axe ignores them among the options).
    // Excalidraw's own canvas UI is a third-party widget, checked by its authors. Inertia's progress
    // bar is transient decoration hidden from screen readers (aria-hidden) whose role NProgress needs.
    const context = { include: [['body']], exclude: [['.excalidraw'], ['#nprogress']] }
    const result = await (window as any).axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`)
  })
  return violations.map((v: string) => `${where} — ${v}`)
}

test.group('Polish: accessibility (axe-core)', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('dashboards, classroom (every panel and stage) and admin pages have no serious or critical axe violation', async ({ assert }) => {
    const { admin, teacher, students, parent, classSession } = await createSchool({ liveClass: true })
    const found: string[] = []

    for (const [user, name] of [[teacher, 'teacher'], [students[0], 'student'], [parent, 'parent'], [admin, 'admin']] as const) {
      const page = await loggedIn(browser, user.email)
      found.push(...(await seriousViolations(page, `${name} dashboard`)))
      if (name === 'admin') {
        for (const path of ['/admin/users', '/admin/courses', '/admin/plugins', '/admin/mail']) {
          await page.goto(`${TEST_URL}${path}`)
          await page.waitForSelector('main h1')
          found.push(...(await seriousViolations(page, `admin ${path}`)))
        }
      }
      if (name === 'teacher' || name === 'student') {
        await page.goto(`${TEST_URL}/classes/${classSession.id}`)
        await page.waitForSelector('[data-test=raise-hand]')
        await page.waitForSelector('.tab[data-panel]')
        for (const panel of await page.locator('.tab[data-panel]').evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).dataset.panel!))) {
          await page.click(`.tab[data-panel="${panel}"]`)
          await page.waitForSelector(`.tab[data-panel="${panel}"][aria-selected=true]`)
          found.push(...(await seriousViolations(page, `${name} classroom, ${panel}`)))
        }
        const stageButtons = page.locator('.stage-switch button')
        for (let i = 0; i < (await stageButtons.count()); i++) {
          await stageButtons.nth(i).click()
          await page.waitForFunction((index) => document.querySelectorAll('.stage-switch button')[index]?.getAttribute('aria-pressed') === 'true', i)
          if (await page.locator('[data-test=wb-stage]').count()) await page.waitForSelector('[data-test=wb-stage][data-status=ready]', { timeout: 30_000 })
          found.push(...(await seriousViolations(page, `${name} classroom, stage ${i}`)))
        }
      }
      await page.context().close()
    }
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`)
    assert.deepEqual(pageErrors, [], `no script error on any page visited:\n${pageErrors.join('\n')}`)
  }).timeout(240_000)
})
