import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import Course from '#app/courses/models/course'
import ClassSession from '#app/classes/models/class_session'
import { findInSchool } from '#app/core/scoped'
import { adhocClassValidator, scheduleClassValidator } from '#app/classes/validators'
import { ClassStateError, endClass, startClass } from '#app/classes/services/class_lifecycle'
import { sessionRoleFor } from '#app/classes/membership'
import School from '#app/schools/models/school'

const EARLY_START_MINUTES = 15

/** The course's scheduled class whose time is now (the one starting closest to now), if any. */
async function scheduledForNow(courseId: number) {
  const now = DateTime.now()
  const scheduled = await ClassSession.query().where('course_id', courseId).where('status', 'scheduled')
  const distance = (c: ClassSession) => Math.abs(c.scheduledAt!.diff(now).toMillis())
  const current = scheduled.filter(
    (c) => c.scheduledAt && c.scheduledAt <= now.plus({ minutes: EARLY_START_MINUTES }) && c.scheduledAt.plus({ minutes: c.durationMinutes }) >= now
  )
  current.sort((a, b) => distance(a) - distance(b))
  return current[0] ?? null
}

export default class ClassesController {
  /** Schedules a class for a course. */
  async store({ params, request, auth, bouncer, response, session, i18n }: HttpContext) {
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
    session.flash('success', i18n.t('core.flash.classScheduled', { title: created.title }))
    return response.redirect().back()
  }

  /**
   * One click: start the class of this course scheduled for now (from 15 minutes before its start
   * to its end), keeping its title; without one, create an ad-hoc class titled by its date and time
   * (the course's name is already shown next to every class title).
   */
  async startNow({ params, request, auth, bouncer, response, i18n }: HttpContext) {
    const user = auth.getUserOrFail()
    const course = await findInSchool(Course, params.courseId, user.schoolId)
    await bouncer.with('CoursePolicy').authorize('manage', course)
    const { title } = await request.validateUsing(adhocClassValidator)
    const scheduled = title ? null : await scheduledForNow(course.id)
    let classSession = scheduled
    if (!classSession) {
      const school = await School.findOrFail(course.schoolId)
      const now = DateTime.now().setZone(school.timezone).setLocale(i18n.locale)
      classSession = await ClassSession.create({
        schoolId: course.schoolId,
        courseId: course.id,
        teacherId: user.role === 'teacher' ? user.id : course.teacherId,
        title: title ?? i18n.t('core.classes.adhocTitle', { date: now.toLocaleString({ day: 'numeric', month: 'short' }), time: now.toFormat('HH:mm') }),
        status: 'scheduled',
        scheduledAt: DateTime.now(),
        durationMinutes: 60,
      })
    }
    await startClass(classSession)
    if (request.accepts(['html', 'json']) === 'json') return response.created(classSession.toSummary())
    return response.redirect(`/classes/${classSession.id}`)
  }

  async start({ params, request, auth, bouncer, response, session, i18n }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('manage', classSession)
    try {
      await startClass(classSession)
    } catch (error) {
      if (!(error instanceof ClassStateError)) throw error
      if (request.accepts(['html', 'json']) === 'json') return response.conflict({ errors: [{ message: error.message }] })
      session.flash('error', i18n.t('core.flash.classAlreadyEnded'))
      return response.redirect('/')
    }
    if (request.accepts(['html', 'json']) === 'json') return classSession.toSummary()
    return response.redirect(`/classes/${classSession.id}`)
  }

  async end({ params, request, auth, bouncer, response, session, i18n }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('manage', classSession)
    await endClass(classSession)
    if (request.accepts(['html', 'json']) === 'json') return classSession.toSummary()
    session.flash('success', i18n.t('core.flash.classEnded', { title: classSession.title }))
    return response.redirect('/')
  }

  /** The classroom page. Live classes only; members only. */
  async show({ params, auth, bouncer, inertia, response, session, i18n }: HttpContext) {
    const user = auth.getUserOrFail()
    const classSession = await findInSchool(ClassSession, params.id, user.schoolId)
    await bouncer.with('ClassSessionPolicy').authorize('join', classSession)
    if (classSession.status !== 'live') {
      session.flash('error', i18n.t(classSession.status === 'ended' ? 'core.flash.classOver' : 'core.flash.classNotStarted'))
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
