import { BasePolicy } from '@adonisjs/bouncer'
import db from '@adonisjs/lucid/services/db'
import type User from '#app/users/models/user'
import type Course from '#app/courses/models/course'

export default class CoursePolicy extends BasePolicy {
  /** Admins and the course's teacher run the course; enrolled students and their parents may view it. */
  async view(user: User, course: Course) {
    if (user.schoolId !== course.schoolId) return false
    if (user.role === 'admin' || user.id === course.teacherId) return true
    if (user.role === 'student') {
      return Boolean(await db.from('course_enrollments').where({ course_id: course.id, student_id: user.id }).first())
    }
    if (user.role === 'parent') {
      return Boolean(
        await db
          .from('course_enrollments')
          .join('parent_students', 'parent_students.student_id', 'course_enrollments.student_id')
          .where({ 'course_enrollments.course_id': course.id, 'parent_students.parent_id': user.id })
          .first()
      )
    }
    return false
  }

  manage(user: User, course: Course) {
    return user.schoolId === course.schoolId && (user.role === 'admin' || user.id === course.teacherId)
  }
}
