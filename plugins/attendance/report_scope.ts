import type { AttendanceHost } from './context.js'
import { courseToView, forbidden, studentToView, type Actor } from './access.js'
import { namesOf } from './views.js'
import { records, type RecordRow } from './store.js'
import type { ReportInput } from './reports.js'
import type { Period } from './periods.js'

/*
| What a report covers, after the access check: a course (its teacher, admins), a student (self,
| parents, teachers of their courses, admins) or the school (admins). Shared by the downloads
| (reports_controller.ts) and the background exports (exports.ts).
*/
export type ReportScope = 'course' | 'student' | 'school'

export interface ScopedReport {
  title: string
  load(period: Period): Promise<RecordRow[]>
}

export async function reportScope(host: AttendanceHost, user: Actor, scope: ReportScope, id?: unknown): Promise<ScopedReport> {
  if (scope === 'course') {
    const course = await courseToView(host, user, id)
    return { title: course.name, load: (p) => records({ schoolId: user.schoolId, courseIds: [course.id], fromMs: p.fromMs, toMs: p.toMs }) }
  }
  if (scope === 'student') {
    const { student, courseIds } = await studentToView(host, user, id)
    return {
      title: student.fullName,
      load: (p) => records({ schoolId: user.schoolId, userIds: [student.id], ...(courseIds ? { courseIds } : {}), fromMs: p.fromMs, toMs: p.toMs }),
    }
  }
  if (user.role !== 'admin') throw forbidden()
  const school = await host.directory.school(user.schoolId)
  return { title: school?.name ?? 'School', load: (p) => records({ schoolId: user.schoolId, fromMs: p.fromMs, toMs: p.toMs }) }
}

export async function reportInput(host: AttendanceHost, title: string, period: Period, rows: RecordRow[], schoolId: number, t: ReportInput['t']): Promise<ReportInput> {
  const settings = await host.settings.forSchool(schoolId)
  const names = await namesOf(host, schoolId, rows)
  const courses = new Map((await host.directory.courses(schoolId, { ids: [...new Set(rows.map((r) => r.courseId))] })).map((c) => [c.id, c.name]))
  return { title, period, basis: settings.rateBasis, rows, names, courses, t }
}

export const REPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const
export type ReportFormat = keyof typeof REPORT_TYPES

export const slug = (text: string) =>
  text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_-]+/g, '-').toLowerCase().slice(0, 60) || 'report'
export const reportFilename = (title: string, period: Period, format: ReportFormat) => `attendance-${slug(title)}-${period.key}.${format}`
