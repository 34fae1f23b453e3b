import { DateTime } from 'luxon'
import User from '#app/users/models/user'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { periodOf } from '../periods.js'
import app from '@adonisjs/core/services/app'
import ClassSession from '#app/classes/models/class_session'
import { defaultSettings } from '#app/plugins/settings_schema'
import type { SchoolFixture } from '#tests/helpers/fixtures'
import { useHost } from '../context.js'
import { finalizeClass } from '../finalize.js'
import { addMark } from '../store.js'
import { attendanceSettings } from '../settings.js'
import type { MarkKind } from '../rules.js'

/** An ended class of the fixture's course with the given marks (minutes after the start), finalized. */
export async function endedClass(
  f: SchoolFixture,
  options: { start: DateTime; minutes?: number; title?: string; marks?: { userId: number; kind: MarkKind; at: number }[] }
) {
  const minutes = options.minutes ?? 45
  const session = await ClassSession.create({
    schoolId: f.school.id,
    courseId: f.course.id,
    teacherId: f.teacher.id,
    title: options.title ?? `Class at ${options.start.toISO()}`,
    status: 'ended',
    scheduledAt: options.start,
    startedAt: options.start,
    endedAt: options.start.plus({ minutes }),
    durationMinutes: minutes,
  })
  for (const mark of options.marks ?? []) await addMark(session.id, mark.userId, mark.kind, options.start.plus({ minutes: mark.at }).toMillis())
  const rows = await finalizeClass(useHost(), session.id)
  return { session, rows: rows ?? [] }
}

/** A whole class attended by these students, visible throughout. */
export const attendedBy = (...userIds: number[]) => userIds.flatMap((userId) => [
  { userId, kind: 'join' as const, at: 0 },
  { userId, kind: 'leave' as const, at: 45 },
])

export async function setAttendanceSettings(schoolId: number, changes: Partial<ReturnType<typeof defaultSettings<typeof attendanceSettings>>>, userId: number | null = null) {
  const plugins = await app.container.make('plugins')
  await plugins.settings.update(schoolId, 'attendance', { enabled: true, settings: { ...defaultSettings(attendanceSettings), ...changes } }, userId)
}

/** A school whose first student has two parents, one class attended and one missed in the current week (the others attended both). */
export async function schoolBelowThreshold() {
  const f = await createSchool()
  const secondParent = await User.create({ schoolId: f.school.id, fullName: 'Pete Parent', email: `pete.${f.school.slug}@test.aula`, password: PASSWORD, role: 'parent' })
  await secondParent.related('children').attach([f.students[0].id])
  await setAttendanceSettings(f.school.id, { threshold: 75, minClasses: 2, period: 'weekly' })
  const week = periodOf(Date.now(), 'weekly', 'UTC')
  const start = DateTime.fromMillis(week.fromMs + 60_000, { zone: 'UTC' })
  const [s0, s1, s2] = f.students.map((s) => s.id)
  await endedClass(f, { start, title: 'Attended class', marks: attendedBy(s0, s1, s2) })
  await endedClass(f, { start: start.plus({ hours: 1 }), title: 'Missed class', marks: attendedBy(s1, s2) })
  return { f, secondParent, recipients: [f.students[0].email, f.parent.email, secondParent.email].map((e) => e.toLowerCase()) }
}

