import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { parseStoredJson } from '#app/core/payload_guard'

export interface BreakoutRoomDefinition {
  key: string
  name: string
}

export default class BreakoutRound extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare status: 'open' | 'closed'

  @column()
  declare strategy: 'random' | 'groups' | 'manual' | 'self'

  @column({
    prepare: (value: BreakoutRoomDefinition[]) => JSON.stringify(value),
    consume: (value: string) => parseStoredJson<BreakoutRoomDefinition[]>(value),
  })
  declare rooms: BreakoutRoomDefinition[]

  @column.dateTime()
  declare endsAt: DateTime

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare closedAt: DateTime | null
}
