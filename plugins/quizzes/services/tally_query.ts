import db from '@adonisjs/lucid/services/db'
import type QuizRun from '../models/quiz_run.js'
import { buildTally, type TallyRow } from '../tally.js'

const parseIds = (value: unknown): string[] => (typeof value === 'string' ? JSON.parse(value) : ((value as string[]) ?? []))
const toBool = (value: unknown) => (value === null || value === undefined ? null : Boolean(value))
const toNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value))

/** The answers of a launched question, with names for named questions only. */
export async function loadTallyRows(run: QuizRun): Promise<TallyRow[]> {
  const query = db.from('quiz_answers').where('quiz_answers.quiz_run_id', run.id).orderBy('quiz_answers.id')
  if (run.anonymous) query.select('quiz_answers.*')
  else query.leftJoin('users', 'users.id', 'quiz_answers.user_id').select('quiz_answers.*', 'users.full_name as full_name')
  const rows = await query
  return rows.map((row) => ({
    userId: run.anonymous ? null : toNumber(row.user_id),
    fullName: run.anonymous ? null : (row.full_name ?? null),
    optionIds: parseIds(row.option_ids),
    text: row.text ?? null,
    textKey: row.text_key ?? null,
    correct: toBool(row.correct),
    responseMs: toNumber(row.response_ms),
    answeredAtMs: toNumber(row.answered_at_ms),
    version: Number(row.version),
  }))
}

export async function tallyOf(run: QuizRun) {
  return buildTally({ id: run.id, anonymous: run.anonymous, question: run.question }, await loadTallyRows(run))
}
