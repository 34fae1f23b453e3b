/*
| Issue 15 item 11: what the video tells a person about their media reads in their language. Each
| case runs in a German browser and expects the German catalogue's sentence, so a message built in
| code (English) or the server's raw error text fails: the teacher turning off a student's microphone,
| a browser that refuses the camera, and a class whose media server does not answer.
*/
import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { chromiumWithSidecar } from '#tests/helpers/media_group'
import { TEST_URL } from '#tests/helpers/sockets'

const german = JSON.parse(readFileSync('plugins/video/ui/locales/de.json', 'utf8'))
const text = (page: Page, selector: string) => page.locator(selector).innerText({ timeout: 30_000 })

/** Before any script of the page runs: this browser refuses the camera and microphone, as after "Block". */
async function refuseCamera(page: Page) {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
  })
}

test.group('Video notices in German (media server up)', (group) => {
  const media = chromiumWithSidecar(group)

  test('the teacher turning off a student’s microphone, and a camera the browser refuses, are told in German', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(media.browser, teacher, TEST_URL, undefined, 'en-US')
    const studentPage = await pageAs(media.browser, students[0], TEST_URL, undefined, 'de-DE')
    for (const page of [teacherPage, studentPage]) {
      await page.goto(classUrl)
      await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', null, { timeout: 60_000 })
    }
    // Students join muted (the school's default): the student speaks up, and the teacher turns the microphone off.
    await studentPage.click('[data-test=toggle-mic][aria-pressed=false]')
    const studentTile = teacherPage.locator(`[data-video-user="${students[0].id}"]`)
    await studentTile.locator('[data-test=force-mute]').click()
    assert.include(await text(studentPage, '[data-test=video-notice]'), german.forcedOff.mic.replace('{name}', teacher.fullName))
    await studentPage.waitForSelector('[data-test=toggle-mic][aria-pressed=false]')
    await studentTile.locator('[data-test=force-camera-off]').click()
    await studentPage.waitForSelector('[data-test=toggle-camera][aria-pressed=false]')
    assert.include(await text(studentPage, '[data-test=video-notice]'), german.forcedOff.camera.replace('{name}', teacher.fullName))

    const refused = await pageAs(media.browser, students[1], TEST_URL, refuseCamera, 'de-DE')
    await refused.goto(classUrl)
    assert.include(await text(refused, '[data-test=media-problem]'), german.mediaErrors.blocked)
  }).timeout(120_000)
})

test.group('Video notices in German (no media server)', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium({ media: true })
    return () => browser.close()
  })

  test('a class whose media server does not answer says so in German, not with the server’s error text', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true, students: 1 })
    const page = await pageAs(browser, students[0], TEST_URL, undefined, 'de-DE')
    await page.goto(`${TEST_URL}/classes/${classSession.id}`)
    await page.waitForFunction(() => (window as any).__aulaVideo?.status() === 'unavailable', null, { timeout: 60_000 })
    const problem = await text(page, '[data-test=video-unavailable]')
    assert.equal(problem, german.unavailable.replace('{reason}', german.mediaErrors.noMedia))
  }).timeout(120_000)
})
