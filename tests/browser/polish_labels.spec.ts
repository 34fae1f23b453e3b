import { test } from '@japa/runner'
import { eventually } from '#tests/helpers/poll'
import type { Browser } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'

/* Issue 15 item 6: people's names and labels in the UI, never internal keys; counts in the right plural. */
test.group('Polish: names and labels, not keys', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('breakout rooms appear by their names in the teacher’s people list, never as b1/b2 ({locale})')
    .with([
      { locale: 'en-US', names: ['Room 1', 'Room 2'] },
      // Rooms the teacher does not name are named in the teacher's language.
      { locale: 'de-DE', names: ['Raum 1', 'Raum 2'] },
    ])
    .run(async ({ assert }, { locale, names }) => {
      const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 2 })
      const classUrl = `${TEST_URL}/classes/${classSession.id}`
      const teacherPage = await pageAs(browser, teacher, TEST_URL, undefined, locale)
      await teacherPage.goto(classUrl)
      for (const student of students) {
        const page = await pageAs(browser, student)
        await page.goto(classUrl)
        await teacherPage.waitForSelector(`[data-participant="${student.id}"]`)
      }
      await teacherPage.click('[data-panel="breakouts:panel"]')
      await teacherPage.fill('[data-test=breakout-rooms]', '2')
      await teacherPage.click('[data-test=breakout-open]')
      await teacherPage.click('[data-panel="core:people"]')
      /* The people list gets the students' room keys and the rooms' names in separate updates: wait for both. */
      const labels = async () => (await teacherPage.locator('[data-test=participant-room]').allInnerTexts()).map((r) => r.replace('·', '').trim()).sort()
      await eventually('the people list names both rooms', async () => JSON.stringify(await labels()) === JSON.stringify(names), {
        timeoutMs: 10_000,
      }).catch(() => {})
      assert.sameMembers(await labels(), names)
    })
    .timeout(60_000)

  test('the settings history reads in labels (“Students may write in the chat: on → off”), counts say “1 student”', async ({ assert }) => {
    const { admin, teacher, course, students } = await createSchool({ students: 1 })
    const adminPage = await pageAs(browser, admin)
    await adminPage.goto(`${TEST_URL}/admin/plugins`)
    await adminPage.uncheck('[data-plugin=chat] input[name=studentsMayChat]')
    await adminPage.click('[data-test=save-chat]')
    await adminPage.waitForSelector('[data-test=audit-change]')
    const change = await adminPage.innerText('[data-test=audit-change]')
    assert.equal(change, 'Students may write in the chat: on → off')
    assert.notInclude(change, 'studentsMayChat')
    assert.include(await adminPage.locator('tr', { has: adminPage.locator('[data-test=audit-change]') }).innerText(), 'Chat')

    const teacherPage = await pageAs(browser, teacher)
    assert.equal(students.length, 1)
    const card = teacherPage.locator('li', { hasText: course.name }).first()
    assert.include(await card.innerText(), '1 student')
    assert.notInclude(await card.innerText(), '1 students')
  }).timeout(60_000)
})
