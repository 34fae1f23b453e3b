import db from '@adonisjs/lucid/services/db'
import { RealtimeError, type SocketSession, type SocketUser } from '#app/plugins/api'
import QuizRun from '../models/quiz_run.js'
import { answerRefusal, AnswerShapeError, grade, normaliseAnswer, responseMs, type AnswerInput } from '../rules.js'
import { respondentKey } from '../anonymity.js'
import type { Clock, QuizHost, RunService } from './run_service.js'
import { appKey } from './app_key.js'
import '../events.js'

/** Changes are welcome, a flood is not (each one is a database write and a tally). */
const MAX_ANSWERS_PER_MINUTE = 30

/**
 * Students' answers. One row per (question, respondent): the first answer inserts
 * it, a change before the close replaces it (one atomic upsert, so two processes
 * cannot both "accept once"). The response time is measured here, on the server.
 */
export class AnswerService {
  constructor(
    private host: QuizHost,
    private runs: RunService,
    private now: Clock = Date.now
  ) {}

  async answer(session: SocketSession, user: SocketUser, payload: AnswerInput & { runId: number }) {
    const receivedAtMs = this.now()
    const run = await QuizRun.query().where({ id: payload.runId, classSessionId: session.id }).first()
    if (!run) throw new RealtimeError('not_found', 'Question not found')
    this.runs.watch(session.id)
    const refusal = answerRefusal(run, receivedAtMs)
    if (refusal) throw new RealtimeError('conflict', refusal)

    const attempts = await this.host.state.incr(`answers:${run.id}:${user.id}`, 60_000)
    if (attempts > MAX_ANSWERS_PER_MINUTE) {
      throw new RealtimeError('rate_limited', 'You are changing your answer too often; wait a moment')
    }

    let answer
    try {
      answer = normaliseAnswer(run, { optionIds: payload.optionIds, text: payload.text })
    } catch (error) {
      if (error instanceof AnswerShapeError) throw new RealtimeError('invalid', error.message)
      throw error
    }
    const correct = grade(run, answer)
    const shownAtMs = run.anonymous ? null : await this.runs.shown.get(run.id, user.id)
    const ms = responseMs(run.openedAtMs, receivedAtMs, shownAtMs)

    const stored = {
      option_ids: JSON.stringify(answer.optionIds),
      text: answer.text,
      text_key: answer.textKey,
      correct,
      // Anonymous polls keep no timing: it could help link an answer to a student.
      response_ms: run.anonymous ? null : ms,
      answered_at_ms: run.anonymous ? null : receivedAtMs,
    }
    const [row] = await db
      .knexQuery()
      .table('quiz_answers')
      .insert({
        quiz_run_id: run.id,
        respondent_key: respondentKey(run, user.id, appKey()),
        user_id: run.anonymous ? null : user.id,
        version: 1,
        ...stored,
      })
      .onConflict(['quiz_run_id', 'respondent_key'])
      .merge({ ...stored, version: db.knexRawQuery('quiz_answers.version + 1') })
      .returning(['version'])
    const replaced = Number(row.version) > 1

    this.runs.tallies.schedule(run)
    await this.host.events.emit('quizzes:answered', {
      sessionId: run.classSessionId,
      schoolId: run.schoolId,
      courseId: run.courseId,
      runId: run.id,
      questionType: run.type,
      userId: run.anonymous ? null : user.id,
      responseMs: ms,
      correct,
      replaced,
    })
    // The first answer's server-measured time is what engagement scores; a change of mind is not a new answer.
    if (!run.anonymous && !replaced) {
      await this.runs.activity(run, { kind: 'quiz_answered', userId: user.id, questionKey: String(run.id), responseMs: ms }, receivedAtMs)
    }
    return { replaced, responseMs: ms }
  }
}
