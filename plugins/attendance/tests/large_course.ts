import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import type { SchoolFixture } from '#tests/helpers/fixtures'

/**
 * Adds `students` students to the fixture's course and `classes` finalized classes (three a week
 * from `from`, 45 minutes) with one record per student each, written in bulk: statuses and minutes
 * vary by student and class. Returns the new students' ids and names.
 */
export async function seedLargeCourse(f: SchoolFixture, options: { students: number; classes: number; from: DateTime }) {
  const now = new Date()
  const users = Array.from({ length: options.students }, (_, i) => ({
    school_id: f.school.id,
    full_name: `Bulk ${String(i + 1).padStart(4, '0')}`,
    email: `bulk${i + 1}.${f.school.slug}@test.aula`,
    password: 'not-a-login',
    role: 'student',
    created_at: now,
  }))
  for (let i = 0; i < users.length; i += 50) await db.table('users').multiInsert(users.slice(i, i + 50))
  const ids = (await db.from('users').where('school_id', f.school.id).where('email', 'like', 'bulk%').orderBy('id').select('id', 'full_name')).map((u) => ({
    id: Number(u.id),
    fullName: String(u.full_name),
  }))
  const enrolments = ids.map((u) => ({ course_id: f.course.id, student_id: u.id }))
  for (let i = 0; i < enrolments.length; i += 100) await db.table('course_enrollments').multiInsert(enrolments.slice(i, i + 100))

  const classMs = 45 * 60_000
  for (let c = 0; c < options.classes; c++) {
    const start = options.from.plus({ days: Math.floor(c / 3) * 7 + (c % 3) * 2 })
    const session = await ClassSession.create({
      schoolId: f.school.id,
      courseId: f.course.id,
      teacherId: f.teacher.id,
      title: `Bulk class ${c + 1}`,
      status: 'ended',
      scheduledAt: start,
      startedAt: start,
      endedAt: start.plus({ minutes: 45 }),
      durationMinutes: 45,
    })
    const endedAtMs = start.toMillis() + classMs
    await db.table('attendance_classes').insert({
      class_session_id: session.id,
      school_id: f.school.id,
      course_id: f.course.id,
      title: session.title,
      started_at_ms: start.toMillis(),
      ended_at_ms: endedAtMs,
      finalized_at_ms: endedAtMs,
    })
    const rows = ids.map(({ id }, u) => {
      const absent = (u * 31 + c * 17) % 11 === 0
      const activeMs = absent ? 0 : Math.round(classMs * (0.4 + ((u * 7 + c * 3) % 13) / 21))
      const status = absent ? 'absent' : 'present'
      return {
        class_session_id: session.id,
        school_id: f.school.id,
        course_id: f.course.id,
        user_id: id,
        ended_at_ms: endedAtMs,
        computed_status: status,
        status,
        present_ms: absent ? 0 : classMs,
        active_ms: Math.min(activeMs, classMs),
        class_ms: classMs,
      }
    })
    for (let i = 0; i < rows.length; i += 60) await db.table('attendance_records').multiInsert(rows.slice(i, i + 60))
  }
  return ids
}
