import db from '@adonisjs/lucid/services/db'
import type { AttendanceStatus } from '#app/plugins/api'
import type { Mark, MarkKind } from './rules.js'

/* The plugin's own tables (see database/migrations). */
export interface RecordRow {
  classSessionId: number
  schoolId: number
  courseId: number
  userId: number
  endedAtMs: number
  computedStatus: AttendanceStatus
  status: AttendanceStatus
  presentMs: number
  activeMs: number
  classMs: number
  firstJoinMs: number | null
  lastLeaveMs: number | null
  overrideReason: string | null
  overrideBy: number | null
  overrideAtMs: number | null
  title: string
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export const toRecord = (r: any): RecordRow => ({
  classSessionId: Number(r.class_session_id),
  schoolId: Number(r.school_id),
  courseId: Number(r.course_id),
  userId: Number(r.user_id),
  endedAtMs: Number(r.ended_at_ms),
  computedStatus: r.computed_status,
  status: r.status,
  presentMs: Number(r.present_ms),
  activeMs: Number(r.active_ms),
  classMs: Number(r.class_ms),
  firstJoinMs: num(r.first_join_ms),
  lastLeaveMs: num(r.last_leave_ms),
  overrideReason: r.override_reason ?? null,
  overrideBy: num(r.override_by),
  overrideAtMs: num(r.override_at_ms),
  title: r.title ?? '',
})

export async function addMark(sessionId: number, userId: number, kind: MarkKind, atMs: number) {
  await db.table('attendance_marks').insert({ class_session_id: sessionId, user_id: userId, kind, at_ms: atMs })
}

export async function marksOf(sessionId: number): Promise<Map<number, Mark[]>> {
  const rows = await db.from('attendance_marks').where('class_session_id', sessionId).orderBy('at_ms').orderBy('id')
  const byUser = new Map<number, Mark[]>()
  for (const row of rows) {
    const list = byUser.get(Number(row.user_id)) ?? []
    list.push({ kind: row.kind, atMs: Number(row.at_ms) })
    byUser.set(Number(row.user_id), list)
  }
  return byUser
}

/** Records joined with their class's title, filtered; oldest class first. */
export function recordsQuery(filter: { schoolId: number; userIds?: number[]; courseIds?: number[]; sessionId?: number; fromMs?: number; toMs?: number }) {
  const query = db
    .from('attendance_records as r')
    .join('attendance_classes as c', 'c.class_session_id', 'r.class_session_id')
    .where('r.school_id', filter.schoolId)
    .select('r.*', 'c.title')
    .orderBy('r.ended_at_ms')
    .orderBy('r.class_session_id')
  if (filter.userIds) query.whereIn('r.user_id', filter.userIds)
  if (filter.courseIds) query.whereIn('r.course_id', filter.courseIds)
  if (filter.sessionId !== undefined) query.where('r.class_session_id', filter.sessionId)
  if (filter.fromMs !== undefined) query.where('r.ended_at_ms', '>=', filter.fromMs)
  if (filter.toMs !== undefined) query.where('r.ended_at_ms', '<', filter.toMs)
  return query
}

export async function records(filter: Parameters<typeof recordsQuery>[0]): Promise<RecordRow[]> {
  return (await recordsQuery(filter)).map(toRecord)
}

export async function isFinalized(sessionId: number) {
  return Boolean(await db.from('attendance_classes').where('class_session_id', sessionId).first())
}
