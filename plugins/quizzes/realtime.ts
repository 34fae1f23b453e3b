import Quiz from './models/quiz.js'
import type { QuizHost, RunService } from './services/run_service.js'
import type { AnswerService } from './services/answer_service.js'
import { answerValidator, emptyValidator, launchValidator, markValidator, runValidator } from './validators.js'
import './events.js'

const KB = 1024

export function registerQuizHandlers(host: QuizHost, runs: RunService, answers: AnswerService) {
  const { realtime } = host

  realtime.on('quizzes:state', {
    validator: emptyValidator,
    handle: ({ session, user }) => runs.state(session, user),
  })

  realtime.on('quizzes:library', {
    roles: ['teacher'],
    validator: emptyValidator,
    async handle({ session }) {
      const quizzes = await Quiz.query().where({ courseId: session.courseId, schoolId: session.schoolId }).orderBy('title')
      return { quizzes: quizzes.map((quiz) => quiz.toSummary()) }
    },
  })

  realtime.on('quizzes:launch', {
    roles: ['teacher'],
    maxBytes: 32 * KB,
    validator: launchValidator,
    handle: ({ payload, session, user }) => runs.launch(session, user, payload),
  })

  realtime.on('quizzes:answer', {
    roles: ['student'],
    maxBytes: 4 * KB,
    validator: answerValidator,
    handle: ({ payload, session, user }) => answers.answer(session, user, payload),
  })

  realtime.on('quizzes:close', {
    roles: ['teacher'],
    validator: runValidator,
    async handle({ payload, session }) {
      const run = await runs.find(session.id, payload.runId)
      await runs.close(run)
      return { run: (await runs.find(session.id, run.id)).toTeacherView() }
    },
  })

  realtime.on('quizzes:reveal', {
    roles: ['teacher'],
    validator: runValidator,
    async handle({ payload, session }) {
      return { results: await runs.reveal(await runs.find(session.id, payload.runId)) }
    },
  })

  realtime.on('quizzes:mark', {
    roles: ['teacher'],
    maxBytes: 4 * KB,
    validator: markValidator,
    async handle({ payload, session }) {
      return { tally: await runs.mark(await runs.find(session.id, payload.runId), payload.key, payload.correct) }
    },
  })
}
