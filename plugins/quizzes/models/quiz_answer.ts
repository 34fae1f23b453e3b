import { BaseModel, column } from '@adonisjs/lucid/orm'
import { bool, epochMs, json } from './columns.js'

/**
 * One student's answer to one launched question. For anonymous polls userId,
 * responseMs and answeredAtMs are null and respondentKey is an unlinkable hash.
 */
export default class QuizAnswer extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare quizRunId: number

  @column()
  declare respondentKey: string

  @column()
  declare userId: number | null

  @column(json<string[]>())
  declare optionIds: string[]

  @column()
  declare text: string | null

  @column()
  declare textKey: string | null

  @column(bool)
  declare correct: boolean | null

  @column()
  declare responseMs: number | null

  @column(epochMs)
  declare answeredAtMs: number | null

  @column()
  declare version: number
}
