import db from '@adonisjs/lucid/services/db'
import type { AttendanceHost } from './context.js'
import { outcomeOf, type StatusRules } from './rules.js'
import { marksOf, records, type RecordRow } from './store.js'
import { pushSafely } from './push.js'

/*
| When a class ends: one record per enrolled student (absent ones included), written in one
| transaction together with the class row that claims the finalization, so several processes (the
| class:ended listener and every process's sweep) finalize a class exactly once.
*/
export function rulesFrom(settings: Awaited<ReturnType<AttendanceHost['settings']['forSchool']>>): StatusRules {
  return {
    lateGraceMs: settings.lateGraceMinutes * 60_000,
    leftEarlyMs: settings.leftEarlyMinutes * 60_000,
    reconnectGraceMs: settings.reconnectGraceSeconds * 1000,
    inactivePercent: settings.inactivePercent,
  }
}

/**
 * Finalizes one ended class; returns its records when this call did it, null otherwise.
 * `endedAt` is the class:ended event's exact time (the stored one may be cut to whole seconds).
 */
export async function finalizeClass(host: AttendanceHost, sessionId: number, endedAt?: string): Promise<RecordRow[] | null> {
  const cls = await host.classes.get(sessionId)
  if (!cls || cls.status !== 'ended' || !cls.startedAt || !cls.endedAt) return null
  if (!(await host.settings.isEnabled(cls.schoolId))) return null
  const startMs = Date.parse(cls.startedAt)
  const storedEndMs = Date.parse(cls.endedAt)
  const exactEndMs = endedAt ? Date.parse(endedAt) : Number.NaN
  const endMs = Math.abs(exactEndMs - storedEndMs) < 1000 ? exactEndMs : storedEndMs
  const rules = rulesFrom(await host.settings.forSchool(cls.schoolId))
  const enrolled = await host.directory.enrolments(cls.schoolId, { courseIds: [cls.courseId] })
  const marks = await marksOf(sessionId)

  const done = await db.transaction(async (trx) => {
    const claimed = await trx
      .knexQuery()
      .table('attendance_classes')
      .insert({
        class_session_id: sessionId,
        school_id: cls.schoolId,
        course_id: cls.courseId,
        title: cls.title,
        started_at_ms: startMs,
        ended_at_ms: endMs,
        finalized_at_ms: Date.now(),
      })
      .onConflict('class_session_id')
      .ignore()
      .returning('class_session_id')
    if (!claimed.length) return false
    for (const { studentId } of enrolled) {
      const o = outcomeOf(marks.get(studentId) ?? [], startMs, endMs, rules)
      await trx.table('attendance_records').insert({
        class_session_id: sessionId,
        school_id: cls.schoolId,
        course_id: cls.courseId,
        user_id: studentId,
        ended_at_ms: endMs,
        computed_status: o.status,
        status: o.status,
        present_ms: o.presentMs,
        active_ms: o.activeMs,
        class_ms: o.classMs,
        first_join_ms: o.firstJoinMs,
        last_leave_ms: o.lastLeaveMs,
      })
    }
    return true
  })
  if (!done) return null
  const rows = await records({ schoolId: cls.schoolId, sessionId })
  for (const row of rows) await publishSignal(host, row, cls.teacherId)
  await pushSafely(host, { schoolId: cls.schoolId, courseId: cls.courseId, studentIds: rows.map((r) => r.userId), reason: 'class_ended' })
  return rows
}

/** The `attendance` activity signal for one student and class (class end, and each override). */
export async function publishSignal(host: AttendanceHost, row: RecordRow, teacherId?: number) {
  await host.events.emit('activity:signal', {
    sessionId: row.classSessionId,
    schoolId: row.schoolId,
    courseId: row.courseId,
    ...(teacherId ? { teacherId } : {}),
    title: row.title,
    at: new Date(row.overrideAtMs ?? row.endedAtMs).toISOString(),
    kind: 'attendance',
    userId: row.userId,
    presentMs: row.presentMs,
    activeMs: row.activeMs,
    classMs: row.classMs,
    status: row.status,
  })
}
