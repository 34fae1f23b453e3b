import { Cron } from 'croner'
import db from '@adonisjs/lucid/services/db'
import type { AttendanceHost } from './context.js'
import { finalizeClass } from './finalize.js'
import { checkThresholds } from './thresholds.js'
import { sendScheduledReports } from './scheduled_reports.js'
import { cleanExports } from './exports.js'

/*
| The periodic sweep, run by croner in every web process: it finalizes ended classes nobody
| finalized (a process died before its class:ended listener finished) and re-checks the thresholds
| of students whose classes ended in the last hour (a changed threshold applies). Everything it does
| is exactly-once by construction (the class claim row, the outbox keys), so processes need no lock.
| It also fails exports whose process died and removes day-old ones (exports.ts).
| An hourly job e-mails the school reports of the period that ended (scheduled_reports.ts).
*/
const LOOKBACK_MS = 7 * 24 * 3600_000
const RECHECK_MS = 3600_000

export async function afterClass(host: AttendanceHost, sessionId: number, endedAt?: string) {
  const rows = await finalizeClass(host, sessionId, endedAt)
  if (rows?.length) await checkThresholds(host, rows[0].schoolId, rows.map((r) => r.userId), rows[0].endedAtMs)
}

export async function sweep(host: AttendanceHost, nowMs = Date.now()) {
  const ended = await host.classes.ended({ from: new Date(nowMs - LOOKBACK_MS), to: new Date(nowMs + 1) })
  const known = new Set(
    (await db.from('attendance_classes').where('ended_at_ms', '>=', nowMs - LOOKBACK_MS).select('class_session_id')).map((r) =>
      Number(r.class_session_id)
    )
  )
  for (const cls of ended) {
    if (known.has(cls.id)) continue
    // Only classes the plugin saw (someone joined while it ran): a class that ended before the
    // plugin was installed or switched on would otherwise mark everybody absent and warn parents.
    if (!(await db.from('attendance_marks').where('class_session_id', cls.id).first())) continue
    await afterClass(host, cls.id)
  }

  const recent = await db.from('attendance_records').where('ended_at_ms', '>=', nowMs - RECHECK_MS).select('school_id', 'user_id', 'ended_at_ms')
  const bySchool = new Map<number, Set<number>>()
  for (const r of recent) bySchool.set(Number(r.school_id), (bySchool.get(Number(r.school_id)) ?? new Set()).add(Number(r.user_id)))
  for (const [schoolId, students] of bySchool) await checkThresholds(host, schoolId, [...students], nowMs)
  await cleanExports(host, nowMs)
}

export function startScheduler(host: AttendanceHost) {
  const jobs = [
    { pattern: '* * * * *', run: () => sweep(host) },
    // Hourly, so a school's period end (in its own time zone) is noticed within the hour.
    { pattern: '7 * * * *', run: async () => void (await sendScheduledReports(host)) },
  ].map(
    ({ pattern, run }) =>
      new Cron(pattern, { protect: true, unref: true, catch: (error) => host.logger.error({ err: error }, 'attendance job failed') }, run)
  )
  return () => jobs.forEach((job) => job.stop())
}
