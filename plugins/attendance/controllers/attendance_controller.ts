import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { useHost } from '../context.js'
import { classToView, courseToView, notFound, parseId, studentToView } from '../access.js'
import { overrideValidator, periodQueryValidator } from '../validators.js'
import { courseFigures, namesOf, rate, recordView, records, requestedPeriod } from '../views.js'
import { publishSignal } from '../finalize.js'
import { records as storedRecords } from '../store.js'
import { pushSafely } from '../push.js'
import { liveCounts, liveOfStudent } from '../capture.js'

/** Class summaries, overrides, per-course and per-student views (JSON, or the page in a browser). */
export default class AttendanceController {
  async classSummary(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const cls = await classToView(host, user, ctx.params.sessionId)
    const settings = await host.settings.forSchool(cls.schoolId)
    const rows = await records({ schoolId: cls.schoolId, sessionId: cls.id })
    const names = await namesOf(host, cls.schoolId, rows)
    const data = {
      class: { id: cls.id, title: cls.title, courseId: cls.courseId, startedAt: cls.startedAt, endedAt: cls.endedAt, finalized: rows.length > 0 },
      rate: rate(rows, settings.rateBasis),
      records: rows.map((r) => recordView(r, names)).sort((a, b) => a.fullName.localeCompare(b.fullName)),
      canOverride: cls.teacherId === user.id || (await host.directory.courses(cls.schoolId, { ids: [cls.courseId] }))[0]?.teacherId === user.id,
    }
    return this.#answer(ctx, 'class', data)
  }

  async override(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const cls = await classToView(host, user, ctx.params.sessionId, true)
    const studentId = parseId(ctx.params.userId)
    const { status, reason } = await ctx.request.validateUsing(overrideValidator)
    const nowMs = Date.now()
    const updated = await db
      .from('attendance_records')
      .where({ class_session_id: cls.id, user_id: studentId, school_id: cls.schoolId })
      .update({ status, override_reason: reason, override_by: user.id, override_at_ms: nowMs })
    if (!updated) throw notFound()
    const [row] = await storedRecords({ schoolId: cls.schoolId, sessionId: cls.id, userIds: [studentId] })
    await publishSignal(host, row, cls.teacherId)
    await pushSafely(host, { schoolId: cls.schoolId, courseId: cls.courseId, studentIds: [studentId], reason: 'override' })
    return recordView(row, await namesOf(host, cls.schoolId, [row]))
  }

  async course(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const course = await courseToView(host, user, ctx.params.courseId)
    const query = await ctx.request.validateUsing(periodQueryValidator, { data: ctx.request.qs() })
    const period = await requestedPeriod(host, user.schoolId, query.period, query.at)
    const settings = await host.settings.forSchool(user.schoolId)
    const rows = await records({ schoolId: user.schoolId, courseIds: [course.id], fromMs: period.fromMs, toMs: period.toMs })
    const names = await namesOf(host, user.schoolId, rows)
    const data = { course: { id: course.id, name: course.name }, period, ...courseFigures(rows, names, settings.rateBasis) }
    return this.#answer(ctx, 'course', data)
  }

  async student(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const { student, courseIds } = await studentToView(host, user, ctx.params.userId)
    const query = await ctx.request.validateUsing(periodQueryValidator, { data: ctx.request.qs() })
    const period = await requestedPeriod(host, user.schoolId, query.period, query.at)
    const settings = await host.settings.forSchool(user.schoolId)
    const rows = await records({ schoolId: user.schoolId, userIds: [student.id], ...(courseIds ? { courseIds } : {}), fromMs: period.fromMs, toMs: period.toMs })
    const names = await namesOf(host, user.schoolId, rows)
    const courses = await host.directory.courses(user.schoolId, { ids: [...new Set(rows.map((r) => r.courseId))] })
    const enrolled = await host.directory.enrolments(user.schoolId, { studentIds: [student.id], ...(courseIds ? { courseIds } : {}) })
    const current = await host.directory.courses(user.schoolId, { ids: enrolled.map((e) => e.courseId) })
    const data = {
      student: { id: student.id, fullName: student.fullName },
      live: await liveOfStudent(host, current, student.id),
      period,
      rate: rate(rows, settings.rateBasis),
      threshold: settings.threshold,
      courses: courses.map((c) => {
        const own = rows.filter((r) => r.courseId === c.id)
        return {
          id: c.id,
          name: c.name,
          rate: rate(own, settings.rateBasis),
          records: own.map((r) => recordView(r, names)),
          missed: own.filter((r) => r.status === 'absent').map((r) => recordView(r, names)),
        }
      }),
    }
    return this.#answer(ctx, 'student', data)
  }

  /** What the dashboard cards list: own courses (teacher), the school's (admin), children (parent), self (student). */
  async overview(ctx: HttpContext) {
    const host = useHost()
    const user = ctx.auth.getUserOrFail()
    const period = await requestedPeriod(host, user.schoolId)
    const settings = await host.settings.forSchool(user.schoolId)
    if (user.role === 'teacher' || user.role === 'admin') {
      const courses = await host.directory.courses(user.schoolId, user.role === 'teacher' ? { teacherId: user.id } : {})
      const rows = courses.length ? await records({ schoolId: user.schoolId, courseIds: courses.map((c) => c.id), fromMs: period.fromMs, toMs: period.toMs }) : []
      const live = await liveCounts(host, courses.map((c) => c.id))
      return {
        period,
        courses: courses.map((c) => ({ id: c.id, name: c.name, rate: rate(rows.filter((r) => r.courseId === c.id), settings.rateBasis), live: live.get(c.id) ?? null })),
      }
    }
    const people = user.role === 'parent' ? await host.directory.childrenOf(user.schoolId, user.id) : user.role === 'student' ? await host.directory.users(user.schoolId, [user.id]) : []
    const rows = people.length ? await records({ schoolId: user.schoolId, userIds: people.map((p) => p.id), fromMs: period.fromMs, toMs: period.toMs }) : []
    return { period, students: people.map((p) => ({ id: p.id, fullName: p.fullName, rate: rate(rows.filter((r) => r.userId === p.id), settings.rateBasis) })) }
  }

  #answer(ctx: HttpContext, page: string, data: object) {
    if (ctx.request.accepts(['html', 'json']) === 'json' || !('inertia' in ctx)) return data
    return (ctx as any).inertia.render(`plugins/attendance/${page}` as never, { data } as never)
  }
}
