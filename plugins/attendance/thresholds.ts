import env from '#start/env'
import type { DirectoryUser } from '#app/plugins/api'
import type { AttendanceHost } from './context.js'
import { periodOf, validZone, type Period } from './periods.js'
import { percent, rateOf } from './rules.js'
import { absencesMail, thresholdMail } from './mail_texts.js'
import { records, type RecordRow } from './store.js'

/*
| Threshold e-mails: a student whose rate for the current period is below the school's threshold
| (after the minimum number of classes) gets one e-mail, and so does each linked parent (and the
| course teacher when enabled): exactly once per student, period and recipient, because the
| outbox key names exactly that. Safe to run from every process, any number of times.
*/
export async function schoolPeriod(host: AttendanceHost, schoolId: number, atMs: number): Promise<Period> {
  const settings = await host.settings.forSchool(schoolId)
  const school = await host.directory.school(schoolId)
  return periodOf(atMs, settings.period, validZone(settings.timezone, school?.timezone ?? 'UTC'), settings.weekStart)
}

const appUrl = () => (env.get('APP_URL') ?? `http://localhost:${env.get('PORT')}`).replace(/\/$/, '')
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function missedList(rows: RecordRow[]) {
  const missed = rows.filter((r) => r.status === 'absent')
  return missed.length ? missed.map((r) => `- ${dateOf(r.endedAtMs)} ${r.title}`).join('\n') : '-'
}

/** Items by key, in their order (one pass: a filter per student made 2,000 students take 20 s). */
export function groupBy<T, K>(items: T[], keyOf: (item: T) => K) {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const list = groups.get(keyOf(item))
    if (list) list.push(item)
    else groups.set(keyOf(item), [item])
  }
  return groups
}

/** Checks the given students for the period containing `atMs`; returns how many e-mails were queued. */
export async function checkThresholds(host: AttendanceHost, schoolId: number, studentIds: number[], atMs: number) {
  if (!studentIds.length || !(await host.settings.isEnabled(schoolId))) return 0
  const settings = await host.settings.forSchool(schoolId)
  const period = await schoolPeriod(host, schoolId, atMs)
  const rows = await records({ schoolId, userIds: studentIds, fromMs: period.fromMs, toMs: period.toMs })
  const students = new Map((await host.directory.users(schoolId, studentIds)).map((u) => [u.id, u]))
  const parents = await host.directory.parentsOf(schoolId, studentIds)
  const rowsOf = groupBy(rows, (r) => r.userId)
  const parentsOf = groupBy(parents, (p) => p.studentId)
  let queued = 0

  for (const [studentId, student] of students) {
    const own = rowsOf.get(studentId) ?? []
    const counted = own.filter((r) => r.status !== 'excused')
    const rate = rateOf(own, settings.rateBasis)
    if (counted.length < settings.minClasses || rate === null || rate * 100 >= settings.threshold) continue
    const recipients: DirectoryUser[] = []
    if (settings.notifyStudent) recipients.push(student)
    if (settings.notifyParents) recipients.push(...(parentsOf.get(studentId) ?? []).map((p) => p.parent))
    if (settings.notifyTeacher) {
      const courses = await host.directory.courses(schoolId, { ids: [...new Set(own.map((r) => r.courseId))] })
      recipients.push(...(await host.directory.users(schoolId, courses.map((c) => c.teacherId))))
    }
    const values = {
      student: student.fullName,
      rate: percent(rate),
      threshold: `${settings.threshold} %`,
      period: period.label,
      missed: missedList(own),
      link: `${appUrl()}/plugins/attendance/students/${studentId}`,
    }
    const seen = new Set<number>()
    for (const recipient of recipients) {
      if (seen.has(recipient.id)) continue
      seen.add(recipient.id)
      const result = await host.mail.enqueue({
        key: `threshold:${schoolId}:${studentId}:${period.key}:${recipient.id}`,
        schoolId,
        to: { address: recipient.email, name: recipient.fullName },
        ...thresholdMail(recipient, settings, values),
      })
      if (result.queued) queued++
    }
  }
  if (settings.consecutiveAbsences > 0) queued += await checkAbsenceStreaks(host, schoolId, studentIds, settings.consecutiveAbsences)
  return queued
}

/** The second rule (off by default): N consecutive absences in a course, once per streak and recipient. */
async function checkAbsenceStreaks(host: AttendanceHost, schoolId: number, studentIds: number[], n: number) {
  const settings = await host.settings.forSchool(schoolId)
  const parents = await host.directory.parentsOf(schoolId, studentIds)
  const students = await host.directory.users(schoolId, studentIds)
  let queued = 0
  for (const student of students) {
    const all = await records({ schoolId, userIds: [student.id] })
    for (const [courseId, list] of groupBy(all, (r) => r.courseId)) {
      let streak: RecordRow[] = []
      for (const r of list) {
        if (r.status === 'absent') streak.push(r)
        else streak = []
      }
      if (streak.length < n) continue
      const recipients = [
        ...(settings.notifyStudent ? [student] : []),
        ...(settings.notifyParents ? parents.filter((p) => p.studentId === student.id).map((p) => p.parent) : []),
      ]
      for (const recipient of recipients) {
        const result = await host.mail.enqueue({
          key: `absences:${schoolId}:${student.id}:${courseId}:${streak[0].classSessionId}:${recipient.id}`,
          schoolId,
          to: { address: recipient.email, name: recipient.fullName },
          ...absencesMail(recipient, {
            student: student.fullName,
            count: streak.length,
            missed: missedList(streak),
            link: `${appUrl()}/plugins/attendance/students/${student.id}`,
          }),
        })
        if (result.queued) queued++
      }
    }
  }
  return queued
}
