import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'

/* The in-test web process talks to MEDIA_SIDECARS / MEDIA_RPC_SECRET from .env.test. */

type Inbound = { kind: string; bytesReceived: number; framesDecoded: number; trackId: string }

const inbound = (page: Page) => page.evaluate(() => (window as any).__aulaVideo.inbound() as Promise<Inbound[]>)
const remotes = (page: Page) =>
  page.evaluate(() => (window as any).__aulaVideo.remotes() as { userId: number; source: string; kind: string; paused: boolean; trackId: string }[])

/** Waits until the page decodes video from `videos` remote cameras and receives audio from `audios` remote mics. */
async function waitForMedia(page: Page, videos: number, audios: number, timeoutMs = 20_000) {
  let last: Inbound[] = []
  const flowing = async () => {
    last = await inbound(page)
    const decoding = last.filter((s) => s.kind === 'video' && s.framesDecoded > 0).length
    const hearing = last.filter((s) => s.kind === 'audio' && s.bytesReceived > 0).length
    return decoding >= videos && hearing >= audios
  }
  await eventually('media flows', flowing, { timeoutMs, intervalMs: 250 }).catch(() => {
    throw new Error(`media did not flow: ${JSON.stringify(last)}`)
  })
  return last
}

const totalBytes = (rows: Inbound[]) => rows.reduce((sum, r) => sum + r.bytesReceived, 0)

test.group('Video class in Chromium (3 pages, fake camera and microphone)', (group) => {
  runOnceInTheSuite(group)
  let browser: Browser
  let sidecar: SidecarProcess
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET, env: { MEDIA_WORKERS: '2' } })
    browser = await launchChromium({ media: true })
    return async () => {
      await browser.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('everyone sees and hears the others, screen share and mute reach the students, media recovers after the sidecar is killed', async ({ assert }) => {
    const { teacher, students, admin, classSession } = await createSchool({ liveClass: true })
    const adminPage = await pageAs(browser, admin)
    const saved = await adminPage.evaluate(async () => {
      const xsrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='))!.split('=')[1])
      const response = await fetch('/admin/plugins/video', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'accept': 'application/json', 'x-xsrf-token': xsrf },
        body: JSON.stringify({ enabled: true, settings: { studentsMayShareScreen: false, studentsJoinMuted: false, maxVideoTiles: 25, hlsCpuPercent: 70, hlsCpuSeconds: 30, hlsLeavePercent: 50, hlsLeaveSeconds: 60, hlsViewerCap: 0, strongNoiseSuppression: false } }),
      })
      return response.status
    })
    assert.equal(saved, 200)
    const pages = [await pageAs(browser, teacher), await pageAs(browser, students[0]), await pageAs(browser, students[1])]
    for (const page of pages) {
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    }

    // Every page receives audio and video from the other two, and the bytes keep growing.
    for (const page of pages) {
      const before = totalBytes(await waitForMedia(page, 2, 2))
      await eventually('more bytes arrive', async () => totalBytes(await inbound(page)) > before, { timeoutMs: 10_000, intervalMs: 250 })
      const users = new Set((await remotes(page)).map((r) => r.userId))
      assert.equal(users.size, 2)
    }

    // The teacher shares the screen; both students receive it (its RTP keeps arriving).
    await pages[0].click('[data-test=toggle-screen]')
    for (const student of pages.slice(1)) {
      await student.waitForSelector('[data-test=screen-tile]')
      const screen = (await remotes(student)).find((r) => r.source === 'screen' && r.userId === teacher.id)
      assert.exists(screen)
      const screenBytes = async () => (await inbound(student)).find((r) => r.trackId === screen!.trackId)?.bytesReceived ?? 0
      const first = await screenBytes()
      await student.waitForFunction(
        async ([trackId, before]) => {
          const rows = await (window as any).__aulaVideo.inbound()
          return (rows.find((r: any) => r.trackId === trackId)?.bytesReceived ?? 0) > (before as number)
        },
        [screen!.trackId, first] as const,
        { timeout: 10_000 }
      )
    }

    // A student mutes, then unmutes; the others see each change.
    const mic = `[data-video-user="${students[0].id}"] [data-test=mic-off]`
    assert.equal(await pages[2].locator(mic).count(), 0)
    await pages[1].click('[data-test=toggle-mic]')
    await pages[0].waitForSelector(mic)
    await pages[2].waitForSelector(mic)
    await pages[1].click('[data-test=toggle-mic]')
    await pages[2].waitForSelector(mic, { state: 'detached' })

    // Kill the sidecar mid-class, restart it: media flows again within 10 s, without reloading.
    const urls = pages.map((p) => p.url())
    await sidecar.kill('SIGKILL')
    const killedAt = Date.now()
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET, env: { MEDIA_WORKERS: '2' } })
    for (const page of pages) {
      await page.waitForFunction(
        async () => {
          const rows = await (window as any).__aulaVideo.inbound()
          return rows.filter((r: any) => r.kind === 'video' && r.framesDecoded > 0).length >= 2
        },
        undefined,
        { timeout: 10_000 - (Date.now() - killedAt) }
      )
    }
    assert.isAtMost(Date.now() - killedAt, 10_000)
    assert.deepEqual(pages.map((p) => p.url()), urls, 'no page was reloaded')
  })

  test('a student who switched their view to the whiteboard keeps it when their tab joins the media again (brought on stage)', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const [teacherPage, studentPage] = [await pageAs(browser, teacher), await pageAs(browser, students[0])]
    for (const page of [teacherPage, studentPage]) {
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    }
    // The class's stage stays the video; the student (and the teacher, for its request helper) look at the board on their own.
    for (const page of [studentPage, teacherPage]) {
      await page.locator('.stage-switch button', { hasText: 'Whiteboard' }).click()
      await page.waitForFunction(() => !!(window as any).__aulaWhiteboard)
    }
    const joins = await studentPage.evaluate(() => (window as any).__aulaVideo.joins())
    // A refused request rejects, failing the test with the server's message.
    await teacherPage.evaluate((userId) => (window as any).__aulaWhiteboard.request('video:on_stage', { userId, on: true }), students[0].id)
    await studentPage.waitForFunction((before) => (window as any).__aulaVideo.joins() > before && (window as any).__aulaVideo.status() === 'live', joins)
    assert.equal(await studentPage.locator('[data-test=wb-stage]').count(), 1, 'the whiteboard is still on the student’s stage')
  })

  test('students cannot act on others’ media', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const page = await pageAs(browser, students[0])
    await page.goto(`${TEST_URL}/classes/${classSession.id}`)
    await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    assert.equal(await page.locator('[data-test=force-mute]').count(), 0)
  })
})
