import { DateTime } from 'luxon'
import { BaseModel, column, belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#app/users/models/user'
import { parseStoredJson } from '#app/core/payload_guard'

const json = {
  prepare: (value: unknown) => JSON.stringify(value ?? {}),
  consume: (value: string) => parseStoredJson(value || '{}'),
}

export default class PluginSettingsAudit extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare schoolId: number

  @column()
  declare pluginId: string

  @column()
  declare userId: number | null

  @column(json)
  declare oldValue: { enabled: boolean; settings: Record<string, unknown> }

  @column(json)
  declare newValue: { enabled: boolean; settings: Record<string, unknown> }

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
