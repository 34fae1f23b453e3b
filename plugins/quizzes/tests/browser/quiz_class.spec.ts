import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import QuizAnswer from '../../models/quiz_answer.js'
import QuizRun from '../../models/quiz_run.js'
import Quiz from '../../models/quiz.js'

/** Pixels of a chart canvas drawn in a given colour (the bars are really drawn, not just described). */
function paintedPixels(page: Page, selector: string, rgb: [number, number, number]) {
  return page.$eval(
    `${selector} canvas`,
    (canvas, [r, g, b]) => {
      const c = canvas as HTMLCanvasElement
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let count = 0
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i] - r) < 8 && Math.abs(pixels[i + 1] - g) < 8 && Math.abs(pixels[i + 2] - b) < 8 && pixels[i + 3] > 200) count++
      }
      return count
    },
    rgb
  )
}

const GREEN: [number, number, number] = [0x16, 0x86, 0x5a]

test.group('Quizzes in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('the teacher launches a multiple-choice question, two students answer, the chart shows both; the reveal reaches the students', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    await teacherPage.goto(classUrl)
    const [ann, ben] = await Promise.all(students.slice(0, 2).map((s) => pageAs(browser, s)))
    for (const page of [ann, ben]) await page.goto(classUrl)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)
    await teacherPage.waitForSelector(`[data-participant="${students[1].id}"]`)

    // Students have no quiz panel; the teacher does.
    assert.equal(await ann.locator('[data-panel="quizzes:panel"]').count(), 0)
    await teacherPage.click('[data-panel="quizzes:panel"]')
    await teacherPage.fill('#quiz-poll-prompt', 'Which planet is the largest?')
    for (const [index, label] of ['Mars', 'Jupiter', 'Venus'].entries()) await teacherPage.fill(`[data-test=option-label-${index}]`, label)
    await teacherPage.click('[data-test=option-correct-1]')
    await teacherPage.click('[data-test=quiz-launch]')
    await teacherPage.waitForSelector('[data-test=quiz-live][data-status=open]')

    // Both students get the question in their overlay and answer it.
    for (const page of [ann, ben]) await page.getByText('Which planet is the largest?').waitFor()
    await ann.click('[data-test=quiz-option][data-option-id=b]')
    await ben.click('[data-test=quiz-option][data-option-id=a]')
    for (const page of [ann, ben]) await page.waitForSelector('[data-test=quiz-sent]')

    // The teacher's live chart shows both answers.
    await teacherPage.waitForSelector('[data-test=quiz-live] [data-test=quiz-chart][data-total="2"][data-counts="1,1,0"]')
    await teacherPage.waitForFunction(() => document.querySelector('[data-test=quiz-answer-count] strong')?.textContent === '2')
    /* The bar grows in an animation: read the pixels until it is drawn. */
    await eventually('the correct bar is drawn', async () => (await paintedPixels(teacherPage, '[data-test=quiz-live] [data-test=quiz-chart]', GREEN)) > 200, {
      timeoutMs: 5000,
      intervalMs: 100,
    })
    await teacherPage.getByText('Who answered what (2)').click()
    assert.sameMembers(
      await teacherPage.locator('[data-test=quiz-response] .who').allTextContents(),
      [students[0].fullName, students[1].fullName]
    )

    // The teacher reveals the results; the students see them, with their own verdict.
    await teacherPage.click('[data-test=quiz-reveal]')
    await teacherPage.waitForSelector('[data-test=quiz-revealed]')
    for (const page of [ann, ben]) {
      await page.waitForSelector('[data-test=quiz-results] [data-test=quiz-chart][data-counts="1,1,0"]')
      await page.waitForSelector('[data-test=quiz-results] [data-test=quiz-verdict]')
      assert.equal(await page.locator('[data-test=quiz-overlay]').count(), 0, 'the question itself is gone')
    }
    assert.match(await ann.locator('[data-test=quiz-verdict]').innerText(), /You answered Jupiter — right!/)
    assert.match(await ben.locator('[data-test=quiz-verdict]').innerText(), /You answered Mars — not quite\./)

    const run = await QuizRun.query().where('class_session_id', classSession.id).firstOrFail()
    assert.equal(run.status, 'closed')
    assert.isNotNull(run.revealedAtMs)
    const answers = await QuizAnswer.query().where('quiz_run_id', run.id)
    assert.sameDeepMembers(
      answers.map((a) => ({ userId: a.userId, correct: a.correct })),
      [
        { userId: students[0].id, correct: true },
        { userId: students[1].id, correct: false },
      ]
    )
    for (const page of [teacherPage, ann, ben]) await page.context().close()
  })

  test('the teacher builds a quiz on the dashboard, launches it in class, marks a short answer; results download as CSV', async ({ assert }) => {
    const { teacher, students, course } = await createSchool()
    const teacherPage = await pageAs(browser, teacher)
    await teacherPage.waitForSelector('[data-test=quizzes-dashboard]')
    await teacherPage.click('[data-test=quiz-new]')
    await teacherPage.fill('[data-test=quiz-title]', 'Planets')
    await teacherPage.selectOption('#builder-0-type', 'short')
    await teacherPage.fill('#builder-0-prompt', 'Which planet is the largest?')
    await teacherPage.click('[data-test=builder-save]')
    await teacherPage.waitForSelector('[data-test=quiz-item]')
    const quiz = await Quiz.query().where('course_id', course.id).firstOrFail()
    assert.equal(quiz.title, 'Planets')
    assert.deepEqual(quiz.questions.map((q) => [q.type, q.prompt]), [['short', 'Which planet is the largest?']])

    await teacherPage.click('[data-test=start-now]')
    await teacherPage.waitForURL(/\/classes\/\d+$/)
    const classUrl = teacherPage.url()
    const student = await pageAs(browser, students[0])
    await student.setViewportSize({ width: 390, height: 780 }) // a phone
    await student.goto(classUrl)
    await teacherPage.waitForSelector(`[data-participant="${students[0].id}"]`)

    await teacherPage.click('[data-panel="quizzes:panel"]')
    await teacherPage.click('[data-test=quiz-mode-quiz]')
    await teacherPage.getByText('Planets').click()
    await teacherPage.click(`[data-test=quiz-launch-${quiz.id}-0]`)

    await student.fill('[data-test=quiz-text]', '  jupiter ')
    await student.click('[data-test=quiz-submit]')
    await student.waitForSelector('[data-test=quiz-sent]')

    await teacherPage.waitForSelector('[data-test=quiz-group][data-key="jupiter"]')
    await teacherPage.click('[data-test=quiz-group][data-key="jupiter"] [data-test=quiz-mark]')
    await teacherPage.waitForSelector('[data-test=quiz-group][data-key="jupiter"].right')
    await teacherPage.click('[data-test=quiz-close]')
    await student.waitForSelector('[data-test=quiz-closed]')

    await teacherPage.goto(new URL('/', classUrl).href)
    await teacherPage.click('[data-test=quizzes-tab-results]')
    const [download] = await Promise.all([teacherPage.waitForEvent('download'), teacherPage.click('[data-test=session-export-csv]')])
    const csv = await readFile((await download.path())!, 'utf8')
    const row = csv.split('\r\n').find((line) => line.includes(students[0].fullName))
    assert.match(row ?? '', /,Planets,Which planet is the largest\?,Short answer,no,Student 1,jupiter,yes,/)
    for (const page of [teacherPage, student]) await page.context().close()
  })
})
