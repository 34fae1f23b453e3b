import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { sendOk, socketTracker, TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'

const sockets = socketTracker()

/** The scores the heatmap is drawn from, by student id (the figure's data-scores attribute). */
async function scoresOn(page: Page): Promise<Record<number, number | null>> {
  const text = (await page.getAttribute('[data-test=engagement-heatmap]', 'data-scores')) ?? ''
  return Object.fromEntries(text.split(',').filter(Boolean).map((pair) => {
    const [id, score] = pair.split(':')
    return [Number(id), score === '' ? null : Number(score)]
  }))
}

/** Distinct cell colours drawn on the heatmap's canvas (greys and white left out). */
/** Distinct saturated colours painted over the chart's canvases (ECharts keeps a hover layer and a main layer). */
function cellColours(page: Page) {
  return page.$$eval('[data-test=engagement-heatmap] canvas', (canvases) => {
    const seen = new Map<string, number>()
    for (const canvas of canvases) {
      const c = canvas as HTMLCanvasElement
      const context = c.getContext('2d')
      if (!context || !c.width || !c.height) continue
      const pixels = context.getImageData(0, 0, c.width, c.height).data
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
        if (a < 250 || Math.max(r, g, b) - Math.min(r, g, b) < 40) continue
        const key = `${r >> 4},${g >> 4},${b >> 4}`
        seen.set(key, (seen.get(key) ?? 0) + 1)
      }
    }
    return [...seen.values()].filter((n) => n > 50).length
  })
}

test.group('Engagement heatmap in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })
  group.each.teardown(() => sockets.closeAll())

  test('three students in different colours; a camera turned off and an admin’s new weights change it without a reload', async ({ assert }) => {
    const { admin, teacher, students, classSession, school, course } = await createSchool({ liveClass: true })
    const [keen, some, none] = students
    const ref = { sessionId: classSession.id, schoolId: school.id, courseId: course.id }
    for (const s of students) await sockets.joined(s, classSession.id)
    const keenSocket = await sockets.joined(keen, classSession.id)
    const someSocket = await sockets.joined(some, classSession.id)

    const teacherPage = await pageAs(browser, teacher)
    await teacherPage.goto(`${TEST_URL}/classes/${classSession.id}`)
    await teacherPage.click('[data-panel="engagement:heatmap"]')
    await teacherPage.waitForSelector('[data-test=engagement-heatmap] canvas')

    await emitter.emit('activity:signal', { ...ref, at: new Date().toISOString(), kind: 'camera', userId: keen.id, on: true })
    for (let i = 0; i < 5; i++) await sendOk(keenSocket, 'chat:send', { body: `keen ${i}` })
    await sendOk(someSocket, 'chat:send', { body: 'one' })

    await teacherPage.waitForFunction(
      ([k, s, n]) => {
        const text = document.querySelector('[data-test=engagement-heatmap]')?.getAttribute('data-scores') ?? ''
        const map = Object.fromEntries(text.split(',').map((p) => p.split(':').map(Number)))
        return map[k] > map[s] && map[s] > map[n]
      },
      [keen.id, some.id, none.id]
    )
    // The chart animates its cells in: read the canvas until the painted colours settle (bounded).
    const colours = await eventually('the heatmap paints three colours', async () => ((await cellColours(teacherPage)) >= 3 ? cellColours(teacherPage) : 0), { timeoutMs: 10_000 }).catch(() => cellColours(teacherPage))
    assert.isAtLeast(colours, 3, 'three scores, three colours')
    const before = await scoresOn(teacherPage)

    // keen turns the camera off: their camera share, and the score, fall as the class goes on.
    await emitter.emit('activity:signal', { ...ref, at: new Date().toISOString(), kind: 'camera', userId: keen.id, on: false })
    await teacherPage.waitForFunction(
      ([k, was]) => {
        const text = document.querySelector('[data-test=engagement-heatmap]')?.getAttribute('data-scores') ?? ''
        const map = Object.fromEntries(text.split(',').map((p) => p.split(':').map(Number)))
        return map[k] < was
      },
      [keen.id, before[keen.id]!]
    )

    // The admin puts all the weight on the whiteboard: nobody drew, so every score drops to 0.
    const adminPage = await pageAs(browser, admin)
    await adminPage.click('[data-test=engagement-admin] button:has-text("Weights")')
    await adminPage.locator('input[data-signal=whiteboard]').fill('100')
    assert.equal(await adminPage.locator('input[data-signal=chat]').inputValue(), '0', 'the other sliders make room')
    await adminPage.click('[data-test=engagement-save]')
    await adminPage.getByText('Saved;').waitFor()

    await teacherPage.waitForFunction(() => {
      const weights = JSON.parse(document.querySelector('[data-test=engagement-heatmap]')?.getAttribute('data-weights') ?? '{}')
      return weights.whiteboard === 100
    })
    const after = await scoresOn(teacherPage)
    assert.deepEqual([after[keen.id], after[some.id], after[none.id]], [0, 0, 0])
    assert.equal(await teacherPage.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload')
  })
})
