import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import School from '#app/schools/models/school'
import User from '#app/users/models/user'
import Course from '#app/courses/models/course'
import StudentGroup from '#app/courses/models/student_group'
import ClassSession from '#app/classes/models/class_session'

export const PASSWORD = 'correct-horse'

/**
 * A complete small school with unique e-mails, so tests never collide with
 * each other (nor with other app processes sharing the database).
 */
export async function createSchool(options: { students?: number; liveClass?: boolean } = {}) {
  const tag = randomUUID().slice(0, 8)
  const school = await School.create({ name: `School ${tag}`, slug: `school-${tag}`, timezone: 'UTC' })
  const user = (name: string, role: User['role']) =>
    User.create({
      schoolId: school.id,
      fullName: name,
      email: `${name.toLowerCase().replace(/\s+/g, '.')}.${tag}@test.aula`,
      password: PASSWORD,
      role,
    })
  const admin = await user('Admin User', 'admin')
  const teacher = await user('Tess Teacher', 'teacher')
  const otherTeacher = await user('Otto Teacher', 'teacher')
  const students: User[] = []
  for (let i = 1; i <= (options.students ?? 3); i++) students.push(await user(`Student ${i}`, 'student'))
  const outsider = await user('Olive Outsider', 'student')
  const parent = await user('Paula Parent', 'parent')
  await parent.related('children').attach([students[0].id])

  const course = await Course.create({ schoolId: school.id, teacherId: teacher.id, name: `Course ${tag}` })
  await course.related('students').attach(students.map((s) => s.id))
  const group = await StudentGroup.create({ courseId: course.id, name: 'Group A' })
  await group.related('members').attach([students[0].id])

  const classSession = await ClassSession.create({
    schoolId: school.id,
    courseId: course.id,
    teacherId: teacher.id,
    title: `Class ${tag}`,
    status: options.liveClass ? 'live' : 'scheduled',
    scheduledAt: DateTime.now().plus({ hours: 1 }),
    startedAt: options.liveClass ? DateTime.now() : null,
    durationMinutes: 45,
  })
  return { school, admin, teacher, otherTeacher, students, outsider, parent, course, group, classSession }
}

export type SchoolFixture = Awaited<ReturnType<typeof createSchool>>
