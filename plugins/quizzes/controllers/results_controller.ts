import type { HttpContext } from '@adonisjs/core/http'
import { courseToManage, sessionToReview } from '../access.js'
import { courseResults, sessionResults } from '../services/results.js'

/** Past results: per course (classes with their questions) and per class (full tallies). */
export default class ResultsController {
  async course({ auth, params }: HttpContext) {
    const course = await courseToManage(auth.getUserOrFail(), params.courseId)
    return { course: { id: course.id, name: course.name }, sessions: await courseResults(course.id) }
  }

  async session({ auth, params }: HttpContext) {
    const session = await sessionToReview(auth.getUserOrFail(), params.sessionId)
    return sessionResults(session)
  }
}
