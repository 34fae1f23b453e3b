/*
| Attendance at school scale (run on demand, not part of the test suite):
|
|   flock /tmp/aula-heavy.lock taskset -c 0 node --import=ts-node-maintained/register/esm bench/attendance/school.ts \
|     [--students=2000] [--courses=80] [--biggest=500] [--perStudent=5] [--weeks=13] [--perWeek=3]
|
| Seeds its own PostgreSQL database (aula_bench_attendance, recreated; BENCH_DATABASE_URL to change
| it) with a school of 2,000 students (one parent each), 80 courses — the biggest with 500 students,
| every student in 5 of the others — and a term of 13 weeks with 3 classes a week per course, each
| class finalized with one record per enrolled student (statuses and minutes varied; one student in
| eight is often absent or away). Then, in this process with the app booted (plugin code, no HTTP):
|
| - rates: every course's page figures for the term (courseFigures: rate per student, per class,
|   per course, as the course page computes them);
| - thresholds: checkThresholds() for all 2,000 students for the last month (rate of each, one
|   e-mail queued in the outbox per student below 75 % and recipient), then again (all queued:
|   nothing new);
| - export: the biggest course's monthly XLSX and PDF (and its whole-term XLSX), built the way the
|   background export builds them: time, peak RSS and the longest event-loop stall.
|
| Prints a table and writes bench/results/attendance-school-latest.json.
*/
import 'reflect-metadata'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Ignitor } from '@adonisjs/core'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]))
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback)
const o = {
  students: num('students', 2000),
  courses: num('courses', 80),
  biggest: num('biggest', 500),
  perStudent: num('perStudent', 5),
  weeks: num('weeks', 13),
  perWeek: num('perWeek', 3),
}

Object.assign(process.env, {
  NODE_ENV: 'test',
  DB_CONNECTION: 'pg',
  DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aula_bench_attendance',
  REDIS_URL: '',
  LOG_LEVEL: 'warn',
  MEDIA_SIDECARS: '',
  SMTP_HOST: '',
})

const APP_ROOT = new URL('../../', import.meta.url)
const ignitor = new Ignitor(APP_ROOT, {
  importer: (filePath: string) => (filePath.startsWith('./') || filePath.startsWith('../') ? import(new URL(filePath, APP_ROOT).href) : import(filePath)),
})
const app = ignitor.createApp('console')
app.booting(async () => {
  await import('#start/env')
})

const ms = (since: number) => Math.round(performance.now() - since)

async function seed() {
  const db = (await import('@adonisjs/lucid/services/db')).default
  const now = new Date()
  const insert = async (table: string, rows: Record<string, unknown>[], batch = 1000) => {
    for (let i = 0; i < rows.length; i += batch) await db.table(table).multiInsert(rows.slice(i, i + batch))
  }
  const [school] = await db.table('schools').insert({ name: 'Bench School', slug: 'bench', timezone: 'Europe/Berlin', created_at: now }).returning('id')
  const schoolId = Number(school.id ?? school)
  const user = (i: number, role: string, name: string) => ({ school_id: schoolId, full_name: name, email: `${role}${i}@bench.aula`, password: 'x', role, created_at: now })
  await insert('users', [user(0, 'admin', 'Bench Admin')])
  await insert('users', Array.from({ length: o.courses }, (_, i) => user(i, 'teacher', `Teacher ${i + 1}`)))
  await insert('users', Array.from({ length: o.students }, (_, i) => user(i, 'student', `Student ${String(i + 1).padStart(4, '0')}`)))
  await insert('users', Array.from({ length: o.students }, (_, i) => user(i, 'parent', `Parent ${i + 1}`)))
  const ids = async (role: string) => (await db.from('users').where({ school_id: schoolId, role }).orderBy('id').select('id')).map((r) => Number(r.id))
  const [teachers, students, parents] = [await ids('teacher'), await ids('student'), await ids('parent')]
  await insert('parent_students', students.map((s, i) => ({ parent_id: parents[i], student_id: s })))
  await insert('courses', teachers.map((t, i) => ({ school_id: schoolId, teacher_id: t, name: `Course ${i + 1}`, created_at: now })))
  const courses = (await db.from('courses').where('school_id', schoolId).orderBy('id').select('id')).map((r) => Number(r.id))
  // Course 1 has the first `biggest` students; everybody is also in `perStudent` of the others.
  const members = new Map<number, number[]>(courses.map((c) => [c, []]))
  students.forEach((s, i) => {
    if (i < o.biggest) members.get(courses[0])!.push(s)
    for (let k = 0; k < o.perStudent; k++) members.get(courses[1 + ((i * 7 + k * 13) % (courses.length - 1))])!.push(s)
  })
  await insert('course_enrollments', [...members].flatMap(([c, list]) => [...new Set(list)].map((s) => ({ course_id: c, student_id: s }))))

  // The term: 13 weeks from Monday 2026-09-07, classes on Monday, Wednesday, Friday.
  const termStart = Date.UTC(2026, 8, 7, 7)
  const classMs = 45 * 60_000
  let records = 0
  for (const [ci, courseId] of courses.entries()) {
    const list = [...new Set(members.get(courseId)!)]
    const sessions = Array.from({ length: o.weeks * o.perWeek }, (_, c) => {
      const start = termStart + Math.floor(c / o.perWeek) * 7 * 86_400_000 + (c % o.perWeek) * 2 * 86_400_000 + (ci % 6) * 3600_000
      return { start, row: { school_id: schoolId, course_id: courseId, teacher_id: teachers[ci], title: `Course ${ci + 1} · class ${c + 1}`, status: 'ended', scheduled_at: new Date(start), started_at: new Date(start), ended_at: new Date(start + classMs), duration_minutes: 45, created_at: now } }
    })
    const sessionIds = (await db.table('class_sessions').multiInsert(sessions.map((s) => s.row)).returning('id')).map((r: any) => Number(r.id ?? r))
    await insert('attendance_classes', sessions.map((s, c) => ({ class_session_id: sessionIds[c], school_id: schoolId, course_id: courseId, title: s.row.title, started_at_ms: s.start, ended_at_ms: s.start + classMs, finalized_at_ms: s.start + classMs })))
    const rows: Record<string, unknown>[] = []
    sessions.forEach((s, c) => {
      for (const studentId of list) {
        const atRisk = studentId % 8 === 0
        const h = (studentId * 2654435761 + sessionIds[c] * 40503) >>> 0
        const absent = h % 100 < (atRisk ? 30 : 4)
        const share = atRisk ? 0.35 + (h % 40) / 100 : 0.8 + (h % 20) / 100
        const status = absent ? 'absent' : share < 0.2 ? 'inactive' : 'present'
        rows.push({ class_session_id: sessionIds[c], school_id: schoolId, course_id: courseId, user_id: studentId, ended_at_ms: s.start + classMs, computed_status: status, status, present_ms: absent ? 0 : classMs, active_ms: absent ? 0 : Math.round(classMs * share), class_ms: classMs })
      }
    })
    await insert('attendance_records', rows, 2000)
    records += rows.length
  }
  return { schoolId, courses, students, biggestCourse: courses[0], records, sessions: courses.length * o.weeks * o.perWeek, termStart }
}

async function measure<T>(run: () => Promise<T>) {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  const before = process.memoryUsage().rss
  let peakRss = before
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
  delay.enable()
  const began = performance.now()
  const result = await run()
  const took = ms(began)
  await new Promise((resolve) => setTimeout(resolve, 30)) // let the monitor record the last stall
  delay.disable()
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
  return { result, ms: took, rssBeforeMb: Math.round(before / 1048576), peakRssMb: Math.round(peakRss / 1048576), maxLoopStallMs: Math.round(delay.max / 1e6) }
}

async function main() {
  await app.init()
  await app.boot()
  const { ensureTestDatabase, freshDatabase } = await import('#tests/helpers/database')
  await ensureTestDatabase()
  const ace = await app.container.make('ace')
  await ace.boot()
  await freshDatabase(ace)
  await app.start(() => {}) // sets the plugins up
  const db = (await import('@adonisjs/lucid/services/db')).default
  const { useHost } = await import('../../plugins/attendance/context.js')
  const { checkThresholds } = await import('../../plugins/attendance/thresholds.js')
  const { records } = await import('../../plugins/attendance/store.js')
  const { courseFigures, namesOf } = await import('../../plugins/attendance/views.js')
  const { reportInput } = await import('../../plugins/attendance/report_scope.js')
  const { toPdf, toXlsx } = await import('../../plugins/attendance/reports.js')
  const { periodOf, rangePeriod } = await import('../../plugins/attendance/periods.js')
  const { defaultSettings } = await import('#app/plugins/settings_schema')
  const { attendanceSettings } = await import('../../plugins/attendance/settings.js')
  const host = useHost()

  let t = performance.now()
  const s = await seed()
  const seedMs = ms(t)
  console.log(`seeded ${s.records} records of ${s.sessions} classes in ${seedMs} ms`)
  const plugins = await app.container.make('plugins')
  await plugins.settings.update(s.schoolId, 'attendance', { enabled: true, settings: { ...defaultSettings(attendanceSettings), period: 'monthly', threshold: 75, minClasses: 2 } }, null)
  await db.rawQuery('analyze')

  const zone = 'Europe/Berlin'
  const term = rangePeriod('2026-09-07', '2026-12-06', zone)!
  const lastMonth = periodOf(Date.UTC(2026, 10, 15), 'monthly', zone) // November 2026
  const settings = await host.settings.forSchool(s.schoolId)

  const rates = await measure(async () => {
    let figures = 0
    for (const courseId of s.courses) {
      const rows = await records({ schoolId: s.schoolId, courseIds: [courseId], fromMs: term.fromMs, toMs: term.toMs })
      const page = courseFigures(rows, await namesOf(host, s.schoolId, rows), settings.rateBasis)
      figures += page.students.length + page.classes.length + 1
    }
    return figures
  })
  console.log(`rates: ${rates.result} figures in ${rates.ms} ms`)

  const atMs = lastMonth.toMs - 3600_000
  const thresholds = await measure(() => checkThresholds(host, s.schoolId, s.students, atMs))
  console.log(`thresholds: ${thresholds.result} e-mails queued in ${thresholds.ms} ms`)
  const again = await measure(() => checkThresholds(host, s.schoolId, s.students, atMs))
  console.log(`thresholds again: ${again.result} queued in ${again.ms} ms`)
  const outbox = Number((await db.from('mail_outbox').where('school_id', s.schoolId).count('* as n'))[0].n)

  const t9n = (key: string) => key.split('.').at(-1)!
  const exports = []
  for (const [name, period, format] of [
    ['monthly xlsx', lastMonth, 'xlsx'],
    ['monthly pdf', lastMonth, 'pdf'],
    ['term xlsx', term, 'xlsx'],
  ] as const) {
    global.gc?.()
    const m = await measure(async () => {
      const rows = await records({ schoolId: s.schoolId, courseIds: [s.biggestCourse], fromMs: period.fromMs, toMs: period.toMs })
      const input = await reportInput(host, 'Course 1', period, rows, s.schoolId, t9n)
      const body = format === 'xlsx' ? await toXlsx(input) : await toPdf(input)
      return { rows: rows.length, bytes: body.length }
    })
    exports.push({ export: name, rows: m.result.rows, bytes: m.result.bytes, ms: m.ms, rssBeforeMb: m.rssBeforeMb, peakRssMb: m.peakRssMb, maxLoopStallMs: m.maxLoopStallMs })
    console.log(exports.at(-1))
  }

  const report = {
    at: new Date().toISOString(),
    command: 'flock /tmp/aula-heavy.lock taskset -c 0 node --import=ts-node-maintained/register/esm bench/attendance/school.ts',
    options: o,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), loadavg: loadavg(), node: process.version },
    school: { students: s.students.length, courses: s.courses.length, classes: s.sessions, records: s.records, seedMs },
    rates: { figures: rates.result, ms: rates.ms },
    thresholds: { students: s.students.length, queued: thresholds.result, ms: thresholds.ms, peakRssMb: thresholds.peakRssMb, maxLoopStallMs: thresholds.maxLoopStallMs, outboxRows: outbox },
    thresholdsAgain: { queued: again.result, ms: again.ms },
    exports,
  }
  console.table([
    { step: `rates (${o.courses} course pages, term)`, ms: rates.ms, detail: `${rates.result} figures` },
    { step: `thresholds (${o.students} students, month)`, ms: thresholds.ms, detail: `${thresholds.result} e-mails queued` },
    { step: 'thresholds again', ms: again.ms, detail: `${again.result} queued` },
    ...exports.map((e) => ({ step: e.export, ms: e.ms, detail: `${e.rows} rows, peak RSS ${e.peakRssMb} MB, stall ${e.maxLoopStallMs} ms` })),
  ])
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench', 'results', 'attendance-school-latest.json'), JSON.stringify(report, null, 2) + '\n')
  console.log(JSON.stringify({ thresholdsMs: thresholds.ms, queued: thresholds.result, loadavg: report.machine.loadavg }))
  await app.terminate()
}

main().catch(async (error) => {
  console.error(error)
  await app.terminate().catch(() => {})
  process.exit(1)
})
