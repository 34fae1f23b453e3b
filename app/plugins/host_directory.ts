import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import type { Role } from '#app/users/roles'
import { sqlTimestamp } from '#app/core/sql_timestamp'

/*
| Read-only views of the school's people, courses and classes for plugins (host.directory and
| host.classes). Plugins never query core tables themselves; every call is scoped by school.
*/
export interface DirectoryUser {
  id: number
  fullName: string
  email: string
  role: Role
  /** The user's chosen language for e-mails and the UI (null: none chosen; use the school default). */
  locale: string | null
}

export interface DirectoryCourse {
  id: number
  schoolId: number
  name: string
  teacherId: number
}

export interface DirectorySchool {
  id: number
  name: string
  timezone: string
}

export interface ClassTimes {
  id: number
  schoolId: number
  courseId: number
  teacherId: number
  title: string
  status: 'scheduled' | 'live' | 'ended'
  scheduledAt: string | null
  durationMinutes: number
  startedAt: string | null
  endedAt: string | null
}

const toUser = (row: any): DirectoryUser => ({ id: row.id, fullName: row.full_name, email: row.email, role: row.role, locale: row.locale ?? null })
const toCourse = (row: any): DirectoryCourse => ({ id: row.id, schoolId: row.school_id, name: row.name, teacherId: row.teacher_id })
const toClass = (s: ClassSession): ClassTimes => ({
  id: s.id,
  schoolId: s.schoolId,
  courseId: s.courseId,
  teacherId: s.teacherId,
  title: s.title,
  status: s.status,
  scheduledAt: s.scheduledAt?.toISO() ?? null,
  durationMinutes: s.durationMinutes,
  startedAt: s.startedAt?.toISO() ?? null,
  endedAt: s.endedAt?.toISO() ?? null,
})
const unique = (ids: number[]) => [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))]

export const directory = {
  async school(schoolId: number): Promise<DirectorySchool | null> {
    const row = await db.from('schools').where('id', schoolId).first()
    return row ? { id: row.id, name: row.name, timezone: row.timezone } : null
  },

  /** The school's courses, optionally only some ids or one teacher's. */
  async courses(schoolId: number, filter: { ids?: number[]; teacherId?: number } = {}): Promise<DirectoryCourse[]> {
    const query = db.from('courses').where('school_id', schoolId).orderBy('name').orderBy('id')
    if (filter.ids) query.whereIn('id', unique(filter.ids))
    if (filter.teacherId !== undefined) query.where('teacher_id', filter.teacherId)
    return (await query).map(toCourse)
  },

  /** Enrolments of the school's courses: by course ids, or by student ids. */
  async enrolments(schoolId: number, filter: { courseIds?: number[]; studentIds?: number[] }) {
    const query = db
      .from('course_enrollments')
      .join('courses', 'courses.id', 'course_enrollments.course_id')
      .where('courses.school_id', schoolId)
      .select('course_enrollments.course_id as courseId', 'course_enrollments.student_id as studentId')
    if (filter.courseIds) query.whereIn('course_enrollments.course_id', unique(filter.courseIds))
    if (filter.studentIds) query.whereIn('course_enrollments.student_id', unique(filter.studentIds))
    const rows: { courseId: number; studentId: number }[] = await query
    return rows.map((r) => ({ courseId: Number(r.courseId), studentId: Number(r.studentId) }))
  },

  /** Users of the school by id (ids of other schools are left out). */
  async users(schoolId: number, ids: number[]): Promise<DirectoryUser[]> {
    if (!ids.length) return []
    return (await db.from('users').where('school_id', schoolId).whereIn('id', unique(ids)).orderBy('full_name')).map(toUser)
  },

  async usersWithRole(schoolId: number, role: Role): Promise<DirectoryUser[]> {
    return (await db.from('users').where({ school_id: schoolId, role }).orderBy('full_name')).map(toUser)
  },

  /** The linked parents of some students of the school. */
  async parentsOf(schoolId: number, studentIds: number[]): Promise<{ studentId: number; parent: DirectoryUser }[]> {
    if (!studentIds.length) return []
    // Links first, then their parents: as one join, PostgreSQL walked every user of the school and probed
    // the links for each (12,000 probes per call in bench/connections, where it ran on every class join).
    const links = await db.from('parent_students').whereIn('student_id', unique(studentIds)).select('parent_id', 'student_id')
    if (!links.length) return []
    const parents = await db
      .from('users')
      .where('school_id', schoolId)
      .whereIn('id', unique(links.map((l) => Number(l.parent_id))))
      .orderBy('full_name')
    return parents.flatMap((row) =>
      links.filter((l) => Number(l.parent_id) === Number(row.id)).map((l) => ({ studentId: Number(l.student_id), parent: toUser(row) }))
    )
  },

  /** A parent's linked children (students of the same school). */
  async childrenOf(schoolId: number, parentId: number): Promise<DirectoryUser[]> {
    const rows = await db
      .from('parent_students')
      .join('users', 'users.id', 'parent_students.student_id')
      .where({ 'parent_students.parent_id': parentId, 'users.school_id': schoolId, 'users.role': 'student' })
      .orderBy('users.full_name')
      .select('users.*')
    return rows.map(toUser)
  },
}

export const classDirectory = {
  async get(sessionId: number): Promise<ClassTimes | null> {
    const session = await ClassSession.find(sessionId)
    return session ? toClass(session) : null
  },

  /** Classes that ended in [from, to), optionally of one school or some courses, oldest first. */
  async ended(filter: { from: Date; to: Date; schoolId?: number; courseIds?: number[] }): Promise<ClassTimes[]> {
    const query = ClassSession.query()
      .where('status', 'ended')
      .where('ended_at', '>=', sqlTimestamp(DateTime.fromJSDate(filter.from)))
      .where('ended_at', '<', sqlTimestamp(DateTime.fromJSDate(filter.to)))
      .orderBy('ended_at', 'asc')
      .orderBy('id', 'asc')
    if (filter.schoolId !== undefined) query.where('school_id', filter.schoolId)
    if (filter.courseIds) query.whereIn('course_id', unique(filter.courseIds))
    return (await query).map(toClass)
  },
}

export type PluginDirectory = typeof directory
export type PluginClassDirectory = typeof classDirectory
