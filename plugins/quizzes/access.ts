/*
| Who may build quizzes and see results: the course's teacher and the school's
| admins (and a class's own teacher for that class). Everything is scoped to the
| user's school: a row of another school answers 404, as if it did not exist.
*/
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'

export interface Actor {
  id: number
  schoolId: number
  role: string
}

export interface CourseRef {
  id: number
  schoolId: number
  teacherId: number
  name: string
}

export interface SessionRef {
  id: number
  schoolId: number
  courseId: number
  teacherId: number
  title: string
  status: string
  startedAt: string | null
}

export const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
const forbidden = () => new Exception('Only the course’s teacher or an admin may do this', { status: 403, code: 'E_FORBIDDEN' })

export function parseId(value: unknown) {
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0) throw notFound()
  return id
}

const toCourse = (row: any): CourseRef => ({ id: row.id, schoolId: row.school_id, teacherId: row.teacher_id, name: row.name })
const isoOrNull = (value: unknown) => (value ? new Date(value as string).toISOString() : null)

/** The courses whose quizzes the user manages. */
export async function manageableCourses(user: Actor): Promise<CourseRef[]> {
  if (user.role !== 'admin' && user.role !== 'teacher') return []
  const query = db.from('courses').where('school_id', user.schoolId).orderBy('name')
  if (user.role !== 'admin') query.where('teacher_id', user.id)
  return (await query).map(toCourse)
}

export async function courseToManage(user: Actor, courseId: unknown): Promise<CourseRef> {
  const row = await db.from('courses').where({ id: parseId(courseId), school_id: user.schoolId }).first()
  if (!row) throw notFound()
  const course = toCourse(row)
  if (user.role !== 'admin' && course.teacherId !== user.id) throw forbidden()
  return course
}

export async function sessionToReview(user: Actor, sessionId: unknown): Promise<SessionRef> {
  const row = await db.from('class_sessions').where({ id: parseId(sessionId), school_id: user.schoolId }).first()
  if (!row) throw notFound()
  const session: SessionRef = {
    id: row.id,
    schoolId: row.school_id,
    courseId: row.course_id,
    teacherId: row.teacher_id,
    title: row.title,
    status: row.status,
    startedAt: isoOrNull(row.started_at),
  }
  if (user.role === 'admin' || session.teacherId === user.id) return session
  await courseToManage(user, session.courseId)
  return session
}
