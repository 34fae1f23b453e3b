import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { hasCorrectAnswer, type Question, type QuestionOption, type QuestionType } from '../shared/questions.js'
import type { RunView, TeacherRunView } from '../events.js'
import { bool, epochMs, json } from './columns.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** One launched question in a class (a snapshot: later edits of the quiz do not change it). */
export default class QuizRun extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare schoolId: number

  @column()
  declare courseId: number

  @column()
  declare quizId: number | null

  @column()
  declare questionIndex: number | null

  @column()
  declare questionCount: number | null

  @column()
  declare quizTitle: string | null

  @column()
  declare type: QuestionType

  @column()
  declare prompt: string

  @column(json<QuestionOption[]>())
  declare options: QuestionOption[]

  @column(json<string[]>())
  declare correct: string[]

  @column(json<string[]>())
  declare accepted: string[]

  @column(bool)
  declare anonymous: boolean

  @column()
  declare timeLimitSeconds: number | null

  @column()
  declare status: 'open' | 'closed'

  @column(epochMs)
  declare openedAtMs: number

  @column(epochMs)
  declare closesAtMs: number | null

  @column(epochMs)
  declare closedAtMs: number | null

  @column(epochMs)
  declare revealedAtMs: number | null

  @column({ serializeAs: null })
  declare anonSalt: string | null

  @column()
  declare launchedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get question(): Question {
    return {
      type: this.type,
      prompt: this.prompt,
      options: this.options,
      correct: this.correct,
      accepted: this.accepted,
      timeLimitSeconds: this.timeLimitSeconds,
    }
  }

  /** Closed, or open but past its time limit. */
  isOver(nowMs: number) {
    return this.status === 'closed' || (this.closesAtMs !== null && nowMs >= this.closesAtMs)
  }

  toView(nowMs = Date.now()): RunView {
    const over = this.isOver(nowMs)
    return {
      id: this.id,
      quizId: this.quizId,
      quizTitle: this.quizTitle,
      position: this.questionIndex,
      questionCount: this.questionCount,
      type: this.type,
      prompt: this.prompt,
      options: this.options,
      anonymous: this.anonymous,
      hasCorrectAnswer: hasCorrectAnswer(this),
      timeLimitSeconds: this.timeLimitSeconds,
      status: over ? 'closed' : 'open',
      openedAt: iso(this.openedAtMs)!,
      closesAt: iso(this.closesAtMs),
      closedAt: iso(this.closedAtMs ?? (over ? this.closesAtMs : null)),
      revealed: this.revealedAtMs !== null,
    }
  }

  toTeacherView(nowMs = Date.now()): TeacherRunView {
    return { ...this.toView(nowMs), correct: this.correct, accepted: this.accepted }
  }
}
