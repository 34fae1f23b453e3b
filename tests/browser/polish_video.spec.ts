import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { pageAs } from '#tests/helpers/browser'
import { chromiumWithSidecar } from '#tests/helpers/media_group'
import { TEST_URL } from '#tests/helpers/sockets'


/** Counts, per media element, how often its srcObject is set to a different stream. */
function countSrcObjectChanges(page: Page) {
  return page.addInitScript(() => {
    const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!
    Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
      configurable: true,
      get() {
        return descriptor.get!.call(this)
      },
      set(value) {
        if (value !== descriptor.get!.call(this)) (this as any).__srcObjectChanges = ((this as any).__srcObjectChanges ?? 0) + 1
        descriptor.set!.call(this, value)
      },
    })
  })
}

test.group('Polish: remote video in Chromium', (group) => {
  const media = chromiumWithSidecar(group)

  test('a remote tile keeps one srcObject for 10 s of steady video', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherPage = await pageAs(media.browser, teacher)
    const studentPage = await pageAs(media.browser, students[0])
    await countSrcObjectChanges(studentPage)
    for (const page of [teacherPage, studentPage]) {
      await page.goto(`${TEST_URL}/classes/${classSession.id}`)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live')
    }
    const tile = `[data-video-user="${teacher.id}"] video`
    // The teacher's camera plays on the student's page...
    await studentPage.waitForFunction((selector) => {
      const video = document.querySelector<HTMLVideoElement>(selector)
      return !!video?.srcObject && video.currentTime > 0
    }, tile, { timeout: 30_000 })
    // ...and keeps playing the same stream for 10 s of media time (a replaced srcObject restarts the clock).
    await studentPage.waitForFunction((selector) => (document.querySelector<HTMLVideoElement>(selector)?.currentTime ?? 0) >= 10, tile, {
      timeout: 40_000,
      polling: 250,
    })
    const changes = await studentPage.$eval(tile, (video) => (video as any).__srcObjectChanges)
    assert.equal(changes, 1, 'the tile was given a new srcObject while the track stayed the same')
    const audio = await studentPage.$$eval('[data-test=remote-audio]', (els) => els.map((el) => (el as any).__srcObjectChanges ?? 0))
    assert.isTrue(audio.length > 0 && audio.every((n) => n === 1), `remote audio elements replaced their stream: ${audio}`)
  })
})
