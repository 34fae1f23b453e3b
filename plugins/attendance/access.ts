import { Exception } from '@adonisjs/core/exceptions'
import type { ClassTimes, DirectoryCourse, DirectoryUser } from '#app/plugins/api'
import type { AttendanceHost } from './context.js'

/*
| Who sees what. Everything is scoped to the user's school through host.directory: a course, class
| or student of another school (or another parent's child) answers 404, as if it did not exist.
| Teachers see their own courses, admins the school, parents their children, students themselves.
| Overrides: the course's teacher only.
*/
export interface Actor {
  id: number
  schoolId: number
  role: string
}

export const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
export const forbidden = () => new Exception('Forbidden', { status: 403, code: 'E_FORBIDDEN' })

export function parseId(value: unknown) {
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31) throw notFound()
  return id
}

export async function courseToView(host: AttendanceHost, user: Actor, courseId: unknown): Promise<DirectoryCourse> {
  const [course] = await host.directory.courses(user.schoolId, { ids: [parseId(courseId)] })
  if (!course) throw notFound()
  if (user.role === 'admin' || (user.role === 'teacher' && course.teacherId === user.id)) return course
  throw notFound()
}

/** A class of the user's school whose course the user teaches (or any, for admins unless `teacherOnly`). */
export async function classToView(host: AttendanceHost, user: Actor, sessionId: unknown, teacherOnly = false): Promise<ClassTimes> {
  const cls = await host.classes.get(parseId(sessionId))
  if (!cls || cls.schoolId !== user.schoolId) throw notFound()
  const [course] = await host.directory.courses(user.schoolId, { ids: [cls.courseId] })
  if (!course) throw notFound()
  if (course.teacherId === user.id) return cls
  if (user.role === 'admin' && !teacherOnly) return cls
  if (user.role === 'admin' || user.role === 'teacher') throw forbidden()
  throw notFound()
}

/**
 * A student the user may see, and which of their courses: the student themselves and their linked
 * parents (all courses), admins (all), teachers (only the courses they teach).
 */
export async function studentToView(host: AttendanceHost, user: Actor, studentId: unknown): Promise<{ student: DirectoryUser; courseIds: number[] | null }> {
  const id = parseId(studentId)
  const [student] = await host.directory.users(user.schoolId, [id])
  if (!student || student.role !== 'student') throw notFound()
  if (user.role === 'admin' || user.id === id) return { student, courseIds: null }
  if (user.role === 'parent') {
    const children = await host.directory.childrenOf(user.schoolId, user.id)
    if (children.some((c) => c.id === id)) return { student, courseIds: null }
  }
  if (user.role === 'teacher') {
    const own = (await host.directory.courses(user.schoolId, { teacherId: user.id })).map((c) => c.id)
    const enrolled = await host.directory.enrolments(user.schoolId, { studentIds: [id], courseIds: own })
    if (enrolled.length) return { student, courseIds: enrolled.map((e) => e.courseId) }
  }
  throw notFound()
}
