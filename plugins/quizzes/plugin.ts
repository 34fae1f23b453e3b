import { definePlugin } from '#app/plugins/api'
import { quizSettings } from './settings.js'
import { registerQuizHandlers } from './realtime.js'
import { registerQuizRoutes } from './routes.js'
import { RunService } from './services/run_service.js'
import { AnswerService } from './services/answer_service.js'
import './events.js'

const SWEEP_MS = 1000

export default definePlugin({
  manifest: {
    id: 'quizzes',
    name: 'Quizzes & polls',
    description:
      'Live quizzes and instant polls in class: multiple choice, true/false and short answers, a live chart, response times, anonymous polls and CSV/XLSX results.',
    version: '1.0.0',
    settings: quizSettings,
    permissions: ['realtime:session', 'db:own-tables', 'events:lifecycle', 'http:routes', 'ui:classroom', 'ui:dashboard'],
  },
  setup(host) {
    const runs = new RunService(host)
    const answers = new AnswerService(host, runs)
    registerQuizHandlers(host, runs, answers)
    registerQuizRoutes(host)

    host.events.on('class:ended', ({ sessionId }) => runs.closeAllOf(sessionId))

    /* Time limits are enforced on every answer from stored deadlines; this sweep only announces the close. */
    const timer = setInterval(() => {
      runs.closeExpired().catch((error) => host.logger.error({ err: error }, 'quiz sweep failed'))
    }, SWEEP_MS)
    timer.unref()
    // A sweep after the database closed would reopen its pool and keep the process alive.
    host.onShutdown(() => clearInterval(timer))
  },
})
