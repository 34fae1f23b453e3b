import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import ClassSession from '#app/classes/models/class_session'
import type User from '#app/users/models/user'

const withRelations = (query: ModelQueryBuilderContract<typeof ClassSession>) =>
  query.preload('course').preload('teacher').orderByRaw('scheduled_at is null, scheduled_at asc').orderBy('id', 'desc')

/** Classes a user can see on a dashboard, grouped; always scoped to the user's school. */
export async function classesForUser(user: User, studentIds?: number[]) {
  const query = ClassSession.query().where('school_id', user.schoolId)
  if (user.role === 'teacher') {
    query.where((q) => q.where('teacher_id', user.id).orWhereIn('course_id', (sub) => sub.from('courses').select('id').where('teacher_id', user.id)))
  } else if (user.role === 'student' || user.role === 'parent') {
    const ids = studentIds ?? [user.id]
    query.whereIn('course_id', (sub) => sub.from('course_enrollments').select('course_id').whereIn('student_id', ids))
  }
  const [live, upcoming, past] = await Promise.all([
    withRelations(query.clone().where('status', 'live')),
    withRelations(query.clone().where('status', 'scheduled')).limit(20),
    query.clone().where('status', 'ended').preload('course').preload('teacher').orderBy('ended_at', 'desc').limit(10),
  ])
  return {
    live: live.map((s) => s.toSummary()),
    upcoming: upcoming.map((s) => s.toSummary()),
    past: past.map((s) => s.toSummary()),
  }
}
