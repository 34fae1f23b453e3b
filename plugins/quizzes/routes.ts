import type { QuizHost } from './services/run_service.js'

const QuizzesController = () => import('./controllers/quizzes_controller.js')
const ResultsController = () => import('./controllers/results_controller.js')
const ExportsController = () => import('./controllers/exports_controller.js')

/** HTTP API of the teacher dashboard card, under /plugins/quizzes (login and plugin-enabled checks by the host). */
export function registerQuizRoutes(host: QuizHost) {
  host.routes.define((router) => {
    router.get('/courses', [QuizzesController, 'courses'])
    router.get('/courses/:courseId/quizzes', [QuizzesController, 'index'])
    router.post('/courses/:courseId/quizzes', [QuizzesController, 'store'])
    router.put('/quizzes/:id', [QuizzesController, 'update'])
    router.delete('/quizzes/:id', [QuizzesController, 'destroy'])

    router.get('/courses/:courseId/results', [ResultsController, 'course'])
    router.get('/sessions/:sessionId/results', [ResultsController, 'session'])

    router.get('/courses/:courseId/export/:format', [ExportsController, 'course']).where('format', /^(csv|xlsx)$/)
    router.get('/sessions/:sessionId/export/:format', [ExportsController, 'session']).where('format', /^(csv|xlsx)$/)
  })
}
