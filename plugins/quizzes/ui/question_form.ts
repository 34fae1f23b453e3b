/* The editable form of a question, shared by the instant poll and the quiz builder. */
import { normaliseQuestion, QuestionError, toInput, type Question, type QuestionInput, type QuestionType } from '../shared/questions'

export interface EditableQuestion {
  type: QuestionType
  prompt: string
  options: { label: string; correct: boolean }[]
  statementIsTrue: boolean | null
  accepted: string[]
  timeLimitSeconds: number | null
}

export function blankQuestion(type: QuestionType = 'single'): EditableQuestion {
  return {
    type,
    prompt: '',
    options: [
      { label: '', correct: false },
      { label: '', correct: false },
      { label: '', correct: false },
    ],
    statementIsTrue: null,
    accepted: [],
    timeLimitSeconds: null,
  }
}

export function editable(question: Question): EditableQuestion {
  const input = toInput(question)
  const blank = blankQuestion(question.type)
  return {
    type: question.type,
    prompt: question.prompt,
    options: input.options?.length ? input.options.map((o) => ({ label: o.label, correct: o.correct === true })) : blank.options,
    statementIsTrue: input.statementIsTrue ?? null,
    accepted: input.accepted ?? [],
    timeLimitSeconds: question.timeLimitSeconds,
  }
}

/** What the server expects for this type (fields of other types dropped, empty options left out). */
export function toPayload(q: EditableQuestion): QuestionInput {
  const base = { type: q.type, prompt: q.prompt.trim(), timeLimitSeconds: q.timeLimitSeconds || null }
  switch (q.type) {
    case 'single':
    case 'multiple':
      return { ...base, options: q.options.filter((o) => o.label.trim()).map((o) => ({ label: o.label.trim(), correct: o.correct })) }
    case 'truefalse':
      return { ...base, statementIsTrue: q.statementIsTrue }
    case 'short':
      return { ...base, accepted: q.accepted.map((a) => a.trim()).filter(Boolean) }
  }
}

/** The same checks as the server, to explain a problem before sending. */
/** What is wrong with a question, in the UI's language (`t` from useI18n), or null. */
export function problemWith(q: EditableQuestion, t: (key: string, params?: Record<string, unknown>) => string): string | null {
  if (!q.prompt.trim()) return t('quizzes.problems.writeFirst')
  try {
    normaliseQuestion(toPayload(q))
    return null
  } catch (error) {
    if (error instanceof QuestionError) return t(`quizzes.problems.${error.key}`, error.params)
    throw error
  }
}
