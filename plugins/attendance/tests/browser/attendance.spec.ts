import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { readFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import type { Browser, Page } from 'playwright-core'
import { createSchool } from '#tests/helpers/fixtures'
import { launchChromium, pageAs } from '#tests/helpers/browser'
import { TEST_URL } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { attendedBy, endedClass } from '../fixtures.js'
import ExcelJS from 'exceljs'
import { periodOf } from '../../periods.js'
import { seedLargeCourse } from '../large_course.js'

/** What a browser does when the tab is hidden or shown again (headless Chromium cannot minimise). */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value: value ? 'hidden' : 'visible', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)

test.group('Attendance in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchChromium()
    return () => browser.close()
  })

  test('the student is told; hiding the tab shows them away in the teacher’s panel, live, and is recorded', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const classUrl = `${TEST_URL}/classes/${classSession.id}`
    const teacherPage = await pageAs(browser, teacher)
    await teacherPage.goto(classUrl)
    const student = await pageAs(browser, students[0])
    await student.goto(classUrl)
    await student.getByText('Your attendance and whether this tab is visible are recorded').waitFor()
    assert.equal(await teacherPage.locator('[data-test=attendance-notice]').count(), 0, 'teachers get no notice')

    await teacherPage.click('[data-panel="attendance:live"]')
    await teacherPage.waitForSelector(`[data-test=attendance-here] [data-user-id="${students[0].id}"]`)
    await teacherPage.waitForSelector(`[data-test=attendance-missing] [data-user-id="${students[1].id}"]`)
    await setHidden(student, true)
    await teacherPage.waitForSelector(`[data-test=attendance-away] [data-user-id="${students[0].id}"]`)
    await setHidden(student, false)
    await teacherPage.waitForSelector(`[data-test=attendance-here] [data-user-id="${students[0].id}"]`)
    const marks = await db.from('attendance_marks').where({ class_session_id: classSession.id, user_id: students[0].id }).orderBy('id')
    assert.deepEqual(marks.map((m) => m.kind), ['join', 'hidden', 'visible'])
  })

  test('a parent sees the child’s attendance with the class missed and downloads the report', async ({ assert }) => {
    const f = await createSchool()
    const start = DateTime.fromMillis(periodOf(Date.now(), 'weekly', 'UTC').fromMs + 60_000, { zone: 'UTC' })
    await endedClass(f, { start, title: 'Algebra', marks: attendedBy(f.students[0].id) })
    await endedClass(f, { start: start.plus({ hours: 1 }), title: 'Geometry', marks: [] })
    const parent = await pageAs(browser, f.parent)
    const card = parent.locator(`[data-test=attendance-child][data-child-id="${f.students[0].id}"]`)
    await card.locator('[data-test=attendance-missed]').getByText('Geometry').waitFor()
    assert.equal(await card.locator('[data-test=attendance-rate]').textContent(), '50 %')
    const [download] = await Promise.all([parent.waitForEvent('download'), card.locator('[data-test=attendance-download-csv]').click()])
    const csv = await readFile((await download.path())!, 'utf8')
    assert.include(csv, 'Geometry')
    assert.include(csv, f.students[0].fullName)
    assert.notInclude(csv, f.students[1].fullName)
  })

  test('the admin changes the threshold in the settings form and the next class end applies it', async ({ assert }) => {
    const f = await createSchool({ liveClass: true })
    const start = DateTime.fromMillis(periodOf(Date.now(), 'weekly', 'UTC').fromMs + 60_000, { zone: 'UTC' })
    await endedClass(f, { start, marks: attendedBy(f.students[0].id, f.students[1].id, f.students[2].id) })
    await endedClass(f, { start: start.plus({ hours: 1 }), marks: attendedBy(f.students[1].id, f.students[2].id) })
    const admin = await pageAs(browser, f.admin)
    await admin.goto(`${TEST_URL}/admin/plugins`)
    await admin.fill('#attendance-threshold', '40')
    await admin.click('[data-test=save-attendance]')
    await admin.getByText('Plugin settings saved').waitFor()

    const teacher = await pageAs(browser, f.teacher)
    await teacher.goto(`${TEST_URL}/classes/${f.classSession.id}`)
    await teacher.waitForSelector('[data-panel="core:people"]')
    teacher.once('dialog', (dialog) => dialog.accept())
    await teacher.click('[data-test=end-class]')
    await eventually('the class is finalized', async () => (await db.from('attendance_classes').where('class_session_id', f.classSession.id).first()) ?? null)
    assert.lengthOf(await db.from('mail_outbox').where({ school_id: f.school.id, source: 'attendance' }), 0, '50 % is above the new 40 % (the default 75 % would have warned)')
  })

  test('the teacher’s dashboard updates by push when a class ends, without reload', async ({ assert }) => {
    const f = await createSchool()
    const teacher = await pageAs(browser, f.teacher)
    await teacher.goto(`${TEST_URL}/`)
    await teacher.waitForSelector('[data-test=attendance-card][data-listening=true]')
    const course = teacher.locator('[data-test=attendance-course]').filter({ hasText: f.course.name })
    assert.equal((await course.locator('strong').textContent())?.trim(), '–')
    const start = DateTime.fromMillis(periodOf(Date.now(), 'weekly', 'UTC').fromMs + 60_000, { zone: 'UTC' })
    await endedClass(f, { start, marks: attendedBy(f.students[0].id) })
    await course.locator('strong').getByText('33 %').waitFor()
  })

  test('a large course export shows its progress and offers the file', async ({ assert }) => {
    const f = await createSchool({ students: 1 })
    await seedLargeCourse(f, { students: 500, classes: 39, from: DateTime.fromISO('2026-09-01T08:00', { zone: 'UTC' }) })
    const teacher = await pageAs(browser, f.teacher)
    await teacher.goto(`${TEST_URL}/plugins/attendance/courses/${f.course.id}`)
    await teacher.fill('[data-test=attendance-export-from]', '2026-09-01')
    await teacher.fill('[data-test=attendance-export-to]', '2026-11-30')
    await teacher.click('[data-test=attendance-export-xlsx]')
    await teacher.waitForSelector('[data-test=attendance-export-progress] progress')
    const link = teacher.locator('[data-test=attendance-export-file]')
    await link.waitFor({ timeout: 60_000 })
    const [download] = await Promise.all([teacher.waitForEvent('download'), link.click()])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await readFile((await download.path())!)) as any)
    assert.equal(workbook.getWorksheet('Classes')!.rowCount, 1 + 500 * 39)
  })
})
