import vine from '@vinejs/vine'
import { LIMITS, QUESTION_TYPES } from './shared/questions.js'

const id = () => vine.number().withoutDecimals().positive()
const timeLimit = () => vine.number().withoutDecimals().min(LIMITS.minTimeLimit).max(LIMITS.maxTimeLimit).nullable().optional()

/** A question as written in the builder or the instant-poll form (normaliseQuestion checks the rest). */
const question = () =>
  vine.object({
    type: vine.enum(QUESTION_TYPES),
    prompt: vine.string().trim().minLength(1).maxLength(LIMITS.prompt),
    options: vine
      .array(
        vine.object({
          label: vine.string().trim().minLength(1).maxLength(LIMITS.optionLabel),
          correct: vine.boolean({ strict: true }).optional(),
        })
      )
      .maxLength(LIMITS.maxOptions)
      .optional(),
    statementIsTrue: vine.boolean({ strict: true }).nullable().optional(),
    accepted: vine.array(vine.string().trim().minLength(1).maxLength(LIMITS.optionLabel)).maxLength(LIMITS.accepted).optional(),
    timeLimitSeconds: timeLimit(),
  })

/* HTTP: the quiz builder. */
export const quizValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(1).maxLength(LIMITS.title),
    questions: vine.array(question()).minLength(1).maxLength(LIMITS.questionsPerQuiz),
  })
)

/* Realtime payloads. */
export const emptyValidator = vine.compile(vine.object({}))

export const launchValidator = vine.compile(
  vine.object({
    quizId: id().optional(),
    questionIndex: vine.number().withoutDecimals().min(0).max(LIMITS.questionsPerQuiz - 1).optional(),
    question: question().optional(),
    anonymous: vine.boolean({ strict: true }).optional(),
    timeLimitSeconds: timeLimit(),
  })
)

export const answerValidator = vine.compile(
  vine.object({
    runId: id(),
    optionIds: vine
      .array(vine.string().regex(/^[a-z]{1,8}$/))
      .minLength(1)
      .maxLength(LIMITS.maxOptions)
      .optional(),
    text: vine.string().maxLength(LIMITS.answerText).optional(),
  })
)

export const runValidator = vine.compile(vine.object({ runId: id() }))

export const markValidator = vine.compile(
  vine.object({
    runId: id(),
    key: vine.string().minLength(1).maxLength(LIMITS.answerText),
    correct: vine.boolean({ strict: true }),
  })
)
