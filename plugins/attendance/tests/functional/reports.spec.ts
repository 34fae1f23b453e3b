import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ExcelJS from 'exceljs'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { attendedBy, endedClass } from '../fixtures.js'

const monday = DateTime.fromISO('2026-11-23T09:00', { zone: 'UTC' })
/** Keeps a download's body as a Buffer. */
const download = <R extends { request: { responseType(type: string): unknown } }>(request: R) => {
  request.request.responseType('blob')
  return request
}

/** Two classes in one week: student 1 attends both, student 2 the first with the tab hidden half the time, student 3 none. */
async function week(f: SchoolFixture) {
  const [s1, s2] = f.students
  await endedClass(f, {
    start: monday,
    title: 'Fractions',
    marks: [...attendedBy(s1.id, s2.id), { userId: s2.id, kind: 'hidden', at: 10 }, { userId: s2.id, kind: 'visible', at: 32.5 }],
  })
  await endedClass(f, { start: monday.plus({ days: 2 }), title: '=cmd|calc', marks: attendedBy(s1.id) })
}

test.group('Attendance reports', () => {
  test('the course CSV holds one line per student and class, as stored', async ({ client, assert }) => {
    const f = await createSchool()
    await week(f)
    const response = await client.get(`/plugins/attendance/reports/courses/${f.course.id}/csv`).qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.teacher)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /text\/csv/)
    const lines = response.text().replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','))
    assert.deepEqual(lines[0], ['Date', 'Course', 'Class', 'Student', 'Status', 'Present (min)', 'Active (min)', 'Class (min)', 'Reason'])
    assert.lengthOf(lines, 1 + 2 * 3)
    const s2 = lines.find((l) => l[3] === f.students[1].fullName && l[2] === 'Fractions')!
    assert.deepEqual(s2.slice(4, 8), ['present', '45', '23', '45'])
    const s3 = lines.filter((l) => l[3] === f.students[2].fullName)
    assert.deepEqual(s3.map((l) => l[4]), ['absent', 'absent'])
    assert.isTrue(lines.some((l) => l[2] === "'=cmd|calc"), 'formula-like cells are neutralised')
  })

  test('the XLSX summary and detail sheets match the data', async ({ client, assert }) => {
    const f = await createSchool()
    await week(f)
    const response = await download(client.get(`/plugins/attendance/reports/courses/${f.course.id}/xlsx`).qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.admin))
    response.assertStatus(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(response.body())
    const summary = workbook.getWorksheet('Summary')!
    const rows = new Map<string, unknown[]>()
    summary.eachRow((row, n) => n > 2 && rows.set(String(row.getCell(1).value), [row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]))
    assert.deepEqual(rows.get(f.students[0].fullName), [2, 0, 100])
    assert.deepEqual(rows.get(f.students[1].fullName), [2, 1, 25])
    assert.deepEqual(rows.get(f.students[2].fullName), [2, 2, 0])
    assert.equal(workbook.getWorksheet('Classes')!.rowCount, 1 + 6)
  })

  test('the PDF names the course, the period and every student with their rate', async ({ client, assert }) => {
    const f = await createSchool()
    await week(f)
    const response = await download(client.get(`/plugins/attendance/reports/courses/${f.course.id}/pdf`).qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.teacher))
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/pdf')
    const dir = mkdtempSync(join(tmpdir(), 'attendance-pdf-'))
    writeFileSync(join(dir, 'r.pdf'), response.body())
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString()
    assert.include(text, f.course.name)
    assert.include(text, '2026-11-23 – 2026-11-29')
    assert.match(text, new RegExp(`${f.students[1].fullName}\\s+2\\s+1\\s+25`))
    assert.match(text, new RegExp(`${f.students[2].fullName}\\s+2\\s+2\\s+0`))
  })

  test('reports are scoped: a parent gets their child’s, not another; the school report is for admins', async ({ client, assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    await week(f)
    const own = await client.get(`/plugins/attendance/reports/students/${f.students[0].id}/csv`).qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.parent)
    own.assertStatus(200)
    assert.lengthOf(own.text().trim().split('\r\n'), 3)
    ;(await client.get(`/plugins/attendance/reports/students/${f.students[1].id}/csv`).loginAs(f.parent)).assertStatus(404)
    ;(await client.get(`/plugins/attendance/reports/students/${f.students[0].id}/csv`).loginAs(other.parent)).assertStatus(404)
    ;(await client.get(`/plugins/attendance/reports/courses/${f.course.id}/csv`).loginAs(f.otherTeacher)).assertStatus(404)
    ;(await client.get(`/plugins/attendance/reports/courses/${f.course.id}/csv`).loginAs(other.admin)).assertStatus(404)
    ;(await client.get('/plugins/attendance/reports/school/csv').loginAs(f.teacher)).assertStatus(403)
    const school = await client.get('/plugins/attendance/reports/school/csv').qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.admin)
    school.assertStatus(200)
    assert.lengthOf(school.text().trim().split('\r\n'), 1 + 6)
    ;(await client.get(`/plugins/attendance/reports/courses/${f.course.id}/docx`).loginAs(f.teacher)).assertStatus(404)
  })
})
