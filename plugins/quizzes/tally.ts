/* Pure aggregation of stored answers into the teacher's tally and the students' revealed results. */
import type { Question } from './shared/questions.js'
import type { AnswerGroup, OptionCount, ResponseView, RevealedResults, Tally } from './events.js'

export interface TallyRow {
  userId: number | null
  fullName: string | null
  optionIds: string[]
  text: string | null
  textKey: string | null
  correct: boolean | null
  responseMs: number | null
  answeredAtMs: number | null
  version: number
}

export interface TallyRun {
  id: number
  anonymous: boolean
  question: Question
}

const REVEALED_GROUPS = 10

function optionCounts(question: Question, rows: TallyRow[]): OptionCount[] {
  return question.options.map((option) => ({
    id: option.id,
    label: option.label,
    count: rows.filter((row) => row.optionIds.includes(option.id)).length,
    correct: question.correct.includes(option.id),
  }))
}

function groups(rows: TallyRow[], withNames: boolean): AnswerGroup[] {
  const byKey = new Map<string, AnswerGroup>()
  for (const row of rows) {
    if (row.textKey === null) continue
    const group = byKey.get(row.textKey) ?? { key: row.textKey, text: row.text ?? row.textKey, count: 0, correct: row.correct, names: [] }
    group.count++
    if (withNames && row.fullName) group.names.push(row.fullName)
    byKey.set(row.textKey, group)
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
}

export function answerLabel(question: Question, row: Pick<TallyRow, 'optionIds' | 'text'>) {
  if (question.type === 'short') return row.text ?? ''
  return row.optionIds.map((id) => question.options.find((o) => o.id === id)?.label ?? id).join(', ')
}

export function buildTally(run: TallyRun, rows: TallyRow[]): Tally {
  const timed = rows.map((r) => r.responseMs).filter((ms): ms is number => ms !== null)
  const responses: ResponseView[] | null = run.anonymous
    ? null
    : rows
        .filter((row) => row.userId !== null)
        .map((row) => ({
          userId: row.userId!,
          fullName: row.fullName ?? 'Student',
          answer: answerLabel(run.question, row),
          correct: row.correct,
          responseMs: row.responseMs,
        }))
        .sort((a, b) => (a.responseMs ?? Infinity) - (b.responseMs ?? Infinity))
  return {
    runId: run.id,
    revision: rows.reduce((sum, row) => sum + row.version, 0),
    total: rows.length,
    correctCount: rows.filter((row) => row.correct === true).length,
    options: run.question.type === 'short' ? [] : optionCounts(run.question, rows),
    groups: run.question.type === 'short' ? groups(rows, !run.anonymous) : [],
    responses,
    averageResponseMs: timed.length ? Math.round(timed.reduce((a, b) => a + b, 0) / timed.length) : null,
  }
}

/** What students may see after the reveal: counts and the answer key, never names. */
export function buildResults(run: TallyRun, tally: Tally): RevealedResults {
  return {
    runId: run.id,
    prompt: run.question.prompt,
    type: run.question.type,
    total: tally.total,
    correctCount: tally.correctCount,
    hasCorrectAnswer: run.question.correct.length > 0 || run.question.accepted.length > 0,
    options: tally.options,
    groups: tally.groups.slice(0, REVEALED_GROUPS).map(({ text, count, correct }) => ({ text, count, correct })),
    accepted: run.question.accepted,
  }
}
