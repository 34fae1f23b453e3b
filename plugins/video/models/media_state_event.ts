import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class MediaStateEvent extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare userId: number

  @column()
  declare source: 'mic' | 'camera' | 'screen'

  @column({ consume: (value: unknown) => Boolean(value) })
  declare on: boolean

  @column.dateTime()
  declare occurredAt: DateTime
}
