import type { HttpContext } from '@adonisjs/core/http'
import { useHost } from '../context.js'
import { periodQueryValidator } from '../validators.js'
import { requestedPeriod } from '../views.js'
import { toCsv, toPdf, toXlsx } from '../reports.js'
import { REPORT_TYPES, reportFilename, reportInput, reportScope, type ReportFormat, type ReportScope } from '../report_scope.js'

/**
 * Report downloads built in the request: a course (its teacher, admins), a student (self, parents,
 * teachers of their courses, admins), the school (admins). Large ones go through the background
 * exports (exports_controller.ts), which show progress.
 */
export default class ReportsController {
  course = (ctx: HttpContext) => this.#send(ctx, 'course', ctx.params.courseId)
  student = (ctx: HttpContext) => this.#send(ctx, 'student', ctx.params.userId)
  school = (ctx: HttpContext) => this.#send(ctx, 'school')

  async #send(ctx: HttpContext, scope: ReportScope, id?: unknown) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const report = await reportScope(host, user, scope, id)
    const format = ctx.params.format as ReportFormat
    const query = await ctx.request.validateUsing(periodQueryValidator, { data: ctx.request.qs() })
    const period = await requestedPeriod(host, user.schoolId, query.period, query.at)
    const input = await reportInput(host, report.title, period, await report.load(period), user.schoolId, (key) => ctx.i18n.t(`attendance.report.${key}`))
    const body = format === 'csv' ? await toCsv(input) : format === 'xlsx' ? await toXlsx(input) : await toPdf(input)
    ctx.response.header('Content-Type', REPORT_TYPES[format])
    ctx.response.header('Content-Disposition', `attachment; filename="${reportFilename(report.title, period, format)}"`)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.response.send(body)
  }
}
