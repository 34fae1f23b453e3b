import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import type { AttendanceHost } from './context.js'
import { previousPeriod, validZone } from './periods.js'
import { records } from './store.js'
import { toPdf, toXlsx, type ReportInput } from './reports.js'
import { namesOf } from './views.js'

/*
| Admins can have the school report e-mailed each period (setting `reportEmails`): once the school's
| week or month is over, each admin gets one e-mail with the XLSX and PDF of that period. Every
| process runs this hourly; the outbox key (school, period, admin) makes it exactly once.
*/
export async function sendScheduledReports(host: AttendanceHost, nowMs = Date.now()) {
  const schools = (await db.from('attendance_classes').distinct('school_id')).map((r) => Number(r.school_id))
  let queued = 0
  for (const schoolId of schools) {
    if (!(await host.settings.isEnabled(schoolId))) continue
    const settings = await host.settings.forSchool(schoolId)
    if (!settings.reportEmails) continue
    const school = await host.directory.school(schoolId)
    const period = previousPeriod(nowMs, settings.period, validZone(settings.timezone, school?.timezone ?? 'UTC'), settings.weekStart)
    const admins = await host.directory.usersWithRole(schoolId, 'admin')
    const keyOf = (adminId: number) => `report:${schoolId}:${period.key}:${adminId}`
    const due = []
    for (const admin of admins) if (!(await host.mail.isQueued(keyOf(admin.id)))) due.push(admin)
    if (!due.length) continue

    const rows = await records({ schoolId, fromMs: period.fromMs, toMs: period.toMs })
    const i18n = i18nManager.locale(i18nManager.defaultLocale)
    const t = (key: string, data?: Record<string, string>) => i18n.t(`attendance.report.${key}`, data)
    const courses = new Map((await host.directory.courses(schoolId)).map((c) => [c.id, c.name]))
    const input: ReportInput = { title: school?.name ?? 'School', period, basis: settings.rateBasis, rows, names: await namesOf(host, schoolId, rows), courses, t }
    const attachments = [
      { filename: `attendance-${period.key}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: await toXlsx(input) },
      { filename: `attendance-${period.key}.pdf`, contentType: 'application/pdf', content: await toPdf(input) },
    ]
    for (const admin of due) {
      const result = await host.mail.enqueue({
        key: keyOf(admin.id),
        schoolId,
        to: { address: admin.email, name: admin.fullName },
        subject: t('scheduled_subject', { period: period.label }),
        text: t('scheduled_body', { school: school?.name ?? '', period: period.label }),
        attachments,
      })
      if (result.queued) queued++
    }
  }
  return queued
}
