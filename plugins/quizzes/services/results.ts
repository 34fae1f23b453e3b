import db from '@adonisjs/lucid/services/db'
import QuizRun from '../models/quiz_run.js'
import { hasCorrectAnswer, TYPE_LABELS } from '../shared/questions.js'
import { answerLabel } from '../tally.js'
import type { SessionRef } from '../access.js'
import { loadTallyRows, tallyOf } from './tally_query.js'

export interface RunSummary {
  id: number
  classSessionId: number
  quizTitle: string | null
  position: number | null
  prompt: string
  type: string
  anonymous: boolean
  hasCorrectAnswer: boolean
  openedAt: string
  answers: number
  correct: number
  averageResponseMs: number | null
}

export interface ExportRow {
  classTitle: string
  classDate: string
  runId: number
  questionNumber: number
  quizTitle: string
  question: string
  type: string
  anonymous: boolean
  student: string
  answer: string
  correct: boolean | null
  responseSeconds: number | null
  answeredAt: string | null
}

const iso = (ms: number) => new Date(ms).toISOString()

function summarise(run: QuizRun, answers: { correct: unknown; response_ms: unknown }[]): RunSummary {
  const timed = answers.map((a) => a.response_ms).filter((ms) => ms !== null && ms !== undefined).map(Number)
  return {
    id: run.id,
    classSessionId: run.classSessionId,
    quizTitle: run.quizTitle,
    position: run.questionIndex,
    prompt: run.prompt,
    type: run.type,
    anonymous: run.anonymous,
    hasCorrectAnswer: hasCorrectAnswer(run),
    openedAt: iso(run.openedAtMs),
    answers: answers.length,
    correct: answers.filter((a) => Boolean(a.correct)).length,
    averageResponseMs: timed.length ? Math.round(timed.reduce((x, y) => x + y, 0) / timed.length) : null,
  }
}

/** Summaries of launched questions, with their answer counts, in two queries. */
export async function summariesOf(runs: QuizRun[]): Promise<RunSummary[]> {
  if (!runs.length) return []
  const answers = await db
    .from('quiz_answers')
    .whereIn('quiz_run_id', runs.map((r) => r.id))
    .select('quiz_run_id', 'correct', 'response_ms')
  return runs.map((run) => summarise(run, answers.filter((a) => Number(a.quiz_run_id) === run.id)))
}

/** A course's classes that had questions, newest first, each with its question summaries. */
export async function courseResults(courseId: number) {
  const runs = await QuizRun.query().where('course_id', courseId).orderBy('id', 'asc')
  const sessionIds = [...new Set(runs.map((r) => r.classSessionId))]
  const sessions = sessionIds.length
    ? await db.from('class_sessions').whereIn('id', sessionIds).select('id', 'title', 'started_at', 'status')
    : []
  const summaries = await summariesOf(runs)
  return sessions
    .map((s) => ({
      id: Number(s.id),
      title: s.title as string,
      status: s.status as string,
      startedAt: s.started_at ? new Date(s.started_at).toISOString() : null,
      runs: summaries.filter((r) => r.classSessionId === Number(s.id)),
    }))
    .sort((a, b) => b.id - a.id)
}

/** One class's questions with the full tally of each (names only for named questions). */
export async function sessionResults(session: SessionRef) {
  const runs = await QuizRun.query().where('class_session_id', session.id).orderBy('id', 'asc')
  const summaries = await summariesOf(runs)
  return {
    session,
    runs: await Promise.all(
      runs.map(async (run, index) => ({ ...summaries[index], options: run.options, tally: await tallyOf(run) }))
    ),
  }
}

/** One row per answer, for CSV/XLSX. Anonymous answers carry no name and no time. */
export async function exportRows(runs: QuizRun[], sessions: Map<number, { title: string; startedAt: string | null }>) {
  const rows: ExportRow[] = []
  const numberInClass = new Map<number, number>()
  for (const run of runs) {
    const questionNumber = (numberInClass.get(run.classSessionId) ?? 0) + 1
    numberInClass.set(run.classSessionId, questionNumber)
    const session = sessions.get(run.classSessionId)
    const answers = (await loadTallyRows(run)).sort((a, b) => (a.fullName ?? '').localeCompare(b.fullName ?? ''))
    for (const answer of answers) {
      rows.push({
        classTitle: session?.title ?? `Class ${run.classSessionId}`,
        classDate: session?.startedAt ?? iso(run.openedAtMs),
        runId: run.id,
        questionNumber,
        quizTitle: run.quizTitle ?? '',
        question: run.prompt,
        type: TYPE_LABELS[run.type],
        anonymous: run.anonymous,
        student: run.anonymous ? '(anonymous)' : (answer.fullName ?? ''),
        answer: answerLabel(run.question, answer),
        correct: answer.correct,
        responseSeconds: answer.responseMs === null ? null : Math.round(answer.responseMs / 100) / 10,
        answeredAt: answer.answeredAtMs === null ? null : iso(answer.answeredAtMs),
      })
    }
  }
  return rows
}

export async function sessionsById(ids: number[]) {
  const sessions = ids.length ? await db.from('class_sessions').whereIn('id', ids).select('id', 'title', 'started_at') : []
  return new Map(
    sessions.map((s) => [Number(s.id), { title: s.title as string, startedAt: s.started_at ? new Date(s.started_at).toISOString() : null }])
  )
}
