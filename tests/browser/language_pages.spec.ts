import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'
import { dataFilter, loggedInAs, visibleTexts } from '#tests/helpers/untranslated'
import { attendedBy, endedClass } from '../../plugins/attendance/tests/fixtures.js'
import Recording from '../../plugins/recording/models/recording.js'
import WhiteboardPage from '../../plugins/whiteboard/models/whiteboard_page.js'

/*
| Issue 15 item 11: every page outside the classroom renders in German with no untranslated string
| (the classroom itself: polish_language.spec.ts). Admin, teacher, student and parent each open their
| pages — dashboards with every plugin card, admin pages, attendance, recording and whiteboard pages,
| the quiz builder with its question editor, the board viewer, a refused plugin setting — once with
| an English and once with a German browser; any text that reads the same in both and is not data is
| reported. Buttons are found by data-test, never by their (translated) text.
*/

/** Every view of a page: the page as loaded, then after each step (a click that opens more UI). */
interface PageVisit {
  url: string
  ready: string[]
  /** Run after the first view, before the steps (e.g. type a value the next step saves). */
  prepare?: (page: Page) => Promise<void>
  steps?: { click: string; ready: string }[]
}

/** The page is ready when its selectors are there and no fetch it started is still open. */
async function settle(page: Page, selectors: string[]) {
  for (const selector of selectors) await page.waitForSelector(selector, { timeout: 30_000 })
  await page.waitForFunction(() => ((window as any).__openFetches ?? 0) === 0)
}

async function countFetches(page: Page) {
  await page.addInitScript(() => {
    const original = window.fetch
    ;(window as any).__openFetches = 0
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      ;(window as any).__openFetches++
      try {
        return await original(...args)
      } finally {
        ;(window as any).__openFetches--
      }
    }
  })
}

/** Excalidraw's own labels (titles and aria-labels inside its UI). */
function excalidrawTexts(page: Page) {
  return page.locator('.excalidraw [aria-label], .excalidraw [title]').evaluateAll((els) =>
    els.flatMap((el) => [el.getAttribute('aria-label'), el.getAttribute('title')]).filter((v): v is string => !!v)
  )
}

async function views(page: Page, visit: PageVisit) {
  await page.goto(`${TEST_URL}${visit.url}`)
  await settle(page, visit.ready)
  const seen = [await visibleTexts(page)]
  await visit.prepare?.(page)
  for (const step of visit.steps ?? []) {
    await page.click(step.click)
    await settle(page, [step.ready])
    seen.push(await visibleTexts(page))
  }
  return seen.flat()
}

test.group('Languages: every page outside the classroom in German', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('admin, teacher, student and parent pages show no English text in German', async ({ assert }) => {
    const f = await createSchool({ students: 2 })
    const child = f.students[0]
    const start = DateTime.now().minus({ days: 1 }).startOf('hour')
    const { session } = await endedClass(f, { start, title: 'Fractions', marks: attendedBy(child.id) })
    await WhiteboardPage.create({
      classSessionId: session.id,
      schoolId: f.school.id,
      room: 'main',
      pageKey: randomUUID(),
      position: 0,
      title: '',
      background: null,
      elements: [],
      elementCount: 0,
    })
    const recording = await Recording.create({
      classSessionId: session.id,
      schoolId: f.school.id,
      courseId: f.course.id,
      recordingKey: randomUUID(),
      title: session.title,
      state: 'ready',
      width: 1280,
      height: 720,
      startedAt: start,
      endedAt: start.plus({ minutes: 45 }),
      durationMs: 45 * 60_000,
      sizeBytes: 1000,
      attempts: 1,
    })
    // A failed recording: why it failed reads in the user's language (the pipeline's English message is folded away).
    const { session: brokenSession } = await endedClass(f, { start: start.minus({ days: 1 }), title: 'Decimals', marks: attendedBy(child.id) })
    const failed = await Recording.create({
      classSessionId: brokenSession.id,
      schoolId: f.school.id,
      courseId: f.course.id,
      recordingKey: randomUUID(),
      title: brokenSession.title,
      state: 'failed',
      failureReason: 'ffmpeg exited with code 1 while joining part 3',
      width: 1280,
      height: 720,
      startedAt: start,
      endedAt: start.plus({ minutes: 45 }),
      attempts: 3,
    })
    const data = [
      ...[f.admin, f.teacher, f.otherTeacher, ...f.students, f.outsider, f.parent].flatMap((u) => [u.fullName, u.email]),
      f.course.name,
      f.classSession.title,
      session.title,
      brokenSession.title,
      f.group.name,
      // Proper names: each language's own name in the language menu, file formats.
      'English',
      'Deutsch',
      'CSV',
      'XLSX',
      'PDF',
    ]
    const isData = dataFilter(data)
    const dashboard = (...ready: string[]): PageVisit => ({ url: '/', ready: ['[data-test=logout]', ...ready] })
    const pages: Record<string, { user: { email: string }; visits: PageVisit[] }> = {
      admin: {
        user: f.admin,
        visits: [
          dashboard('[data-test=attendance-card]', '[data-test=engagement-admin]', '[data-test=recordings-card]'),
          { url: '/admin/users', ready: ['table'] },
          { url: '/admin/courses', ready: ['#c-name'] },
          { url: `/admin/courses/${f.course.id}`, ready: ['#d-name'] },
          {
            url: '/admin/plugins',
            ready: ['[data-plugin=chat]'],
            prepare: (page) => page.fill('#chat-maxMessageLength', '999999'),
            // A refused setting: the flash and the message under the field (the Vine message in the admin's language).
            steps: [{ click: '[data-test=save-chat]', ready: '[data-test=error-chat-maxMessageLength]' }],
          },
          { url: '/admin/mail', ready: ['h1'] },
          { url: '/plugins/recording/admin', ready: ['[data-test=recordings-admin] [data-test=recording-failure-reason]'] },
          { url: `/plugins/recording/recordings/${failed.id}`, ready: ['[data-test=recording-failure-reason]'] },
        ],
      },
      teacher: {
        user: f.teacher,
        visits: [
          {
            ...dashboard('[data-test=quizzes-dashboard]', '[data-test=wb-dashboard]', '[data-test=attendance-card]', '[data-test=recordings-card]'),
            steps: [
              { click: '[data-test=quiz-new]', ready: '[data-test=quiz-builder]' },
              { click: '[data-test=quizzes-tab-results]', ready: '[data-test=quiz-results-view]' },
              { click: '[data-test=wb-board-open]', ready: '[data-test=wb-viewer][data-status=ready] .excalidraw' },
            ],
          },
          { url: `/plugins/attendance/classes/${session.id}`, ready: ['[data-test=attendance-class]'] },
          { url: `/plugins/attendance/courses/${f.course.id}`, ready: ['[data-test=attendance-course-students]'] },
          { url: `/plugins/recording/recordings/${recording.id}`, ready: ['[data-test=recording-playback]'] },
        ],
      },
      student: {
        user: child,
        visits: [
          dashboard('[data-test=wb-dashboard]', '[data-test=attendance-card]', '[data-test=recordings-card]'),
          { url: `/plugins/attendance/students/${child.id}`, ready: ['[data-test=attendance-student-view]'] },
          { url: `/plugins/recording/recordings/${recording.id}`, ready: ['[data-test=recording-playback]'] },
        ],
      },
      parent: {
        user: f.parent,
        visits: [
          dashboard('[data-test=attendance-child]'),
          { url: `/plugins/attendance/students/${child.id}`, ready: ['[data-test=attendance-student-view]'] },
        ],
      },
    }

    const untranslated = new Set<string>()
    const excalidrawLabels: [string[], string[]][] = []
    const foreignRequests: string[] = []
    for (const [role, { user, visits }] of Object.entries(pages)) {
      const [en, de] = [await loggedInAs(browser, user.email, 'en'), await loggedInAs(browser, user.email, 'de')]
      for (const page of [en, de]) {
        await countFetches(page)
        page.on('request', (request) => {
          if (!request.url().startsWith(TEST_URL) && !/^(data|blob):/.test(request.url())) foreignRequests.push(request.url())
        })
      }
      for (const visit of visits) {
        const english = new Set(await views(en, visit))
        const german = await views(de, visit)
        assert.isAbove(german.length, 5, `${role} ${visit.url} has text`)
        for (const text of german) if (english.has(text) && !isData(text)) untranslated.add(`${role} ${visit.url}: ${text}`)
        if (await de.locator('.excalidraw').count()) excalidrawLabels.push([await excalidrawTexts(en), await excalidrawTexts(de)])
      }
      assert.equal(await de.getAttribute('html', 'lang'), 'de')
      await en.context().close()
      await de.context().close()
    }
    assert.deepEqual([...untranslated], [], `untranslated:\n${[...untranslated].join('\n')}`)
    // The board viewer's Excalidraw speaks German too (langCode de-DE; its language file is a chunk of Aula's bundle).
    assert.lengthOf(excalidrawLabels, 1, 'the board viewer was opened')
    const [enLabels, deLabels] = excalidrawLabels[0]
    assert.include(enLabels, 'Zoom in')
    assert.include(deLabels, 'Vergrößern')
    assert.deepEqual(foreignRequests, [], 'everything (Excalidraw’s language files too) comes from Aula itself')
  }).timeout(300_000)
})
