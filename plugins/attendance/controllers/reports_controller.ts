import type { HttpContext } from '@adonisjs/core/http'
import { useHost } from '../context.js'
import { courseToView, forbidden, studentToView } from '../access.js'
import { periodQueryValidator } from '../validators.js'
import { namesOf, requestedPeriod } from '../views.js'
import { records, type RecordRow } from '../store.js'
import { toCsv, toPdf, toXlsx, type ReportInput } from '../reports.js'
import type { Period } from '../periods.js'

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const

const slug = (text: string) => text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_-]+/g, '-').toLowerCase().slice(0, 60) || 'report'

/** Report downloads: a course (its teacher, admins), a student (self, parents, teachers of their courses, admins), the school (admins). */
export default class ReportsController {
  async course(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const course = await courseToView(useHost(), user, ctx.params.courseId)
    return this.#send(ctx, course.name, (period) => records({ schoolId: user.schoolId, courseIds: [course.id], fromMs: period.fromMs, toMs: period.toMs }))
  }

  async student(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { student, courseIds } = await studentToView(useHost(), user, ctx.params.userId)
    return this.#send(ctx, student.fullName, (period) =>
      records({ schoolId: user.schoolId, userIds: [student.id], ...(courseIds ? { courseIds } : {}), fromMs: period.fromMs, toMs: period.toMs })
    )
  }

  async school(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    if (user.role !== 'admin') throw forbidden()
    const school = await useHost().directory.school(user.schoolId)
    return this.#send(ctx, school?.name ?? 'School', (period) => records({ schoolId: user.schoolId, fromMs: period.fromMs, toMs: period.toMs }))
  }

  async #send(ctx: HttpContext, title: string, load: (period: Period) => Promise<RecordRow[]>) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const format = ctx.params.format as keyof typeof TYPES
    const query = await ctx.request.validateUsing(periodQueryValidator, { data: ctx.request.qs() })
    const period = await requestedPeriod(host, user.schoolId, query.period, query.at)
    const input = await reportInput(title, period, await load(period), user.schoolId, (key) => ctx.i18n.t(`attendance.report.${key}`))
    const body = format === 'csv' ? await toCsv(input) : format === 'xlsx' ? await toXlsx(input) : await toPdf(input)
    ctx.response.header('Content-Type', TYPES[format])
    ctx.response.header('Content-Disposition', `attachment; filename="attendance-${slug(title)}-${period.key}.${format}"`)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.response.send(body)
  }
}

export async function reportInput(title: string, period: Period, rows: RecordRow[], schoolId: number, t: ReportInput['t']): Promise<ReportInput> {
  const host = useHost()
  const settings = await host.settings.forSchool(schoolId)
  const names = await namesOf(host, schoolId, rows)
  const courses = new Map((await host.directory.courses(schoolId, { ids: [...new Set(rows.map((r) => r.courseId))] })).map((c) => [c.id, c.name]))
  return { title, period, basis: settings.rateBasis, rows, names, courses, t }
}
