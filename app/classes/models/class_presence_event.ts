import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { parseStoredJson } from '#app/core/payload_guard'

export type PresenceEventType = 'joined' | 'left' | 'hand_raised' | 'hand_lowered' | 'reaction'

export default class ClassPresenceEvent extends BaseModel {
  static table = 'class_presence_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare userId: number

  @column()
  declare type: PresenceEventType

  @column({
    prepare: (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value)),
    consume: (value: string | null) => (value ? parseStoredJson(value) : null),
  })
  declare data: Record<string, unknown> | null

  @column.dateTime()
  declare occurredAt: DateTime
}
