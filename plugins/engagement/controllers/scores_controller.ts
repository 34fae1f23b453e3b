import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { PluginHost } from '#app/plugins/api'
import { classToReview, forbidden, readableStudent, requireAdmin } from '../access.js'
import { settingsFor } from '../school_settings.js'
import { toScoreView, type ScoreView } from '../store.js'
import { riskOf } from '../at_risk.js'
import { toCsv, toXlsx, type RiskRow } from '../export.js'
import { exportParam, idParam } from '../validators.js'

const HALF_YEAR_MS = 183 * 24 * 3600_000

/** Each student's recent class scores of a school (newest last), at most `window` per student. */
async function recentScores(schoolId: number, window: number) {
  const rows = await db
    .from('engagement_scores')
    .where('school_id', schoolId)
    .where('ended_at_ms', '>=', Date.now() - HALF_YEAR_MS)
    .orderBy('ended_at_ms', 'desc')
  const per = new Map<number, ScoreView[]>()
  for (const row of rows) {
    const list = per.get(Number(row.user_id)) ?? []
    if (list.length < window) list.push(toScoreView(row))
    per.set(Number(row.user_id), list)
  }
  for (const list of per.values()) list.reverse()
  return per
}

export function scoresController(host: PluginHost) {
  async function riskRows(schoolId: number): Promise<RiskRow[]> {
    const settings = await settingsFor(schoolId)
    const per = await recentScores(schoolId, settings.atRiskWindow)
    const names = new Map((await host.directory.users(schoolId, [...per.keys()])).map((u) => [u.id, u.fullName]))
    return [...per]
      .map(([userId, scores]) => {
        const verdict = riskOf(scores.map((s) => s.score), settings.atRiskThreshold)
        const last = scores.at(-1)
        const attendance = last?.parts.find((p) => p.signal === 'attendance')
        return {
          userId,
          name: names.get(userId) ?? '',
          ...verdict,
          scores: scores.map((s) => ({ sessionId: s.sessionId, endedAt: s.endedAt, score: s.score })),
          lastAttendance: attendance?.value ?? null,
          lastAttendanceStatus: (attendance?.detail.status as string | undefined) ?? null,
          lastParts: last?.parts ?? [],
        }
      })
      .sort((a, b) => Number(b.atRisk) - Number(a.atRisk) || (a.mean ?? 101) - (b.mean ?? 101))
  }

  return {
    /** After class: every student's score with the signals that made it (the class's teacher, admins). */
    async session({ auth, params }: HttpContext) {
      const user = auth.getUserOrFail()
      const { id } = await idParam.validate({ id: params.sessionId })
      const info = await classToReview(host, user, id)
      const rows = (await db.from('engagement_scores').where('class_session_id', info.id)).map(toScoreView)
      const names = new Map((await host.directory.users(user.schoolId, rows.map((r) => r.userId))).map((u) => [u.id, u.fullName]))
      return {
        session: { id: info.id, title: info.title, status: info.status, endedAt: info.endedAt },
        scores: rows.map((r) => ({ ...r, name: names.get(r.userId) ?? '' })).sort((a, b) => a.name.localeCompare(b.name)),
      }
    },

    /** One student's scores over time (per class, with course) — admins, their teachers, themselves, their parents. */
    async student({ auth, params }: HttpContext) {
      const user = auth.getUserOrFail()
      const { id } = await idParam.validate({ id: params.userId })
      const { student, courseIds } = await readableStudent(host, user, id)
      const query = db.from('engagement_scores').where({ school_id: user.schoolId, user_id: student.id }).orderBy('ended_at_ms', 'asc')
      if (courseIds) query.whereIn('course_id', courseIds)
      const rows = (await query.limit(500)).map(toScoreView)
      const courses = await host.directory.courses(user.schoolId, { ids: [...new Set(rows.map((r) => r.courseId))] })
      return { student: { id: student.id, name: student.fullName }, courses: courses.map((c) => ({ id: c.id, name: c.name })), scores: rows }
    },

    /** The students a user may look at: a student themself, a parent their children (for the dashboard cards). */
    async mine({ auth }: HttpContext) {
      const user = auth.getUserOrFail()
      const settings = await settingsFor(user.schoolId)
      if (user.role === 'student') return { students: settings.studentsSeeOwn ? [{ id: user.id, name: user.fullName }] : [] }
      if (user.role === 'parent' && settings.parentsSeeChild) {
        return { students: (await host.directory.childrenOf(user.schoolId, user.id)).map((c) => ({ id: c.id, name: c.fullName })) }
      }
      return { students: [] }
    },

    /** Recently ended classes with stored scores: a teacher's own courses, or the whole school for an admin. */
    async classes({ auth }: HttpContext) {
      const user = auth.getUserOrFail()
      if (user.role !== 'admin' && user.role !== 'teacher') throw forbidden()
      const courses = await host.directory.courses(user.schoolId, user.role === 'admin' ? {} : { teacherId: user.id })
      if (!courses.length) return { classes: [] }
      const from = new Date(Date.now() - 30 * 24 * 3600_000)
      const ended = await host.classes.ended({ from, to: new Date(Date.now() + 1000), schoolId: user.schoolId, courseIds: courses.map((c) => c.id) })
      const scored = new Set(
        (await db.from('engagement_scores').whereIn('class_session_id', ended.map((c) => c.id)).distinct('class_session_id')).map((r) =>
          Number(r.class_session_id)
        )
      )
      const names = new Map(courses.map((c) => [c.id, c.name]))
      return {
        classes: ended
          .filter((c) => scored.has(c.id))
          .reverse()
          .slice(0, 30)
          .map((c) => ({ id: c.id, title: c.title, courseName: names.get(c.courseId) ?? '', endedAt: c.endedAt })),
      }
    },

    async atRisk({ auth }: HttpContext) {
      const user = auth.getUserOrFail()
      requireAdmin(user)
      const settings = await settingsFor(user.schoolId)
      // The attendance plugin's student page, linked by URL (never imported) while it is switched on.
      const attendanceLinks = await host.plugins.isEnabled(user.schoolId, 'attendance')
      return { threshold: settings.atRiskThreshold, window: settings.atRiskWindow, attendanceLinks, students: await riskRows(user.schoolId) }
    },

    async exportAtRisk({ auth, params, response }: HttpContext) {
      const user = auth.getUserOrFail()
      requireAdmin(user)
      const { format } = await exportParam.validate({ format: params.format })
      const rows = await riskRows(user.schoolId)
      const date = new Date().toISOString().slice(0, 10)
      response.header('Content-Disposition', `attachment; filename="engagement-at-risk-${date}.${format}"`)
      response.header('Cache-Control', 'no-store')
      if (format === 'csv') {
        response.header('Content-Type', 'text/csv; charset=utf-8')
        return response.send(toCsv(rows))
      }
      response.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      return response.send(await toXlsx(rows))
    },
  }
}
