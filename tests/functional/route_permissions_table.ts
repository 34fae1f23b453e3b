/*
| Who may call each HTTP route, and how route_permissions.spec.ts builds a request for it.
| Every route the router knows needs an entry (keyed "METHOD /pattern"); the matrix fails on a
| route it cannot describe. Requests use ids of school A's fixture (see RouteTarget), so a refusal
| always comes from the permission rule, never from a missing record.
*/

export interface RouteTarget {
  courseId: number
  /** A live class of the course. */
  classId: number
  /** A scheduled class of the course (for /start). */
  scheduledClassId: number
  studentId: number
  parentId: number
  groupId: number
  quizId: number
  mailId: number
  recordingId: number
  fileKey: string
  /** The student whose records are asked for (the parent's child). */
  recordStudentId: number
}

/**
 * - public: anyone, logged in or not. guest: the login form (a logged-in user is sent home).
 * - user: any logged-in user; what they see is scoped to them (refused only when logged out).
 * - staff: teachers and admins, each seeing their own (students and parents are refused).
 * - admin: the school's admins. With `scoped`, the path names a record of school A, so an admin of
 *   another school is refused too; without, they see their own school's list.
 * - course_teacher: the course's teacher and the school's admins.
 * - class_teacher_only: the teacher of the class's course, not even an admin.
 * - student_record: the student, their parents, the school's admins and the teachers of their courses.
 * - class_member: the class's teacher, the school's admins and the course's students.
 * - family_reviewer: the course's teacher, the school's admins, the course's students and their parents (read-only).
 * - recording_viewer: the course's teacher, the school's admins, the course's students (and their parents when the school allows it).
 */
export type RouteWho =
  | 'public'
  | 'guest'
  | 'user'
  | 'staff'
  | 'admin'
  | 'admin_scoped'
  | 'course_teacher'
  | 'class_teacher_only'
  | 'student_record'
  | 'class_member'
  | 'family_reviewer'
  | 'recording_viewer'

export interface RouteRule {
  who: RouteWho
  path: (t: RouteTarget) => string
  body?: (t: RouteTarget) => Record<string, unknown>
  /** Left out of the allowed-user check: the fixture has no such file (404 for everyone), or the response is an endless stream. */
  noFileHere?: boolean
}

const rule = (who: RouteWho, path: RouteRule['path'], body?: RouteRule['body']): RouteRule => ({ who, path, body })
const file = (who: RouteWho, path: RouteRule['path']): RouteRule => ({ who, path, noFileHere: true })

export const ROUTE_RULES: Record<string, RouteRule> = {
  'GET /health': rule('public', () => '/health'),
  'GET /health/ready': rule('public', () => '/health/ready'),
  // Not a user route: allowed networks or a bearer token decide (tests/realtime/operations_metrics.spec.ts); loopback here.
  'GET /metrics': rule('public', () => '/metrics'),
  'GET /login': rule('guest', () => '/login'),
  'POST /login': rule('guest', () => '/login'),
  'POST /logout': rule('user', () => '/logout'),
  'GET /': rule('user', () => '/'),
  'PUT /profile/locale': rule('user', () => '/profile/locale', () => ({ locale: 'en' })),

  'POST /courses/:courseId/classes': rule('course_teacher', (t) => `/courses/${t.courseId}/classes`, () => ({
    title: 'Matrix class',
    scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    durationMinutes: 30,
  })),
  'POST /courses/:courseId/classes/start-now': rule('course_teacher', (t) => `/courses/${t.courseId}/classes/start-now`, () => ({
    title: 'Matrix now',
  })),
  'GET /classes/:id': rule('class_member', (t) => `/classes/${t.classId}`),
  'POST /classes/:id/start': rule('course_teacher', (t) => `/classes/${t.scheduledClassId}/start`),
  'POST /classes/:id/end': rule('course_teacher', (t) => `/classes/${t.classId}/end`),

  'GET /admin/users': rule('admin', () => '/admin/users'),
  'POST /admin/users': rule('admin', () => '/admin/users', () => ({
    fullName: 'Matrix User',
    email: `matrix.${Date.now()}@test.aula`,
    role: 'student',
    password: 'correct-horse-battery',
  })),
  'PUT /admin/users/:id/children': rule('admin_scoped', (t) => `/admin/users/${t.parentId}/children`, (t) => ({ childIds: [t.studentId] })),
  'DELETE /admin/users/:id': rule('admin_scoped', (t) => `/admin/users/${t.studentId}`),
  'GET /admin/courses': rule('admin', () => '/admin/courses'),
  'POST /admin/courses': rule('admin', () => '/admin/courses', () => ({ name: 'Matrix course' })),
  'GET /admin/courses/:id': rule('admin_scoped', (t) => `/admin/courses/${t.courseId}`),
  'PUT /admin/courses/:id': rule('admin_scoped', (t) => `/admin/courses/${t.courseId}`, () => ({ name: 'Renamed by the matrix' })),
  'PUT /admin/courses/:id/students': rule('admin_scoped', (t) => `/admin/courses/${t.courseId}/students`, () => ({ studentIds: [] })),
  'POST /admin/courses/:id/groups': rule('admin_scoped', (t) => `/admin/courses/${t.courseId}/groups`, () => ({ name: 'Matrix group' })),
  'DELETE /admin/courses/:id/groups/:groupId': rule('admin_scoped', (t) => `/admin/courses/${t.courseId}/groups/${t.groupId}`),
  'GET /admin/plugins': rule('admin', () => '/admin/plugins'),
  'PUT /admin/plugins/:id': rule('admin', () => '/admin/plugins/chat', () => ({ enabled: false })),
  'GET /admin/mail': rule('admin', () => '/admin/mail'),
  'GET /admin/mail/:id': rule('admin_scoped', (t) => `/admin/mail/${t.mailId}`),
  'POST /admin/mail/:id/retry': rule('admin_scoped', (t) => `/admin/mail/${t.mailId}/retry`),

  /* Transmit (server-sent notifications): channel authorisation has its own test. */
  'GET /__transmit/events': { who: 'user', path: () => '/__transmit/events?uid=matrix', noFileHere: true },
  'POST /__transmit/subscribe': rule('user', () => '/__transmit/subscribe'),
  'POST /__transmit/unsubscribe': rule('user', () => '/__transmit/unsubscribe'),

  /* Quizzes plugin */
  'GET /plugins/quizzes/courses': rule('user', () => '/plugins/quizzes/courses'),
  'GET /plugins/quizzes/courses/:courseId/quizzes': rule('course_teacher', (t) => `/plugins/quizzes/courses/${t.courseId}/quizzes`),
  'POST /plugins/quizzes/courses/:courseId/quizzes': rule('course_teacher', (t) => `/plugins/quizzes/courses/${t.courseId}/quizzes`, () => ({
    title: 'Matrix quiz',
    questions: [{ type: 'truefalse', prompt: 'Matrix?', statementIsTrue: true }],
  })),
  'PUT /plugins/quizzes/quizzes/:id': rule('course_teacher', (t) => `/plugins/quizzes/quizzes/${t.quizId}`, () => ({
    title: 'Renamed by the matrix',
    questions: [{ type: 'truefalse', prompt: 'Matrix?', statementIsTrue: true }],
  })),
  'DELETE /plugins/quizzes/quizzes/:id': rule('course_teacher', (t) => `/plugins/quizzes/quizzes/${t.quizId}`),
  'GET /plugins/quizzes/courses/:courseId/results': rule('course_teacher', (t) => `/plugins/quizzes/courses/${t.courseId}/results`),
  'GET /plugins/quizzes/sessions/:sessionId/results': rule('course_teacher', (t) => `/plugins/quizzes/sessions/${t.classId}/results`),
  'GET /plugins/quizzes/courses/:courseId/export/:format': rule('course_teacher', (t) => `/plugins/quizzes/courses/${t.courseId}/export/csv`),
  'GET /plugins/quizzes/sessions/:sessionId/export/:format': rule('course_teacher', (t) => `/plugins/quizzes/sessions/${t.classId}/export/csv`),

  /* Whiteboard plugin */
  'POST /plugins/whiteboard/sessions/:sessionId/deck': rule('course_teacher', (t) => `/plugins/whiteboard/sessions/${t.classId}/deck`),
  'GET /plugins/whiteboard/boards': rule('user', () => '/plugins/whiteboard/boards'),
  'GET /plugins/whiteboard/sessions/:sessionId/pages': rule('family_reviewer', (t) => `/plugins/whiteboard/sessions/${t.classId}/pages`),
  'GET /plugins/whiteboard/files/:fileId': rule('family_reviewer', (t) => `/plugins/whiteboard/files/${t.fileKey}`),
  'GET /plugins/whiteboard/assets/*': file('user', () => '/plugins/whiteboard/assets/none.png'),

  /* Recording plugin */
  'GET /plugins/recording/recordings': rule('user', () => '/plugins/recording/recordings'),
  'GET /plugins/recording/recordings/:id': rule('recording_viewer', (t) => `/plugins/recording/recordings/${t.recordingId}`),
  'GET /plugins/recording/recordings/:id/video.mp4': file('recording_viewer', (t) => `/plugins/recording/recordings/${t.recordingId}/video.mp4`),
  'GET /plugins/recording/recordings/:id/chapters.vtt': file('recording_viewer', (t) => `/plugins/recording/recordings/${t.recordingId}/chapters.vtt`),
  'GET /plugins/recording/recordings/:id/parts/:part/:file': file('recording_viewer', (t) => `/plugins/recording/recordings/${t.recordingId}/parts/0/index.m3u8`),
  'DELETE /plugins/recording/recordings/:id': rule('course_teacher', (t) => `/plugins/recording/recordings/${t.recordingId}`),
  'GET /plugins/recording/admin': rule('admin', () => '/plugins/recording/admin'),
  // A live class's HLS stream (no sidecar writes one here: 404 for everyone, so only the refusals are checked).
  'GET /plugins/video/classes/:id/hls/:file': file('class_member', (t) => `/plugins/video/classes/${t.classId}/hls/live.m3u8`),

  /* Attendance plugin */
  'GET /plugins/attendance/overview': rule('user', () => '/plugins/attendance/overview'),
  'GET /plugins/attendance/classes/:sessionId': rule('course_teacher', (t) => `/plugins/attendance/classes/${t.classId}`),
  'POST /plugins/attendance/classes/:sessionId/students/:userId/status': rule(
    'class_teacher_only',
    (t) => `/plugins/attendance/classes/${t.classId}/students/${t.recordStudentId}/status`,
    () => ({ status: 'excused', reason: 'Matrix' })
  ),
  'GET /plugins/attendance/courses/:courseId': rule('course_teacher', (t) => `/plugins/attendance/courses/${t.courseId}`),
  'GET /plugins/attendance/students/:userId': rule('student_record', (t) => `/plugins/attendance/students/${t.recordStudentId}`),
  'GET /plugins/attendance/reports/courses/:courseId/:format': rule('course_teacher', (t) => `/plugins/attendance/reports/courses/${t.courseId}/csv`),
  'GET /plugins/attendance/reports/students/:userId/:format': rule('student_record', (t) => `/plugins/attendance/reports/students/${t.recordStudentId}/csv`),
  'GET /plugins/attendance/reports/school/:format': rule('admin', () => '/plugins/attendance/reports/school/csv'),
  'POST /plugins/attendance/exports': rule('course_teacher', () => '/plugins/attendance/exports', (t) => ({ scope: 'course', id: t.courseId, format: 'csv' })),
  // The asker's own export only (another user's answers 404: plugins/attendance/tests/functional/exports.spec.ts); none exists here.
  'GET /plugins/attendance/exports/:exportId': file('user', () => '/plugins/attendance/exports/00000000-0000-4000-8000-000000000000'),
  'GET /plugins/attendance/exports/:exportId/file': file('user', () => '/plugins/attendance/exports/00000000-0000-4000-8000-000000000000/file'),

  /* Engagement plugin */
  'GET /plugins/engagement/settings': rule('admin', () => '/plugins/engagement/settings'),
  'PUT /plugins/engagement/settings': rule('admin', () => '/plugins/engagement/settings', () => ({})),
  'POST /plugins/engagement/settings/preview': rule('admin', () => '/plugins/engagement/settings/preview', () => ({})),
  'GET /plugins/engagement/sessions/:sessionId/scores': rule('course_teacher', (t) => `/plugins/engagement/sessions/${t.classId}/scores`),
  'GET /plugins/engagement/students/:userId/scores': rule('student_record', (t) => `/plugins/engagement/students/${t.recordStudentId}/scores`),
  'GET /plugins/engagement/me': rule('user', () => '/plugins/engagement/me'),
  'GET /plugins/engagement/classes': rule('staff', () => '/plugins/engagement/classes'),
  'GET /plugins/engagement/at-risk': rule('admin', () => '/plugins/engagement/at-risk'),
  'GET /plugins/engagement/at-risk/export/:format': rule('admin', () => '/plugins/engagement/at-risk/export/csv'),
}
