import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import Course from '#app/courses/models/course'
import StudentGroup from '#app/courses/models/student_group'
import User from '#app/users/models/user'
import { findInSchool } from '#app/core/scoped'
import { courseValidator, enrollmentValidator, groupValidator } from '#app/courses/validators'

async function usersOfSchool(ids: number[], schoolId: number, role: string) {
  if (!ids.length) return true
  const rows = await db.from('users').whereIn('id', ids).where({ school_id: schoolId, role }).count('* as total')
  return Number(rows[0].total) === new Set(ids).size
}

const invalid = (response: HttpContext['response'], message: string) =>
  response.unprocessableEntity({ errors: [{ message }] })

export default class CoursesController {
  async index({ auth, inertia }: HttpContext) {
    const admin = auth.getUserOrFail()
    const courses = await Course.query().where('school_id', admin.schoolId).preload('teacher').withCount('students').orderBy('name')
    const teachers = await User.query().where({ schoolId: admin.schoolId, role: 'teacher' }).orderBy('full_name')
    return inertia.render('admin/courses', {
      courses: courses.map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        teacherName: c.teacher.fullName,
        studentCount: Number(c.$extras.students_count),
      })),
      teachers: teachers.map((t) => t.toSummary()),
    })
  }

  async store({ auth, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const data = await request.validateUsing(courseValidator)
    if (!(await usersOfSchool([data.teacherId], admin.schoolId, 'teacher'))) return invalid(response, 'Pick a teacher of your school')
    const course = await Course.create({ ...data, description: data.description ?? null, schoolId: admin.schoolId })
    if (request.accepts(['html', 'json']) === 'json') return response.created({ id: course.id })
    session.flash('success', i18n.t('core.flash.courseCreated', { name: course.name }))
    return response.redirect(`/admin/courses/${course.id}`)
  }

  async show({ auth, params, inertia }: HttpContext) {
    const admin = auth.getUserOrFail()
    const course = await findInSchool(Course, params.id, admin.schoolId)
    await course.load('students', (q) => q.orderBy('full_name'))
    await course.load('groups', (q) => q.preload('members').orderBy('name'))
    const students = await User.query().where({ schoolId: admin.schoolId, role: 'student' }).orderBy('full_name')
    const teachers = await User.query().where({ schoolId: admin.schoolId, role: 'teacher' }).orderBy('full_name')
    return inertia.render('admin/course', {
      course: { id: course.id, name: course.name, description: course.description, teacherId: course.teacherId },
      enrolledIds: course.students.map((s) => s.id),
      groups: course.groups.map((g) => ({ id: g.id, name: g.name, studentIds: g.members.map((m) => m.id) })),
      students: students.map((s) => s.toSummary()),
      teachers: teachers.map((t) => t.toSummary()),
    })
  }

  async update({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const course = await findInSchool(Course, params.id, admin.schoolId)
    const data = await request.validateUsing(courseValidator)
    if (!(await usersOfSchool([data.teacherId], admin.schoolId, 'teacher'))) return invalid(response, 'Pick a teacher of your school')
    course.merge({ ...data, description: data.description ?? null })
    await course.save()
    if (request.accepts(['html', 'json']) === 'json') return { id: course.id }
    session.flash('success', i18n.t('core.flash.courseSaved'))
    return response.redirect().back()
  }

  async enroll({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const course = await findInSchool(Course, params.id, admin.schoolId)
    const { studentIds } = await request.validateUsing(enrollmentValidator)
    if (!(await usersOfSchool(studentIds, admin.schoolId, 'student'))) return invalid(response, 'Only students of your school can be enrolled')
    await course.related('students').sync(studentIds)
    if (request.accepts(['html', 'json']) === 'json') return { studentIds }
    session.flash('success', i18n.t('core.flash.enrolmentSaved'))
    return response.redirect().back()
  }

  async storeGroup({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const course = await findInSchool(Course, params.id, admin.schoolId)
    const data = await request.validateUsing(groupValidator)
    const enrolled = await db.from('course_enrollments').where('course_id', course.id).whereIn('student_id', data.studentIds).count('* as total')
    if (Number(enrolled[0].total) !== new Set(data.studentIds).size) return invalid(response, 'Group members must be enrolled in the course')
    const group = await StudentGroup.create({ courseId: course.id, name: data.name })
    await group.related('members').attach(data.studentIds)
    if (request.accepts(['html', 'json']) === 'json') return response.created({ id: group.id })
    session.flash('success', i18n.t('core.flash.groupCreated', { name: group.name }))
    return response.redirect().back()
  }

  async destroyGroup({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const course = await findInSchool(Course, params.id, admin.schoolId)
    const group = await StudentGroup.query().where({ id: params.groupId, courseId: course.id }).firstOrFail()
    await group.delete()
    if (request.accepts(['html', 'json']) === 'json') return response.noContent()
    session.flash('success', i18n.t('core.flash.groupDeleted', { name: group.name }))
    return response.redirect().back()
  }
}
