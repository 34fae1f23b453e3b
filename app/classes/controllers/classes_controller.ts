import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import Course from '#app/courses/models/course'
import ClassSession from '#app/classes/models/class_session'
import { findInSchool } from '#app/core/scoped'
import { adhocClassValidator, scheduleClassValidator } from '#app/classes/validators'
import { ClassStateError, endClass, startClass } from '#app/classes/services/class_lifecycle'
import { sessionRoleFor } from '#app/classes/membership'

export default class ClassesController {
  /** Schedules a class for a course. */
  async store({ params, request, auth, bouncer, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const course = await findInSchool(Course, params.courseId, user.schoolId)
    await bouncer.with('CoursePolicy').authorize('manage', course)
    const data = await request.validateUsing(scheduleClassValidator)
    const created = await ClassSession.create({
      schoolId: course.schoolId,
      courseId: course.id,
      teacherId: course.teacherId,
      title: data.title,
      status: 'scheduled',
      scheduledAt: DateTime.fromJSDate(data.scheduledAt),
      durationMinutes: data.durationMinutes,
    })
    if (request.accepts(['html', 'json']) === 'json') return response.created(created.toSummary())
    session.flash('success', `Scheduled "${created.title}"`)
    return response.redirect().back()
  }

  /** One click: create a class now and go live. */
  async startNow({ params, request, auth, bouncer, response }: HttpContext) {
    const user = auth.getUserOrFail()
    const course = await findInSchool(Course, params.courseId, user.schoolId)
    await bouncer.with('CoursePolicy').authorize('manage', course)
    const { title } = await request.validateUsing(adhocClassValidator)
    const created = await ClassSession.create({
      schoolId: course.schoolId,
      courseId: course.id,
      teacherId: user.role === 'teacher' ? user.id : course.teacherId,
      title: title ?? `${course.name} — ${DateTime.now().toFormat('d LLL, HH:mm')}`,
      status: 'scheduled',
      scheduledAt: DateTime.now(),
      durationMinutes: 60,
    })
    await startClass(created)
    if (request.accepts(['html', 'json']) === 'json') return response.created(created.toSummary())
    return response.redirect(`/classes/${created.id}`)
  }

  async start({ params, request, auth, bouncer, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('manage', classSession)
    try {
      await startClass(classSession)
    } catch (error) {
      if (!(error instanceof ClassStateError)) throw error
      if (request.accepts(['html', 'json']) === 'json') return response.conflict({ errors: [{ message: error.message }] })
      session.flash('error', error.message)
      return response.redirect('/')
    }
    if (request.accepts(['html', 'json']) === 'json') return classSession.toSummary()
    return response.redirect(`/classes/${classSession.id}`)
  }

  async end({ params, request, auth, bouncer, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('manage', classSession)
    await endClass(classSession)
    if (request.accepts(['html', 'json']) === 'json') return classSession.toSummary()
    session.flash('success', `"${classSession.title}" has ended`)
    return response.redirect('/')
  }

  /** The classroom page. Live classes only; members only. */
  async show({ params, auth, bouncer, inertia, response, session }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('join', classSession)
    if (classSession.status !== 'live') {
      session.flash('error', classSession.status === 'ended' ? 'This class has ended.' : 'This class has not started yet.')
      return response.redirect('/')
    }
    await classSession.load('course')
    await classSession.load('teacher')
    const plugins = await (await app.container.make('plugins')).settings.allFor(user.schoolId)
    return inertia.render('classroom/show', {
      classSession: classSession.toSummary(),
      sessionRole: await sessionRoleFor(user, classSession),
      plugins,
    })
  }
}
