/*
| Question definitions: what a teacher writes (QuestionInput) and what is stored
| and launched (Question). Pure code, shared by the server and the Vue parts.
*/
export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'short'] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]

export const TYPE_LABELS: Record<QuestionType, string> = {
  single: 'Multiple choice — one answer',
  multiple: 'Multiple choice — several answers',
  truefalse: 'True / false',
  short: 'Short answer',
}

/** For badges. */
export const TYPE_BADGES: Record<QuestionType, string> = {
  single: 'One answer',
  multiple: 'Several answers',
  truefalse: 'True / false',
  short: 'Short answer',
}

export const LIMITS = {
  prompt: 500,
  optionLabel: 200,
  minOptions: 2,
  maxOptions: 10,
  accepted: 20,
  answerText: 500,
  questionsPerQuiz: 50,
  title: 120,
  minTimeLimit: 5,
  maxTimeLimit: 3600,
} as const

export interface QuestionOption {
  id: string
  label: string
}

/** What the quiz builder and the instant-poll form send. */
export interface QuestionInput {
  type: QuestionType
  prompt: string
  /** Choice questions: the options, in order; `correct` marks the right ones (none: an opinion poll). */
  options?: { label: string; correct?: boolean }[]
  /** True/false questions: whether the statement is true (absent: no correct answer). */
  statementIsTrue?: boolean | null
  /** Short answers: accepted answers (compared case- and space-insensitively). */
  accepted?: string[]
  /** Seconds to answer; null or absent: no limit (or the school default when launched). */
  timeLimitSeconds?: number | null
}

/** A normalised question, as stored in a quiz and snapshotted into each launch. */
export interface Question {
  type: QuestionType
  prompt: string
  options: QuestionOption[]
  /** Ids of the correct options (choice questions); empty: no correct answer. */
  correct: string[]
  /** Accepted short answers, as the teacher wrote them. */
  accepted: string[]
  timeLimitSeconds: number | null
}

/** A refused question; `key` names its text in the quizzes catalogue (ui/locales, `problems.<key>`). */
export class QuestionError extends Error {
  constructor(
    message: string,
    public key: 'empty' | 'fewOptions' | 'manyOptions' | 'emptyOption' | 'oneCorrect' = 'empty',
    public params: Record<string, number> = {}
  ) {
    super(message)
  }
}

const OPTION_IDS = 'abcdefghij'.split('')
export const TRUE_FALSE_OPTIONS: QuestionOption[] = [
  { id: 'true', label: 'True' },
  { id: 'false', label: 'False' },
]

export const isChoice = (type: QuestionType) => type !== 'short'

/** Checks the rules Vine cannot express and builds the stored question. */
export function normaliseQuestion(input: QuestionInput): Question {
  const prompt = input.prompt.trim()
  if (!prompt) throw new QuestionError('The question is empty', 'empty')
  const timeLimitSeconds = input.timeLimitSeconds ?? null
  const base = { type: input.type, prompt, timeLimitSeconds }

  switch (input.type) {
    case 'truefalse':
      return {
        ...base,
        options: TRUE_FALSE_OPTIONS,
        correct: typeof input.statementIsTrue === 'boolean' ? [String(input.statementIsTrue)] : [],
        accepted: [],
      }
    case 'short': {
      const accepted: string[] = []
      for (const text of input.accepted ?? []) {
        const trimmed = text.trim()
        if (trimmed && !accepted.some((a) => a.toLowerCase() === trimmed.toLowerCase())) accepted.push(trimmed)
      }
      return { ...base, options: [], correct: [], accepted }
    }
    case 'single':
    case 'multiple': {
      const options = (input.options ?? []).map((o) => ({ label: o.label.trim(), correct: o.correct === true }))
      if (options.length < LIMITS.minOptions) throw new QuestionError(`Give at least ${LIMITS.minOptions} options`, 'fewOptions', { count: LIMITS.minOptions })
      if (options.length > LIMITS.maxOptions) throw new QuestionError(`At most ${LIMITS.maxOptions} options`, 'manyOptions', { count: LIMITS.maxOptions })
      if (options.some((o) => !o.label)) throw new QuestionError('Options cannot be empty', 'emptyOption')
      const correct = options.flatMap((o, index) => (o.correct ? [OPTION_IDS[index]] : []))
      if (input.type === 'single' && correct.length > 1) {
        throw new QuestionError('A one-answer question has at most one correct option', 'oneCorrect')
      }
      return {
        ...base,
        options: options.map((o, index) => ({ id: OPTION_IDS[index], label: o.label })),
        correct,
        accepted: [],
      }
    }
  }
}

/** The builder form of a stored question (inverse of normaliseQuestion). */
export function toInput(question: Question): QuestionInput {
  return {
    type: question.type,
    prompt: question.prompt,
    options: question.type === 'single' || question.type === 'multiple'
      ? question.options.map((o) => ({ label: o.label, correct: question.correct.includes(o.id) }))
      : [],
    statementIsTrue: question.type === 'truefalse' && question.correct.length ? question.correct[0] === 'true' : null,
    accepted: [...question.accepted],
    timeLimitSeconds: question.timeLimitSeconds,
  }
}

export const hasCorrectAnswer = (question: Pick<Question, 'correct' | 'accepted'>) =>
  question.correct.length > 0 || question.accepted.length > 0
