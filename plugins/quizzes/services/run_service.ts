import { RealtimeError, type ActivitySignal, type PluginHost, type SocketSession, type SocketUser } from '#app/plugins/api'
import Quiz from '../models/quiz.js'
import QuizRun from '../models/quiz_run.js'
import QuizAnswer from '../models/quiz_answer.js'
import { normaliseQuestion, QuestionError, type Question } from '../shared/questions.js'
import { closesAt, grade, normaliseText } from '../rules.js'
import { newSalt, respondentKey } from '../anonymity.js'
import { buildResults } from '../tally.js'
import type { LaunchPayload, MyAnswer, QuizState, RevealedResults, Tally } from '../events.js'
import type { quizSettings } from '../settings.js'
import { tallyOf } from './tally_query.js'
import { TallyBroadcaster } from './tally_broadcaster.js'
import { ShownTimes } from './shown_times.js'
import { appKey } from './app_key.js'
import '../events.js'

export type QuizHost = PluginHost<typeof quizSettings>
export type Clock = () => number

const affected = (result: unknown) => Number(Array.isArray(result) ? result[0] : result)

/**
 * Launched questions of a class: launch, close (by the teacher, on time-out or when
 * the class ends), reveal, marking short answers, and the state a (re)joining
 * participant needs. The database is authoritative, so any app process can serve
 * any request.
 */
export class RunService {
  readonly shown: ShownTimes
  readonly tallies: TallyBroadcaster
  /** Classes this process has seen quiz traffic for: the only ones its sweep looks at. */
  #watched = new Set<number>()

  constructor(
    private host: QuizHost,
    private now: Clock = Date.now
  ) {
    this.shown = new ShownTimes(host.state)
    this.tallies = new TallyBroadcaster(host)
  }

  latest(sessionId: number) {
    return QuizRun.query().where('class_session_id', sessionId).orderBy('id', 'desc').first()
  }

  async find(sessionId: number, runId: number) {
    const run = await QuizRun.query().where({ id: runId, classSessionId: sessionId }).first()
    if (!run) throw new RealtimeError('not_found', 'Question not found')
    return run
  }

  async #questionFor(session: SocketSession, payload: LaunchPayload) {
    if (payload.quizId !== undefined) {
      const quiz = await Quiz.query().where({ id: payload.quizId, courseId: session.courseId, schoolId: session.schoolId }).first()
      if (!quiz) throw new RealtimeError('not_found', 'Quiz not found in this course')
      const index = payload.questionIndex ?? 0
      const question = quiz.questions[index]
      if (!question) throw new RealtimeError('not_found', `The quiz has no question ${index + 1}`)
      return { question, quiz, index }
    }
    if (!payload.question) throw new RealtimeError('invalid', 'Choose a quiz question or write a poll question')
    try {
      return { question: normaliseQuestion(payload.question), quiz: null, index: null }
    } catch (error) {
      if (error instanceof QuestionError) throw new RealtimeError('invalid', error.message)
      throw error
    }
  }

  async launch(session: SocketSession, user: SocketUser, payload: LaunchPayload) {
    this.watch(session.id)
    const settings = await this.host.settings.forSchool(session.schoolId)
    const anonymous = payload.anonymous === true
    if (anonymous && !settings.allowAnonymous) {
      throw new RealtimeError('forbidden', 'Your school does not allow anonymous polls')
    }
    const { question, quiz, index } = await this.#questionFor(session, payload)
    const timeLimitSeconds =
      payload.timeLimitSeconds !== undefined
        ? payload.timeLimitSeconds
        : (question.timeLimitSeconds ?? (settings.defaultTimeLimitSeconds || null))

    for (const open of await QuizRun.query().where({ classSessionId: session.id, status: 'open' })) await this.close(open)

    const openedAtMs = this.now()
    const run = await QuizRun.create({
      classSessionId: session.id,
      schoolId: session.schoolId,
      courseId: session.courseId,
      quizId: quiz?.id ?? null,
      questionIndex: index,
      questionCount: quiz ? quiz.questions.length : null,
      quizTitle: quiz?.title ?? null,
      type: question.type,
      prompt: question.prompt,
      options: question.options,
      correct: question.correct,
      accepted: question.accepted,
      anonymous,
      timeLimitSeconds,
      status: 'open',
      openedAtMs,
      closesAtMs: closesAt(openedAtMs, timeLimitSeconds),
      closedAtMs: null,
      revealedAtMs: null,
      anonSalt: anonymous ? newSalt() : null,
      launchedBy: user.id,
    })

    this.host.realtime.toSession(session.id).emit('quizzes:launched', { run: run.toView(openedAtMs), serverNow: new Date(openedAtMs).toISOString() })
    if (!anonymous) {
      try {
        const students = (await this.host.realtime.participants(session.id)).filter((p) => p.role === 'student')
        await this.shown.markPresent(run.id, students.map((s) => s.userId), openedAtMs)
      } catch (error) {
        // Only fairness for late arrivals depends on this; everyone is then timed from the launch.
        this.host.logger.warn({ err: error }, 'could not record who saw the question at launch')
      }
    }
    await this.host.events.emit('quizzes:launched', {
      ...this.#signal(run),
      quizId: run.quizId,
      anonymous,
      launchedBy: user.id,
    })
    // Anonymous polls keep no timing and no names, so they are no engagement signal.
    if (!anonymous) await this.activity(run, { kind: 'quiz_opened', questionKey: String(run.id) }, openedAtMs)
    return { run: run.toTeacherView(this.now()), tally: await this.tallies.send(run) }
  }

  /** Publishes an engagement signal (app/classes/activity_signals.ts) about a question of this class. */
  activity(run: QuizRun, signal: ActivitySignal, atMs: number) {
    return this.host.events.emit('activity:signal', {
      sessionId: run.classSessionId,
      schoolId: run.schoolId,
      courseId: run.courseId,
      at: new Date(atMs).toISOString(),
      ...signal,
    })
  }

  #signal(run: QuizRun) {
    return { sessionId: run.classSessionId, schoolId: run.schoolId, courseId: run.courseId, runId: run.id, questionType: run.type }
  }

  /**
   * Closes a question exactly once, even when processes race (conditional update).
   * A timed-out question is recorded as closed at its deadline. The anonymous salt
   * is erased here: from now on anonymous answers cannot be linked to anyone.
   */
  async close(run: QuizRun) {
    const now = this.now()
    const closedAtMs = run.closesAtMs !== null ? Math.min(now, run.closesAtMs) : now
    const changed = await QuizRun.query()
      .where({ id: run.id, status: 'open' })
      .update({ status: 'closed', closed_at_ms: closedAtMs, anon_salt: null })
    if (affected(changed) === 0) return false
    run.merge({ status: 'closed', closedAtMs, anonSalt: null })

    this.host.realtime.toSession(run.classSessionId).emit('quizzes:closed', { runId: run.id, closedAt: new Date(closedAtMs).toISOString() })
    await this.shown.clear(run.id)
    const tally = await this.tallies.send(run)
    await this.host.events.emit('quizzes:closed', { ...this.#signal(run), answers: tally.total, correct: tally.correctCount })
    if (!run.anonymous) await this.activity(run, { kind: 'quiz_closed', questionKey: String(run.id) }, closedAtMs)

    const settings = await this.host.settings.forSchool(run.schoolId)
    if (settings.studentResults === 'close') await this.#reveal(run, tally)
    return true
  }

  async reveal(run: QuizRun) {
    const settings = await this.host.settings.forSchool(run.schoolId)
    if (settings.studentResults === 'never') {
      throw new RealtimeError('forbidden', 'Your school does not show results to students')
    }
    if (run.status === 'open') await this.close(run)
    return this.#reveal(run, await tallyOf(run))
  }

  async #reveal(run: QuizRun, tally: Tally): Promise<RevealedResults> {
    const revealedAtMs = run.revealedAtMs ?? this.now()
    if (run.revealedAtMs === null) {
      await QuizRun.query().where('id', run.id).whereNull('revealed_at_ms').update({ revealed_at_ms: revealedAtMs })
      run.revealedAtMs = revealedAtMs
    }
    const results = buildResults({ id: run.id, anonymous: run.anonymous, question: run.question }, tally)
    this.host.realtime.toSession(run.classSessionId).emit('quizzes:revealed', { results })
    return results
  }

  /** The teacher marks one group of short answers right (or not); every answer of the question is re-graded. */
  async mark(run: QuizRun, key: string, correct: boolean) {
    if (run.type !== 'short') throw new RealtimeError('invalid', 'Only short answers are marked by hand')
    const sample = await QuizAnswer.query().where({ quizRunId: run.id, textKey: key }).first()
    if (!sample) throw new RealtimeError('not_found', 'No answer with that text')

    const others = run.accepted.filter((accepted) => normaliseText(accepted) !== key)
    run.accepted = correct ? [...others, sample.text ?? key] : others
    await run.save()

    const question: Question = run.question
    const changes: { userId: number | null; correct: boolean | null }[] = []
    for (const answer of await QuizAnswer.query().where('quiz_run_id', run.id)) {
      const next = grade(question, { optionIds: [], text: answer.text, textKey: answer.textKey })
      if (next === answer.correct) continue
      await QuizAnswer.query()
        .where('id', answer.id)
        .update({ correct: next, version: answer.version + 1 })
      changes.push({ userId: answer.userId, correct: next })
    }
    const tally = await this.tallies.send(run)
    if (changes.length) await this.host.events.emit('quizzes:graded', { ...this.#signal(run), changes })
    if (run.revealedAtMs !== null) await this.#reveal(run, tally)
    return tally
  }

  /** What a participant needs after (re)joining: the current question, their answer, the tally or the results. */
  async state(session: SocketSession, user: SocketUser): Promise<QuizState> {
    this.watch(session.id)
    const now = this.now()
    let run = await this.latest(session.id)
    if (run && run.status === 'open' && run.isOver(now)) {
      await this.close(run)
      run = await QuizRun.findOrFail(run.id)
    }
    const serverNow = new Date(now).toISOString()
    if (!run) return { run: null, tally: null, myAnswer: null, results: null, serverNow }

    const revealed = run.revealedAtMs !== null
    const results = revealed ? buildResults({ id: run.id, anonymous: run.anonymous, question: run.question }, await tallyOf(run)) : null
    if (session.role === 'teacher') {
      return { run: run.toTeacherView(now), tally: await tallyOf(run), myAnswer: null, results, serverNow }
    }
    if (run.status === 'open' && !run.anonymous) await this.shown.markIfAbsent(run.id, user.id, now)
    return { run: run.toView(now), tally: null, myAnswer: await this.#myAnswer(run, user.id), results, serverNow }
  }

  async #myAnswer(run: QuizRun, userId: number): Promise<MyAnswer | null> {
    if (run.anonymous && !run.anonSalt) return null
    const answer = await QuizAnswer.query()
      .where({ quizRunId: run.id, respondentKey: respondentKey(run, userId, appKey()) })
      .first()
    if (!answer) return null
    return {
      runId: run.id,
      optionIds: answer.optionIds,
      text: answer.text,
      correct: run.revealedAtMs !== null ? answer.correct : null,
    }
  }

  watch(sessionId: number) {
    this.#watched.add(sessionId)
  }

  /**
   * Closes every open question whose time is up. Runs on every process, each for
   * the classes it serves and has seen quiz traffic for (the teacher's process at
   * least); closing is a conditional update, so a question closes once. Answers
   * never depend on this sweep: they are checked against the stored deadline.
   */
  async closeExpired() {
    for (const id of this.#watched) if (!this.host.realtime.servesSession(id)) this.#watched.delete(id)
    if (!this.#watched.size) return
    const due = await QuizRun.query()
      .whereIn('class_session_id', [...this.#watched])
      .where('status', 'open')
      .whereNotNull('closes_at_ms')
      .where('closes_at_ms', '<=', this.now())
    for (const run of due) await this.close(run)
  }

  async closeAllOf(sessionId: number) {
    for (const run of await QuizRun.query().where({ classSessionId: sessionId, status: 'open' })) await this.close(run)
  }
}
