/*
| The video plugin's school settings that take effect in the browser: `studentsJoinMuted` (a student's
| microphone starts muted) and `maxVideoTiles` (the stage shows at most that many tiles). Each is run
| with the opposite value too, so a page that ignores the setting fails.
*/
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { pageAs } from '#tests/helpers/browser'
import { jsonClientAs } from '#tests/helpers/http_login'
import { eventually } from '#tests/helpers/poll'
import { chromiumWithSidecar } from '#tests/helpers/media_group'
import { socketTracker, TEST_URL } from '#tests/helpers/sockets'

const sockets = socketTracker()

/** Tiles on the stage: all of them (one per participant) and those shown (placed, not display:none). */
const tiles = (page: Page) =>
  page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('[data-test=video-tiles] [data-video-user]')]
    return { all: all.length, shown: all.filter((tile) => getComputedStyle(tile).display !== 'none').length }
  })

test.group('Video school settings in Chromium', (group) => {
  const media = chromiumWithSidecar(group)
  group.each.teardown(() => sockets.closeAll())

  test('students join muted and the stage shows at most N tiles only when the school says so', async ({ assert }) => {
    const { admin, teacher, students, classSession } = await createSchool({ liveClass: true, students: 5 })
    const asAdmin = await jsonClientAs(TEST_URL, admin.email, PASSWORD)
    const configure = async (settings: { studentsJoinMuted: boolean; maxVideoTiles: number }) => {
      const response = await asAdmin('PUT', '/admin/plugins/video', { enabled: true, settings: { studentsMayShareScreen: false, hlsCpuPercent: 70, hlsCpuSeconds: 30, hlsLeavePercent: 50, hlsLeaveSeconds: 60, hlsViewerCap: 0, strongNoiseSuppression: false, ...settings } })
      assert.equal(response.status, 200)
    }
    // Six people in the room: the teacher and four students on sockets, one student in Chromium.
    await sockets.joined(teacher, classSession.id)
    for (const student of students.slice(1)) await sockets.joined(student, classSession.id)

    const open = async () => {
      const page = await pageAs(media.browser, students[0])
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
      await eventually('all six people have a tile, laid out', async () => {
        const { all, shown } = await tiles(page)
        return all === 6 && shown >= 4
      }, { intervalMs: 200 })
      return page
    }
    const micPressed = (page: Page) => page.locator('[data-test=toggle-mic]').getAttribute('aria-pressed')

    await configure({ studentsJoinMuted: true, maxVideoTiles: 4 })
    const muted = await open()
    assert.equal(await micPressed(muted), 'false', 'the student joined with the microphone muted')
    assert.deepEqual(await tiles(muted), { all: 6, shown: 4 })
    await muted.close()

    await configure({ studentsJoinMuted: false, maxVideoTiles: 25 })
    const open25 = await open()
    assert.equal(await micPressed(open25), 'true', 'the student joined with the microphone on')
    assert.deepEqual(await tiles(open25), { all: 6, shown: 6 })
  })
})
