/*
| Screenshots of the classroom for docs/screenshots/, made by a script, never by hand:
| the teacher's and the student's view of a live demo class at 1280×800 and 390×844.
|
|   bin/aula start &                                   # a running Aula with the demo school
|   node --import=ts-node-maintained/register/esm scripts/screenshots.ts [http://localhost:3333]
|
| It logs in as Ada (teacher) and Amara (student) with the demo password, presses "Start class now"
| on Mathematics 7A (or opens the live class), lets Amara join, raises her hand, and writes
| teacher-1280x800.png, student-1280x800.png, teacher-390x844.png and student-390x844.png; then, with a
| German browser, Ada's dashboard and classroom at 1280×800 (dashboard-teacher-de-1280x800.png,
| teacher-de-1280x800.png).
| Debian's Chromium (CHROMIUM_PATH to override); nothing is downloaded.
*/
import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

const BASE = (process.argv[2] ?? process.env.AULA_URL ?? 'http://localhost:3333').replace(/\/$/, '')
const OUT = new URL('../docs/screenshots/', import.meta.url).pathname
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]

async function loggedIn(browser: Browser, email: string, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: SIZES[0], locale, deviceScaleFactor: 1 })
  const page = await context.newPage()
  await page.goto(`${BASE}/login`)
  await page.fill('#email', email)
  await page.fill('#password', 'aula-demo')
  await page.click('button[type=submit]')
  await page.waitForURL(`${BASE}/`)
  return page
}

/** Waits until the classroom shows who is here and no transient pop-up is left. */
async function settled(page: Page) {
  await page.waitForSelector('[data-test=raise-hand]')
  await page.waitForSelector('.tab[data-panel]')
  await page.evaluate(() => document.fonts.ready)
  await page.waitForSelector('#nprogress', { state: 'hidden' })
}

async function main() {
  mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--no-first-run'],
  })
  try {
    const teacher = await loggedIn(browser, 'ada@demo.aula')
    const live = teacher.locator('[data-test=join]').first()
    if (await live.count()) await live.click()
    else await teacher.locator('li', { hasText: 'Mathematics 7A' }).locator('[data-test=start-now]').click()
    await teacher.waitForURL(/\/classes\/\d+$/)
    const classUrl = teacher.url()
    await settled(teacher)

    const student = await loggedIn(browser, 'amara@demo.aula')
    await student.goto(classUrl)
    await settled(student)
    await student.click('[data-test=raise-hand]')
    await teacher.waitForSelector('[data-test=tile-hand], [data-test=hands-count]')

    for (const size of SIZES) {
      for (const [name, page] of [['teacher', teacher], ['student', student]] as const) {
        await page.setViewportSize(size)
        await page.waitForFunction(({ width }) => window.innerWidth === width, size)
        await settled(page)
        const file = `${OUT}${name}-${size.width}x${size.height}.png`
        await page.screenshot({ path: file, animations: 'disabled' })
        console.log(`wrote ${file}`)
      }
    }
    await student.click('[data-test=raise-hand]')

    // The same teacher with a German browser (no language chosen in the profile: the browser's decides).
    const german = await loggedIn(browser, 'ada@demo.aula', 'de-DE')
    await german.waitForSelector('[data-test=start-now]')
    await german.waitForSelector('[data-test=quizzes-dashboard]')
    await german.evaluate(() => document.fonts.ready)
    await german.waitForSelector('#nprogress', { state: 'hidden' })
    await german.screenshot({ path: `${OUT}dashboard-teacher-de-1280x800.png`, animations: 'disabled' })
    console.log(`wrote ${OUT}dashboard-teacher-de-1280x800.png`)
    await german.goto(classUrl)
    await settled(german)
    await german.screenshot({ path: `${OUT}teacher-de-1280x800.png`, animations: 'disabled' })
    console.log(`wrote ${OUT}teacher-de-1280x800.png`)
  } finally {
    await browser.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
