import db from '@adonisjs/lucid/services/db'
import type ClassSession from '#app/classes/models/class_session'
import type { SessionRole } from '#app/realtime/events'

interface Actor {
  id: number
  schoolId: number
  role: string
}

/**
 * The role a user has inside a class, or null when they may not take part:
 * the class's teacher (and the school's admins, as moderators) are 'teacher';
 * students enrolled in the course are 'student'; everyone else is out.
 */
export async function sessionRoleFor(user: Actor, session: ClassSession): Promise<SessionRole | null> {
  if (user.schoolId !== session.schoolId) return null
  if (user.id === session.teacherId) return 'teacher'
  if (user.role === 'admin') return 'teacher'
  if (user.role === 'teacher') {
    const ownsCourse = await db.from('courses').where({ id: session.courseId, teacher_id: user.id }).first()
    return ownsCourse ? 'teacher' : null
  }
  if (user.role !== 'student') return null
  const enrolled = await db
    .from('course_enrollments')
    .where({ course_id: session.courseId, student_id: user.id })
    .first()
  return enrolled ? 'student' : null
}
