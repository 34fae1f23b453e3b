/*
| Who may see a class's boards after (or during) class: its teacher, the course's teacher
| and the school's admins (may also upload decks), students enrolled in the course and their
| parents (read-only). Rows of another school answer 404, as if they did not exist.
*/
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'

export interface Actor {
  id: number
  schoolId: number
  role: string
}

export interface BoardSession {
  id: number
  schoolId: number
  courseId: number
  teacherId: number
  courseTeacherId: number
  title: string
  courseName: string
  status: 'scheduled' | 'live' | 'ended'
  startedAt: string | null
  endedAt: string | null
}

export const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

export function parseId(value: unknown) {
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0) throw notFound()
  return id
}

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null)

const sessionsQuery = (schoolId: number) =>
  db
    .from('class_sessions')
    .join('courses', 'courses.id', 'class_sessions.course_id')
    .where('class_sessions.school_id', schoolId)
    .select(
      'class_sessions.id',
      'class_sessions.school_id',
      'class_sessions.course_id',
      'class_sessions.teacher_id',
      'class_sessions.title',
      'class_sessions.status',
      'class_sessions.started_at',
      'class_sessions.ended_at',
      'courses.name as course_name',
      'courses.teacher_id as course_teacher_id'
    )

const toSession = (row: any): BoardSession => ({
  id: row.id,
  schoolId: row.school_id,
  courseId: row.course_id,
  teacherId: row.teacher_id,
  courseTeacherId: row.course_teacher_id,
  title: row.title,
  courseName: row.course_name,
  status: row.status,
  startedAt: iso(row.started_at),
  endedAt: iso(row.ended_at),
})

/** Restricts a class_sessions query to the classes the actor may review. */
function scopeToActor(query: ReturnType<typeof sessionsQuery>, actor: Actor) {
  if (actor.role === 'admin') return query
  if (actor.role === 'teacher') {
    return query.where((q) => q.where('class_sessions.teacher_id', actor.id).orWhere('courses.teacher_id', actor.id))
  }
  if (actor.role !== 'student' && actor.role !== 'parent') return query.whereRaw('1 = 0')
  const enrollments = db.from('course_enrollments').select('course_id')
  if (actor.role === 'student') enrollments.where('student_id', actor.id)
  else enrollments.whereIn('student_id', db.from('parent_students').select('student_id').where('parent_id', actor.id))
  return query.whereIn('class_sessions.course_id', enrollments)
}

export function mayTeach(actor: Actor, session: BoardSession) {
  return actor.role === 'admin' || session.teacherId === actor.id || session.courseTeacherId === actor.id
}

export async function sessionToReview(actor: Actor, sessionId: unknown): Promise<BoardSession> {
  const row = await scopeToActor(sessionsQuery(actor.schoolId), actor).where('class_sessions.id', parseId(sessionId)).first()
  if (!row) throw notFound()
  return toSession(row)
}

export async function reviewableSessions(actor: Actor, limit = 30): Promise<BoardSession[]> {
  const rows = await scopeToActor(sessionsQuery(actor.schoolId), actor)
    .whereIn('class_sessions.id', db.from('whiteboard_pages').select('class_session_id').where('school_id', actor.schoolId))
    .orderByRaw('class_sessions.started_at is null, class_sessions.started_at desc')
    .limit(limit)
  return rows.map(toSession)
}
