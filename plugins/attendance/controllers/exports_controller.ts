import type { HttpContext } from '@adonisjs/core/http'
import { fileStorage } from '#app/plugins/api'
import { useHost } from '../context.js'
import { notFound } from '../access.js'
import { exportValidator } from '../validators.js'
import { requestedPeriod } from '../views.js'
import { reportScope, REPORT_TYPES } from '../report_scope.js'
import { exportOf, startExport } from '../exports.js'
import { rangePeriod, validZone } from '../periods.js'

/** Background exports (exports.ts): start one (same access as the downloads), follow it, fetch the file — the asker only. */
export default class ExportsController {
  async create(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const body = await ctx.request.validateUsing(exportValidator)
    const report = await reportScope(host, user, body.scope, body.id)
    let period
    if (body.from && body.to) {
      const settings = await host.settings.forSchool(user.schoolId)
      const school = await host.directory.school(user.schoolId)
      period = rangePeriod(body.from, body.to, validZone(settings.timezone, school?.timezone ?? 'UTC'))
      if (!period) return ctx.response.unprocessableEntity({ errors: [{ field: 'to', message: 'The range must be 1 to 366 days' }] })
    } else {
      period = await requestedPeriod(host, user.schoolId, body.period, body.at)
    }
    const i18n = ctx.i18n
    const job = await startExport(host, user, { report, period, format: body.format, t: (key) => i18n.t(`attendance.report.${key}`) })
    return ctx.response.status(202).send(job)
  }

  async show(ctx: HttpContext) {
    const found = await exportOf(ctx.auth.getUserOrFail(), String(ctx.params.exportId))
    if (!found) throw notFound()
    return found.view
  }

  async file(ctx: HttpContext) {
    const found = await exportOf(ctx.auth.getUserOrFail(), String(ctx.params.exportId))
    if (!found || found.view.status !== 'done' || !found.fileKey) throw notFound()
    const body = await fileStorage.disk().getBytes(found.fileKey)
    ctx.response.header('Content-Type', REPORT_TYPES[found.view.format])
    ctx.response.header('Content-Disposition', `attachment; filename="${found.view.filename}"`)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.response.send(Buffer.from(body))
  }
}
