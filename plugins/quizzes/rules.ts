/*
| Pure answer rules of a launched question (unit-tested). Times are epoch
| milliseconds taken from the server's clock, never from the client.
*/
import { LIMITS, type Question } from './shared/questions.js'

export interface RunTiming {
  status: 'open' | 'closed'
  openedAtMs: number
  closesAtMs: number | null
}

export interface AnswerInput {
  optionIds?: string[]
  text?: string
}

export interface NormalisedAnswer {
  optionIds: string[]
  text: string | null
  /** Grouping key of a short answer (see normaliseText). */
  textKey: string | null
}

/** When a question stops taking answers: on close, or at its time limit (whichever comes first). */
export function isAcceptingAnswers(run: RunTiming, nowMs: number) {
  return answerRefusal(run, nowMs) === null
}

/** Why an answer received at nowMs is refused, or null when it is accepted. */
export function answerRefusal(run: RunTiming, nowMs: number): string | null {
  if (run.status !== 'open') return 'The question is closed'
  if (run.closesAtMs !== null && nowMs >= run.closesAtMs) return 'Time is up for this question'
  return null
}

/** Deadline of a question opened at openedAtMs with a limit in seconds. */
export function closesAt(openedAtMs: number, timeLimitSeconds: number | null) {
  return timeLimitSeconds ? openedAtMs + timeLimitSeconds * 1000 : null
}

/**
 * Server-measured response time: from the moment the question was shown to this
 * student (the launch, or their late arrival) to the moment the answer arrived.
 */
export function responseMs(openedAtMs: number, receivedAtMs: number, shownToStudentAtMs?: number | null) {
  const shown = Math.max(openedAtMs, shownToStudentAtMs ?? openedAtMs)
  return Math.max(0, Math.round(receivedAtMs - shown))
}

/** Short answers are grouped and compared by this key: case, spacing and surrounding punctuation ignored. */
export function normaliseText(text: string) {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    // Quotes and brackets around the answer, and closing punctuation, do not count; signs and decimal points do.
    .replace(/^[\s¡¿'"«»“”‘’(\[]+/, '')
    .replace(/[\s.,;:!?'"«»“”‘’)\]]+$/, '')
    .slice(0, LIMITS.answerText)
}

export class AnswerShapeError extends Error {}

/** Checks an answer against the question (known option ids, one or several, text or not). */
export function normaliseAnswer(question: Pick<Question, 'type' | 'options'>, input: AnswerInput): NormalisedAnswer {
  if (question.type === 'short') {
    if (input.optionIds?.length) throw new AnswerShapeError('This question takes a written answer')
    const text = (input.text ?? '').replace(/\s+/g, ' ').trim()
    if (!text) throw new AnswerShapeError('Write an answer first')
    if (text.length > LIMITS.answerText) throw new AnswerShapeError(`Answers are limited to ${LIMITS.answerText} characters`)
    const textKey = normaliseText(text) || text.toLowerCase()
    return { optionIds: [], text, textKey }
  }

  if (input.text !== undefined) throw new AnswerShapeError('This question takes a choice, not text')
  const chosen = [...new Set(input.optionIds ?? [])]
  if (!chosen.length) throw new AnswerShapeError('Choose an answer first')
  const known = new Set(question.options.map((o) => o.id))
  const unknown = chosen.find((id) => !known.has(id))
  if (unknown !== undefined) throw new AnswerShapeError(`Unknown option "${unknown}"`)
  if (question.type !== 'multiple' && chosen.length !== 1) throw new AnswerShapeError('Choose exactly one answer')
  const order = question.options.map((o) => o.id)
  return { optionIds: chosen.sort((a, b) => order.indexOf(a) - order.indexOf(b)), text: null, textKey: null }
}

/** true / false, or null when the question has no correct answer (a poll, or an unmarked short answer). */
export function grade(question: Pick<Question, 'type' | 'correct' | 'accepted'>, answer: NormalisedAnswer): boolean | null {
  if (question.type === 'short') {
    if (!question.accepted.length || answer.textKey === null) return null
    return question.accepted.some((accepted) => normaliseText(accepted) === answer.textKey)
  }
  if (!question.correct.length) return null
  const chosen = new Set(answer.optionIds)
  return chosen.size === question.correct.length && question.correct.every((id) => chosen.has(id))
}
