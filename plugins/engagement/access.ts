/*
| Who reads which scores: an admin their school's, a teacher their courses', a student their own and a
| parent their children's (each when the school allows it). Anything of another school answers 404.
*/
import { Exception } from '@adonisjs/core/exceptions'
import type { PluginHost } from '#app/plugins/api'
import { settingsFor } from './school_settings.js'

export interface Actor {
  id: number
  schoolId: number
  role: string
}

export const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
export const forbidden = () => new Exception('Not allowed', { status: 403, code: 'E_FORBIDDEN' })

export function requireAdmin(user: Actor) {
  if (user.role !== 'admin') throw forbidden()
}

/** An ended or live class of the user's school that the user teaches (or any, for an admin). */
export async function classToReview(host: Pick<PluginHost, 'classes' | 'directory'>, user: Actor, sessionId: number) {
  const info = await host.classes.get(sessionId)
  if (!info || info.schoolId !== user.schoolId) throw notFound()
  if (user.role === 'admin') return info
  if (user.role !== 'teacher') throw forbidden()
  const [course] = await host.directory.courses(user.schoolId, { ids: [info.courseId] })
  if (info.teacherId !== user.id && course?.teacherId !== user.id) throw forbidden()
  return info
}

/** The student ids whose scores the user may read; `courseIds` null = all the school's courses. */
export async function readableStudent(host: Pick<PluginHost, 'directory'>, user: Actor, studentId: number) {
  const [student] = await host.directory.users(user.schoolId, [studentId])
  if (!student || student.role !== 'student') throw notFound()
  if (user.role === 'admin') return { student, courseIds: null as number[] | null }
  if (user.role === 'student') {
    if (studentId !== user.id) throw notFound()
    if (!(await settingsFor(user.schoolId)).studentsSeeOwn) throw forbidden()
    return { student, courseIds: null }
  }
  if (user.role === 'parent') {
    const children = await host.directory.childrenOf(user.schoolId, user.id)
    if (!children.some((c) => c.id === studentId)) throw notFound()
    if (!(await settingsFor(user.schoolId)).parentsSeeChild) throw forbidden()
    return { student, courseIds: null }
  }
  if (user.role === 'teacher') {
    const courses = await host.directory.courses(user.schoolId, { teacherId: user.id })
    const enrolled = await host.directory.enrolments(user.schoolId, { studentIds: [studentId], courseIds: courses.map((c) => c.id) })
    if (!enrolled.length) throw notFound()
    return { student, courseIds: enrolled.map((e) => e.courseId) }
  }
  throw forbidden()
}
