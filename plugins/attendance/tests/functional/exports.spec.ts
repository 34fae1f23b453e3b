import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ExcelJS from 'exceljs'
import db from '@adonisjs/lucid/services/db'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { TEST_URL } from '#tests/helpers/sockets'
import { jsonClientAs } from '#tests/helpers/http_login'
import { listenAs, type Listener } from '#tests/helpers/transmit'
import { fileStorage } from '#app/plugins/api'
import { seedLargeCourse } from '../large_course.js'
import { useHost } from '../../context.js'
import { KEEP_MS, STALE_MS } from '../../exports.js'
import { sweep } from '../../scheduler.js'

/*
| A large export (500 students, three months of three classes a week = 19,500 records) runs as a
| background job: the request answers 202 at once, progress is pushed to the asker and only to
| them, the same process answers other requests while it runs (ordering: after /health answered,
| the job's live progress is still short of the end, and rises after), and the file is read back.
*/
const from = DateTime.fromISO('2026-09-01T08:00', { zone: 'UTC' })

const httpAs = (user: { email: string }) => jsonClientAs(TEST_URL, user.email, PASSWORD)

test.group('Attendance: background exports', (group) => {
  const listeners: Listener[] = []
  group.each.teardown(() => listeners.splice(0).forEach((l) => l.close()))

  test('500 students over three months: progress rises, the process keeps answering, the XLSX is right', async ({ assert }) => {
    const f = await createSchool({ students: 1 })
    const other = await createSchool()
    const students = await seedLargeCourse(f, { students: 500, classes: 39, from })
    const teacher = await listenAs(f.teacher)
    const admin = await listenAs(f.admin)
    listeners.push(teacher, admin)
    const asTeacher = await httpAs(f.teacher)

    const started = await asTeacher('POST', '/plugins/attendance/exports', { scope: 'course', id: f.course.id, format: 'xlsx', from: '2026-09-01', to: '2026-11-30' })
    assert.equal(started.status, 202)
    const job = await started.json()
    assert.equal(job.status, 'running')
    const ofJob = (n: Record<string, any>) => n.type === 'attendance.export' && n.id === job.id

    // While it runs the process answers /health, then the job's own status (live progress of this
    // process, not the stored one) shows it unfinished: the answers came before the export ended.
    const first = await teacher.next('a first progress notice', (n) => ofJob(n) && n.status === 'running' && n.done > 0)
    const health = await fetch(`${TEST_URL}/health`)
    assert.equal(health.status, 200)
    const midway = await (await asTeacher('GET', `/plugins/attendance/exports/${job.id}`)).json()
    assert.equal(midway.status, 'running')
    assert.isBelow(midway.done, midway.total, 'the export was still under way after /health answered')
    assert.equal((await asTeacher('POST', '/plugins/attendance/exports', { scope: 'course', id: f.course.id, format: 'csv' })).status, 429)
    await teacher.next('more progress after that', (n) => ofJob(n) && n.done > midway.done)

    const done = await teacher.next('the export done', (n) => ofJob(n) && n.status === 'done')
    const progress = teacher.notices.filter(ofJob)
    // Each notice is a database write and a push, which only happen when the job lets the event loop
    // run; the latest state replaces a waiting one, so a job that never yielded would send about two.
    assert.isAbove(progress.length, 10)
    assert.isBelow(progress.length, 103, 'at most one notice per percent')
    for (let i = 1; i < progress.length; i++) assert.isAbove(progress[i].done, progress[i - 1].done, 'progress only rises')
    assert.isBelow(first.done, done.total)
    assert.equal(done.done, done.total)
    assert.deepEqual((await admin.settle()).filter((n) => n.type === 'attendance.export'), [], 'progress goes to the asker only')

    const status = await (await asTeacher('GET', `/plugins/attendance/exports/${job.id}`)).json()
    assert.include(status, { status: 'done', format: 'xlsx' })
    const file = await asTeacher('GET', `/plugins/attendance/exports/${job.id}/file`)
    assert.equal(file.status, 200)
    assert.match(file.headers.get('content-disposition') ?? '', /attendance-.*-2026-09-01-2026-11-30\.xlsx/)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(await file.arrayBuffer()) as any)
    const detail = workbook.getWorksheet('Classes')!
    assert.equal(detail.rowCount, 1 + 500 * 39)
    const summary = new Map<string, unknown[]>()
    workbook.getWorksheet('Summary')!.eachRow((row, n) => n > 2 && summary.set(String(row.getCell(1).value), [row.getCell(2).value, row.getCell(3).value]))
    assert.equal(summary.size, 500)
    const someone = students[123]
    const stored = await db.from('attendance_records').where({ course_id: f.course.id, user_id: someone.id })
    assert.deepEqual(summary.get(someone.fullName), [39, stored.filter((r) => r.status === 'absent').length])
    const lastOfTheirs = [...Array(detail.rowCount).keys()].map((i) => detail.getRow(i + 1)).filter((r) => r.getCell(4).value === someone.fullName).at(-1)!
    const lastStored = stored.sort((a, b) => Number(a.ended_at_ms) - Number(b.ended_at_ms)).at(-1)
    assert.equal(lastOfTheirs.getCell(3).value, 'Bulk class 39')
    assert.equal(lastOfTheirs.getCell(7).value, Math.round(Number(lastStored.active_ms) / 60_000))

    // Nobody else can follow or fetch it.
    for (const user of [f.admin, f.otherTeacher, other.admin]) {
      const as = await httpAs(user)
      assert.equal((await as('GET', `/plugins/attendance/exports/${job.id}`)).status, 404)
      assert.equal((await as('GET', `/plugins/attendance/exports/${job.id}/file`)).status, 404)
    }
  }).timeout(120_000)

  test('exports are authorised like the downloads and validated', async ({ assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    const post = async (user: { email: string }, body: object) => (await (await httpAs(user))('POST', '/plugins/attendance/exports', body)).status
    assert.equal(await post(f.otherTeacher, { scope: 'course', id: f.course.id, format: 'csv' }), 404)
    assert.equal(await post(other.admin, { scope: 'course', id: f.course.id, format: 'csv' }), 404)
    assert.equal(await post(f.teacher, { scope: 'school', format: 'csv' }), 403)
    assert.equal(await post(f.parent, { scope: 'student', id: f.students[1].id, format: 'csv' }), 404)
    assert.equal(await post(f.teacher, { scope: 'course', id: f.course.id, format: 'docx' }), 422)
    assert.equal(await post(f.teacher, { scope: 'course', id: f.course.id, format: 'csv', from: '2026-01-01', to: '2027-06-01' }), 422)
    assert.equal(await post(f.teacher, { scope: 'course', id: f.course.id, format: 'csv', from: '2026-01-01' }), 422)
    assert.equal(await post(f.parent, { scope: 'student', id: f.students[0].id, format: 'pdf' }), 202)
  })

  test('the sweep fails jobs whose process died and removes day-old exports with their files', async ({ assert }) => {
    const f = await createSchool()
    const nowMs = Date.now()
    const row = (id: string, status: string, createdAgo: number, updatedAgo: number, fileKey: string | null) => ({
      id, school_id: f.school.id, user_id: f.teacher.id, format: 'csv', filename: 'r.csv', status, done: 1, total: 2,
      file_key: fileKey, bytes: null, created_at_ms: nowMs - createdAgo, updated_at_ms: nowMs - updatedAgo,
    })
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const oldKey = `attendance/exports/${ids[2]}.csv`
    const freshKey = `attendance/exports/${ids[3]}.csv`
    await fileStorage.disk().put(oldKey, 'old')
    await fileStorage.disk().put(freshKey, 'fresh')
    await db.table('attendance_exports').multiInsert([
      row(ids[0], 'running', STALE_MS + 60_000, STALE_MS + 60_000, null), // its process died
      row(ids[1], 'running', 60_000, 1000, null), // still making progress
      row(ids[2], 'done', KEEP_MS + 60_000, KEEP_MS, oldKey),
      row(ids[3], 'done', 60_000, 60_000, freshKey),
    ])
    await sweep(useHost(), nowMs)
    const left = new Map((await db.from('attendance_exports').whereIn('id', ids)).map((r) => [r.id, r.status]))
    assert.deepEqual(Object.fromEntries(left), { [ids[0]]: 'failed', [ids[1]]: 'running', [ids[3]]: 'done' })
    assert.isFalse(await fileStorage.disk().exists(oldKey))
    assert.isTrue(await fileStorage.disk().exists(freshKey))
  })
})
