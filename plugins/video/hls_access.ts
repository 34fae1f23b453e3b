/*
| Who may watch a live class's HLS stream: the same people who may take part in the class (its
| teacher, the course's teacher, the school's admins, the course's students), and only while it is
| live. Everybody else — another class's student, another school's user — gets 404 as if the stream
| did not exist.
*/
import db from '@adonisjs/lucid/services/db'

interface Actor {
  id: number
  schoolId: number
  role: string
}

/** The live class the actor takes part in, or null. */
export async function liveClassFor(actor: Actor, classId: number): Promise<{ id: number; schoolId: number } | null> {
  const row = await db
    .from('class_sessions')
    .where({ id: classId, school_id: actor.schoolId, status: 'live' })
    .select('id', 'school_id', 'course_id', 'teacher_id')
    .first()
  if (!row) return null
  const found = { id: Number(row.id), schoolId: Number(row.school_id) }
  if (actor.role === 'admin' || Number(row.teacher_id) === actor.id) return found
  if (actor.role === 'teacher') {
    return (await db.from('courses').where({ id: row.course_id, teacher_id: actor.id }).first()) ? found : null
  }
  if (actor.role === 'student') {
    return (await db.from('course_enrollments').where({ course_id: row.course_id, student_id: actor.id }).first()) ? found : null
  }
  return null
}
