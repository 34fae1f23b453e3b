import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { openBoard, writeText } from '#tests/helpers/whiteboard_page'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILT_TEST_SERVER = process.env.AULA_BUILT_ASSETS === '1'

/**
 * Records every CSP violation a page (and every page it navigates to) reports: the
 * `securitypolicyviolation` events of the document, and console messages and page errors
 * that mention the Content Security Policy (workers and eval report there).
 */
async function watchViolations(page: Page, violations: string[], who: string) {
  await page.exposeFunction('__aulaCspViolation', (text: string) => violations.push(`${who}: ${text}`))
  await page.addInitScript(() => {
    window.addEventListener(
      'securitypolicyviolation',
      (e) =>
        (window as any).__aulaCspViolation(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample} on ${location.pathname}`
        ),
      true
    )
  })
  page.on('console', (message) => {
    if (/content.security.policy/i.test(message.text())) violations.push(`${who}: console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => {
    if (/content.security.policy/i.test(error.message)) violations.push(`${who}: page error: ${error.message}`)
  })
}

/** What the (upcoming) HLS player needs: a MediaSource behind a blob: URL, and a worker from a blob: URL. */
function hlsNeeds(page: Page) {
  return page.evaluate(async () => {
    const bounded = <T>(promise: Promise<T>, what: string) =>
      Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within 10 s`)), 10_000))])
    const source = new MediaSource()
    const video = document.createElement('video')
    const opened = new Promise<boolean>((resolve) => source.addEventListener('sourceopen', () => resolve(true), { once: true }))
    video.src = URL.createObjectURL(source)
    const worker = new Worker(URL.createObjectURL(new Blob(['postMessage("ready")'], { type: 'text/javascript' })))
    const message = new Promise<string>((resolve) => (worker.onmessage = (e) => resolve(e.data)))
    const result = { sourceOpened: await bounded(opened, 'sourceopen'), workerSaid: await bounded(message, 'the blob: worker message') }
    worker.terminate()
    return result
  })
}

/**
 * What the policy must stop: an inline script without the nonce, an inline event handler and eval.
 * Each is attempted on the page; with no policy all three would run.
 */
function attemptInjections(page: Page) {
  return page.evaluate(async () => {
    const w = window as any
    w.__injected = []
    const script = document.createElement('script')
    script.textContent = 'window.__injected.push("inline script")'
    document.body.appendChild(script)
    const img = document.createElement('img')
    img.setAttribute('onerror', 'window.__injected.push("event handler")')
    img.src = 'data:image/png;base64,AAAA'
    document.body.appendChild(img)
    await new Promise((resolve) => img.addEventListener('error', resolve, { once: true }))
    try {
      // eslint-disable-next-line no-eval
      eval('window.__injected.push("eval")')
    } catch {}
    return w.__injected as string[]
  })
}

async function buildAssets() {
  // As bin/aula start does (bin/start_production.sh): a no-op when the built assets are current.
  await promisify(execFile)('bash', ['bin/setup/build_assets.sh'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } })
}

test.group('Content-Security-Policy: a class in Chromium', (group) => {
  let browser: Browser
  let sidecar: SidecarProcess
  let production: AppProcess
  group.setup(async () => {
    await buildAssets()
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET })
    // What users run: built assets, NODE_ENV=production (same database, Redis and media sidecar as the tests).
    production = await startAppProcess({ env: { NODE_ENV: 'production' } })
    browser = await launchChromium({ media: true })
    return async () => {
      await browser.close()
      await production.kill()
      await sidecar.kill('SIGKILL')
    }
  })

  test('{mode}: camera, whiteboard, heatmap, HLS needs and a board export run with no violation; injected script is refused')
    .with([
      { mode: 'production build', url: () => production.url, built: true },
      /* The test server: Vite's dev server, or the build in bin/run_tests.sh's PostgreSQL + Redis run (AULA_BUILT_ASSETS=1). */
      BUILT_TEST_SERVER
        ? { mode: 'test server on the built assets (AULA_BUILT_ASSETS=1)', url: () => TEST_URL, built: true }
        : { mode: 'Vite dev server (test mode)', url: () => TEST_URL, built: false },
    ])
    .run(async ({ assert }, { url, built }) => {
      const base = url()
      const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 1 })
      const violations: string[] = []
      const teacherPage = await pageAs(browser, teacher, base, (page) => watchViolations(page, violations, 'teacher'))
      const studentPage = await pageAs(browser, students[0], base, (page) => watchViolations(page, violations, 'student'))

      // A step that fails names the violations seen so far (a refused script or socket is the likely cause).
      const runClass = async () => {
        // The page really is what this case names: built assets, or Vite's dev server.
        const html = await (await teacherPage.request.get(`${base}/login`)).text()
        assert.equal(html.includes('/@vite/client'), !built, 'which assets the page loads')

        // 1. Both join; cameras (fake devices) go live through mediasoup and the teacher's video plays for the student.
        const classUrl = `${base}/classes/${classSession.id}`
        for (const page of [teacherPage, studentPage]) {
          await page.goto(classUrl)
          // The dev server may still be compiling the classroom's modules on a fresh checkout under the suite's load.
          await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', null, { timeout: 120_000 })
        }
        await studentPage.waitForFunction(
          (selector) => {
            const video = document.querySelector<HTMLVideoElement>(selector)
            return !!video?.srcObject && video.currentTime > 0
          },
          `[data-video-user="${teacher.id}"] video`,
          { timeout: 30_000 }
        )

        // 2. The whiteboard: the teacher draws a stroke with the mouse and writes text (Excalidraw's font).
        await openBoard(teacherPage)
        await openBoard(studentPage)
        await teacherPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'freedraw' }))
        const box = (await teacherPage.locator('[data-test=wb-excalidraw]').boundingBox())!
        await teacherPage.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4)
        await teacherPage.mouse.down()
        for (let i = 1; i <= 15; i++) await teacherPage.mouse.move(box.x + box.width * 0.3 + i * 8, box.y + box.height * 0.4 + (i % 2 ? 10 : -10))
        await teacherPage.mouse.up()
        await writeText(teacherPage, { x: box.x + box.width * 0.5, y: box.y + box.height * 0.6 }, 'Fractions')
        await studentPage.waitForFunction(
          () => {
            const types = (window as any).__aulaWhiteboard.api.getSceneElements().map((e: any) => e.type)
            return types.includes('freedraw') && types.includes('text')
          },
          null,
          { timeout: 15_000 }
        )
        // The hand-drawn font is loaded from Aula's own assets on both pages.
        for (const page of [teacherPage, studentPage]) {
          await page.waitForFunction(() => [...(document as any).fonts].some((f: FontFace) => /excalifont/i.test(f.family) && f.status === 'loaded'), null, {
            timeout: 15_000,
          })
        }

        // 3. A chart: the teacher's engagement heatmap (ECharts) is drawn.
        await teacherPage.click('[data-panel="engagement:heatmap"]')
        await teacherPage.waitForSelector('[data-test=engagement-heatmap] canvas')

        // 4. What the HLS player will need works under the policy.
        assert.deepEqual(await hlsNeeds(studentPage), { sourceOpened: true, workerSaid: 'ready' })

        // 5. After class the teacher reviews the board and exports it as SVG (Excalidraw embeds the font subset).
        teacherPage.on('dialog', (dialog) => dialog.accept())
        await teacherPage.click('[data-test=end-class]')
        await studentPage.waitForSelector('[data-test=class-ended]')
        await teacherPage.goto(`${base}/`)
        await teacherPage.click(`[data-test=wb-board-item][data-session-id="${classSession.id}"] [data-test=wb-board-open]`)
        await teacherPage.waitForSelector('[data-test=wb-viewer][data-status=ready]', { timeout: 30_000 })
        const [download] = await Promise.all([teacherPage.waitForEvent('download'), teacherPage.click('[data-test=wb-export-svg]')])
        const svg = await readFile((await download.path())!, 'utf8')
        assert.include(svg, '<svg')
        assert.include(svg, 'Fractions', 'the text is in the export')
      }
      await runClass().catch((error) => {
        error.message += `\nCSP violations so far:\n${[...new Set(violations)].slice(0, 25).join('\n')}`
        throw error
      })
      // Nothing the class did was refused.
      const distinct = [...new Set(violations)]
      assert.equal(violations.length, 0, `${violations.length} CSP violations while the class ran, e.g.:\n${distinct.slice(0, 25).join('\n')}`)

      // 6. The policy is enforced: an injected script, an event handler attribute and eval do not run, and are reported.
      assert.deepEqual(await attemptInjections(teacherPage), [], 'injected code ran')
      // The reports arrive as events after the attempts; wait for all three (bounded).
      const expected = ['script-src-elem blocked inline', 'script-src-attr blocked inline', 'script-src blocked eval']
      const reportedAll = () => expected.every((text) => violations.some((v) => v.includes(text)))
      await eventually('the three attempts are reported', reportedAll, { timeoutMs: 10_000 }).catch(() => {})
      const reported = violations.join('\n')
      for (const text of expected) assert.include(reported, text)
    })
    .timeout(240_000)
})
