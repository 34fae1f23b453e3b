/*
| Who may watch a class's recording: the school's admins, the class's and the course's teacher,
| students enrolled in the course, and — when the school allows it — their parents. Everybody
| else, and every other school, gets 404 as if the recording did not exist.
*/
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Recording from './models/recording.js'

export interface Actor {
  id: number
  schoolId: number
  role: string
}

export const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

export function parseId(value: unknown) {
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0 || String(id) !== String(value)) throw notFound()
  return id
}

/** Restricts a recordings query to what the actor may watch. */
export function scopeToActor(query: ModelQueryBuilderContract<typeof Recording, Recording>, actor: Actor, parentsMayWatch: boolean) {
  query.where('recordings.school_id', actor.schoolId)
  if (actor.role === 'admin') return query
  if (actor.role === 'teacher') {
    return query.where((q) =>
      q
        .whereIn('recordings.class_session_id', db.from('class_sessions').select('id').where('teacher_id', actor.id))
        .orWhereIn('recordings.course_id', db.from('courses').select('id').where('teacher_id', actor.id))
    )
  }
  if (actor.role === 'student') {
    return query.whereIn('recordings.course_id', db.from('course_enrollments').select('course_id').where('student_id', actor.id))
  }
  if (actor.role === 'parent' && parentsMayWatch) {
    return query.whereIn(
      'recordings.course_id',
      db.from('course_enrollments').select('course_id').whereIn('student_id', db.from('parent_students').select('student_id').where('parent_id', actor.id))
    )
  }
  return query.whereRaw('1 = 0')
}

export async function recordingFor(actor: Actor, id: unknown, parentsMayWatch: boolean) {
  const recording = await scopeToActor(Recording.query(), actor, parentsMayWatch).where('recordings.id', parseId(id)).first()
  if (!recording) throw notFound()
  return recording
}

export function mayManage(actor: Actor, recording: Recording, classTeacherIds: number[]) {
  return actor.schoolId === recording.schoolId && (actor.role === 'admin' || classTeacherIds.includes(actor.id))
}
