import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import ClassSession from '#app/classes/models/class_session'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'

test.group('Classroom in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('teacher starts a class, a student joins, chat works both ways; admin disables chat for new sessions', async ({ assert }) => {
    const { teacher, students, admin, course } = await createSchool()
    const studentPage = await pageAs(browser, students[0])
    await studentPage.waitForSelector('[data-test=live-classes][data-listening=true]')

    const teacherPage = await pageAs(browser, teacher)
    await teacherPage.click('[data-test=start-now]')
    await teacherPage.waitForURL(/\/classes\/\d+$/)
    const sessionId = Number(teacherPage.url().split('/').pop())
    assert.equal((await ClassSession.findOrFail(sessionId)).courseId, course.id)

    // The student's dashboard learns about the live class through Transmit, without a reload.
    await studentPage.waitForSelector('[data-test=live-toast]')
    await studentPage.click(`[data-class-id="${sessionId}"] [data-test=join]`)
    await studentPage.waitForURL(`**/classes/${sessionId}`)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)

    await studentPage.click('[data-panel="chat:panel"]')
    await teacherPage.click('[data-panel="chat:panel"]')
    await studentPage.fill('[data-test=chat-input]', 'Hello <b>Miss</b>')
    await studentPage.click('[data-test=chat-send]')
    await teacherPage.getByText('Hello <b>Miss</b>', { exact: true }).waitFor()
    await teacherPage.fill('[data-test=chat-input]', 'Welcome!')
    await teacherPage.press('[data-test=chat-input]', 'Enter')
    await studentPage.getByText('Welcome!', { exact: true }).waitFor()
    assert.equal(await studentPage.locator('[data-test=chat-message] b').count(), 0, 'markup must be shown as text')

    const adminPage = await pageAs(browser, admin)
    await adminPage.goto(`${new URL(adminPage.url()).origin}/admin/plugins`)
    await adminPage.uncheck('[data-test=enable-chat]')
    await adminPage.click('[data-test=save-chat]')
    await adminPage.getByText('Plugin settings saved').waitFor()

    const nextClass = await pageAs(browser, teacher)
    await nextClass.click('[data-test=start-now]')
    await nextClass.waitForURL(/\/classes\/\d+$/)
    await nextClass.waitForSelector('[data-panel="core:people"]')
    assert.equal(await nextClass.locator('[data-panel="chat:panel"]').count(), 0)
    await studentPage.waitForSelector('[data-panel="chat:panel"]', { state: 'detached' })
  })
})
