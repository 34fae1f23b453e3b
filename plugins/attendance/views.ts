import type { AttendanceHost } from './context.js'
import { rateOf, type RateRow } from './rules.js'
import { records, type RecordRow } from './store.js'
import { groupBy, schoolPeriod } from './thresholds.js'
import { periodOf, validZone, type Period, type PeriodKind } from './periods.js'

/* JSON views shared by the pages, dashboard cards and reports. */
export const recordView = (r: RecordRow, names: Map<number, string>) => ({
  sessionId: r.classSessionId,
  courseId: r.courseId,
  title: r.title,
  endedAt: new Date(r.endedAtMs).toISOString(),
  userId: r.userId,
  fullName: names.get(r.userId) ?? '',
  status: r.status,
  computedStatus: r.computedStatus,
  presentMinutes: Math.round(r.presentMs / 60_000),
  activeMinutes: Math.round(r.activeMs / 60_000),
  classMinutes: Math.round(r.classMs / 60_000),
  override: r.overrideBy ? { reason: r.overrideReason, by: names.get(r.overrideBy) ?? null, byId: r.overrideBy, at: new Date(r.overrideAtMs!).toISOString() } : null,
})
export type RecordView = ReturnType<typeof recordView>

export async function namesOf(host: AttendanceHost, schoolId: number, rows: RecordRow[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.overrideBy ? [r.userId, r.overrideBy] : [r.userId])))]
  return new Map((await host.directory.users(schoolId, ids)).map((u) => [u.id, u.fullName]))
}

/** The period asked for (`kind`, a moment inside it) in the school's zone; the current one by default. */
export async function requestedPeriod(host: AttendanceHost, schoolId: number, kind?: string, at?: string): Promise<Period> {
  const atMs = at && !Number.isNaN(Date.parse(at)) ? Date.parse(at) : Date.now()
  if (kind !== 'weekly' && kind !== 'monthly') return schoolPeriod(host, schoolId, atMs)
  const settings = await host.settings.forSchool(schoolId)
  const school = await host.directory.school(schoolId)
  return periodOf(atMs, kind as PeriodKind, validZone(settings.timezone, school?.timezone ?? 'UTC'), settings.weekStart)
}

export const rate = (rows: RateRow[], basis: 'active' | 'present') => {
  const value = rateOf(rows, basis)
  return value === null ? null : Math.round(value * 1000) / 10
}

/** Per student of some records: rate, classes, missed. */
export function perStudent(rows: RecordRow[], names: Map<number, string>, basis: 'active' | 'present') {
  return [...groupBy(rows, (r) => r.userId)].map(([userId, list]) => ({
    userId,
    fullName: names.get(userId) ?? '',
    rate: rate(list, basis),
    classes: list.length,
    missed: list.filter((r) => r.status === 'absent').length,
  }))
}

export { records }

/** A course page's figures for some records: rate per student, per class (oldest first) and overall. */
export function courseFigures(rows: RecordRow[], names: Map<number, string>, basis: 'active' | 'present') {
  const classes = [...groupBy(rows, (r) => r.classSessionId).values()].map((list) => ({
    sessionId: list[0].classSessionId,
    title: list[0].title,
    endedAt: new Date(list[0].endedAtMs).toISOString(),
    rate: rate(list, basis),
  }))
  return { rate: rate(rows, basis), students: perStudent(rows, names, basis), classes }
}
