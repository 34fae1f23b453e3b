import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import QuizRun from '../models/quiz_run.js'
import { courseToManage, notFound, sessionToReview } from '../access.js'
import { exportRows, sessionsById, summariesOf } from '../services/results.js'
import { toCsv, toXlsx } from '../export.js'

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .toLowerCase()
    .slice(0, 60) || 'results'

/** CSV / XLSX downloads of the answers of one class or of a whole course. */
export default class ExportsController {
  async session({ auth, params, response }: HttpContext) {
    const session = await sessionToReview(auth.getUserOrFail(), params.sessionId)
    const runs = await QuizRun.query().where('class_session_id', session.id).orderBy('id', 'asc')
    return this.#send(response, params.format, runs, `quiz-results-${slug(session.title)}`, session.title)
  }

  async course({ auth, params, response }: HttpContext) {
    const course = await courseToManage(auth.getUserOrFail(), params.courseId)
    const runs = await QuizRun.query().where('course_id', course.id).orderBy('class_session_id', 'asc').orderBy('id', 'asc')
    return this.#send(response, params.format, runs, `quiz-results-${slug(course.name)}`, course.name)
  }

  async #send(response: HttpContext['response'], format: string, runs: QuizRun[], base: string, title: string) {
    if (format !== 'csv' && format !== 'xlsx') throw notFound()
    const rows = await exportRows(runs, await sessionsById([...new Set(runs.map((r) => r.classSessionId))]))
    const filename = `${base}-${DateTime.now().toFormat('yyyy-LL-dd')}.${format}`
    response.header('Content-Disposition', `attachment; filename="${filename}"`)
    response.header('Cache-Control', 'no-store')
    if (format === 'csv') {
      response.header('Content-Type', 'text/csv; charset=utf-8')
      return response.send(toCsv(rows))
    }
    response.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    return response.send(await toXlsx(rows, await summariesOf(runs), title))
  }
}
