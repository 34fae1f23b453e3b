import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { Question } from '../shared/questions.js'
import type { QuizSummary } from '../events.js'
import { json } from './columns.js'

/** A prepared quiz of a course, reusable across its classes. */
export default class Quiz extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare schoolId: number

  @column()
  declare courseId: number

  @column()
  declare title: string

  @column(json<Question[]>())
  declare questions: Question[]

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  toSummary(): QuizSummary {
    return {
      id: this.id,
      courseId: this.courseId,
      title: this.title,
      questions: this.questions,
      updatedAt: (this.updatedAt ?? this.createdAt).toISO()!,
    }
  }
}
