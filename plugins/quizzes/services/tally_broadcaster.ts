import type { PluginHost } from '#app/plugins/api'
import type QuizRun from '../models/quiz_run.js'
import { tallyOf } from './tally_query.js'
import '../events.js'

/**
 * Sends the live tally to the class's teachers. Bursts of answers on one process
 * share one query (a short trailing delay); every tally is a full snapshot from the
 * database with a growing revision, so tallies sent by different processes can
 * arrive in any order and the teacher keeps the newest.
 */
export class TallyBroadcaster {
  #pending = new Map<number, NodeJS.Timeout>()

  constructor(
    private host: PluginHost<any>,
    private delayMs = 120
  ) {}

  schedule(run: QuizRun) {
    if (this.#pending.has(run.id)) return
    const timer = setTimeout(() => {
      this.#pending.delete(run.id)
      this.send(run).catch((error) => this.host.logger.error({ err: error }, 'quiz tally broadcast failed'))
    }, this.delayMs)
    timer.unref()
    this.#pending.set(run.id, timer)
  }

  async send(run: QuizRun) {
    const tally = await tallyOf(run)
    this.host.realtime.toTeachers(run.classSessionId).emit('quizzes:tally', { tally })
    return tally
  }
}
