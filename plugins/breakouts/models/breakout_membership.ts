import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class BreakoutMembership extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare breakoutRoundId: number

  @column()
  declare userId: number

  @column()
  declare roomKey: string

  @column.dateTime()
  declare joinedAt: DateTime

  @column.dateTime()
  declare leftAt: DateTime | null
}
