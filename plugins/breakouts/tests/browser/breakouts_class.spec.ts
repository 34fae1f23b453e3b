import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { TEST_URL } from '#tests/helpers/sockets'

const SIDECAR_PORT = Number(new URL((process.env.MEDIA_SIDECARS ?? 'tcp://127.0.0.1:4453').split(',')[0]).port)
const SECRET = process.env.MEDIA_RPC_SECRET ?? 'test-media-secret'

/** User ids whose camera this page currently decodes. */
async function decodedCameras(page: Page) {
  return page.evaluate(async () => {
    const api = (window as any).__aulaVideo
    const rows = await api.inbound()
    const decoded = new Set(rows.filter((r: any) => r.kind === 'video' && r.framesDecoded > 0).map((r: any) => r.trackId))
    return api
      .remotes()
      .filter((r: any) => r.source === 'camera' && decoded.has(r.trackId))
      .map((r: any) => r.userId)
      .sort()
  })
}

async function waitForCameras(page: Page, userIds: number[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  let seen: number[] = []
  while (Date.now() < deadline) {
    seen = await decodedCameras(page)
    if (JSON.stringify(seen) === JSON.stringify([...userIds].sort())) return
    await page.waitForTimeout(300)
  }
  throw new Error(`expected cameras of ${userIds}, decoding ${seen}`)
}

test.group('Breakout rooms in Chromium', (group) => {
  let browser: Browser
  let sidecar: SidecarProcess
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET })
    browser = await launchChromium({ media: true })
    return async () => {
      await browser.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('two rooms: each student sees only its room, broadcast reaches both, the teacher hops, closing brings everyone back', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const [teacherPage, firstPage, secondPage] = [
      await pageAs(browser, teacher),
      await pageAs(browser, students[0]),
      await pageAs(browser, students[1]),
    ]
    for (const page of [teacherPage, firstPage, secondPage]) {
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    }
    await waitForCameras(firstPage, [teacher.id, students[1].id])

    await teacherPage.click('[data-panel="breakouts:panel"]')
    await teacherPage.fill('[data-test=breakout-rooms]', '2')
    await teacherPage.click('[data-test=breakout-open]')
    const roomOf = async (page: Page) => (await page.locator('[data-test=breakout-room] strong').textContent())?.trim()
    await firstPage.waitForSelector('[data-test=breakout-room]')
    await secondPage.waitForSelector('[data-test=breakout-room]')
    const rooms = [await roomOf(firstPage), await roomOf(secondPage)]
    assert.sameMembers(rooms as string[], ['Room 1', 'Room 2'])

    // Alone in their rooms: no media from the other student nor the teacher (who stayed in the main room).
    await firstPage.waitForFunction(() => (window as any).__aulaVideo.status() === 'live')
    await waitForCameras(firstPage, [])
    await waitForCameras(secondPage, [])

    await teacherPage.fill('[data-test=breakout-broadcast-input]', 'Wrap up in two minutes')
    await teacherPage.click('[data-test=breakout-broadcast-send]')
    for (const page of [firstPage, secondPage]) {
      const banner = page.locator('[data-test=breakout-broadcast]')
      await banner.waitFor()
      assert.include(await banner.textContent(), 'Wrap up in two minutes')
    }

    // The teacher hops into the second student's room and is seen there only.
    const secondRoomKey = rooms[1] === 'Room 1' ? 'b1' : 'b2'
    await teacherPage.click(`[data-test=hop-${secondRoomKey}]`)
    await waitForCameras(secondPage, [teacher.id])
    await waitForCameras(firstPage, [])

    await teacherPage.click('[data-test=breakout-close]')
    await firstPage.waitForSelector('[data-test=breakout-room]', { state: 'detached' })
    await waitForCameras(firstPage, [teacher.id, students[1].id])
    await waitForCameras(secondPage, [teacher.id, students[0].id])
  })
})
