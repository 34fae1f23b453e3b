import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A slide image rendered from an uploaded PDF deck. */
export default class WhiteboardFile extends BaseModel {
  static table = 'whiteboard_files'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare fileKey: string

  @column()
  declare classSessionId: number

  @column()
  declare schoolId: number

  @column()
  declare path: string

  @column()
  declare mimeType: string

  @column()
  declare width: number

  @column()
  declare height: number

  @column()
  declare bytes: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
