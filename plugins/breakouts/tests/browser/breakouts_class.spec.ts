import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { pageAs, reactionSeen } from '#tests/helpers/browser'
import { eventually } from '#tests/helpers/poll'
import { chromiumWithSidecar } from '#tests/helpers/media_group'
import { TEST_URL } from '#tests/helpers/sockets'


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
  let seen: number[] = []
  const wanted = JSON.stringify([...userIds].sort())
  await eventually(
    `the page decodes the cameras of ${userIds}`,
    async () => JSON.stringify((seen = await decodedCameras(page))) === wanted,
    { timeoutMs, intervalMs: 300 }
  ).catch(() => {
    throw new Error(`expected cameras of ${userIds}, decoding ${seen}`)
  })
}

/** Shows one of the classroom's stages (Video, Whiteboard) on this page only. */
async function showStage(page: Page, title: string) {
  await page.locator('.stage-switch button', { hasText: title }).click()
  if (title === 'Whiteboard') {
    await page.waitForSelector('[data-test=wb-stage][data-status=ready]', { timeout: 30_000 })
    await page.waitForFunction(() => !!(window as any).__aulaWhiteboard?.sync.attached)
  }
}

/** Element ids on this room's current whiteboard page, as the server has them. */
function serverBoard(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const opened = await (window as any).__aulaWhiteboard.request('whiteboard:open', {})
    return opened.elements.filter((e: any) => !e.isDeleted).map((e: any) => e.id)
  })
}

test.group('Breakout rooms in Chromium', (group) => {
  const media = chromiumWithSidecar(group)

  test('two rooms: each student sees only its room, broadcast reaches both, the teacher hops, closing brings everyone back', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const [teacherPage, firstPage, secondPage] = [
      await pageAs(media.browser, teacher),
      await pageAs(media.browser, students[0]),
      await pageAs(media.browser, students[1]),
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

    // Each room has its own whiteboard: a stroke drawn in one room does not reach the other,
    // and the teacher's overview shows it in that room's live thumbnail.
    const firstRoomKey = rooms[0] === 'Room 1' ? 'b1' : 'b2'
    const secondRoomKey = rooms[1] === 'Room 1' ? 'b1' : 'b2'
    await showStage(teacherPage, 'Whiteboard')
    await teacherPage.evaluate(() => (window as any).__aulaWhiteboard.request('whiteboard:pen', { all: true, granted: true }))
    for (const page of [firstPage, secondPage]) await showStage(page, 'Whiteboard')
    await firstPage.waitForFunction(() => (window as any).__aulaWhiteboard.store.canDraw.value === true)
    await firstPage.evaluate(() => (window as any).__aulaWhiteboard.api.setActiveTool({ type: 'freedraw' }))
    const box = (await firstPage.locator('[data-test=wb-excalidraw]').boundingBox())!
    await firstPage.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4)
    await firstPage.mouse.down()
    for (let i = 1; i <= 15; i++) await firstPage.mouse.move(box.x + box.width * 0.3 + i * 10, box.y + box.height * 0.4 + (i % 2) * 15)
    await firstPage.mouse.up()
    let drawn: string[] = []
    await eventually('the stroke reached room one’s board on the server', async () => (drawn = await serverBoard(firstPage)).length > 0, {
      timeoutMs: 10_000,
      intervalMs: 200,
    })
    assert.lengthOf(drawn, 1, 'the stroke reached room one’s board on the server')
    await teacherPage.waitForSelector(`[data-test=board-thumbnail-${firstRoomKey}] img`, { timeout: 15_000 })
    /* A reaction from the first room reaches the second after anything the stroke sent there would have. */
    await reactionSeen(firstPage, students[0].fullName, [secondPage])
    assert.isEmpty(await serverBoard(secondPage))
    const secondScene = await secondPage.evaluate(() => (window as any).__aulaWhiteboard.api.getSceneElementsIncludingDeleted().map((e: any) => e.id))
    assert.notInclude(secondScene, drawn[0])
    assert.isEmpty(await serverBoard(teacherPage), 'the main room’s board is untouched')
    for (const page of [teacherPage, firstPage, secondPage]) await showStage(page, 'Video')

    // The teacher hops into the second student's room and is seen there only.
    await teacherPage.click(`[data-test=hop-${secondRoomKey}]`)
    await waitForCameras(secondPage, [teacher.id])
    await waitForCameras(firstPage, [])
    // The overview tells who is talking in each room: the teacher's (fake, beeping) microphone in room two.
    await teacherPage.waitForSelector(`[data-test=room-speaker-${secondRoomKey}]:has-text("${teacher.fullName}")`, { timeout: 20_000 })

    await teacherPage.click('[data-test=breakout-close]')
    await firstPage.waitForSelector('[data-test=breakout-room]', { state: 'detached' })
    await waitForCameras(firstPage, [teacher.id, students[1].id])
    await waitForCameras(secondPage, [teacher.id, students[0].id])
  })
})
