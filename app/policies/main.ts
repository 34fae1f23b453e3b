export const policies = {
  CoursePolicy: () => import('#app/courses/course_policy'),
  ClassSessionPolicy: () => import('#app/classes/class_session_policy'),
}
