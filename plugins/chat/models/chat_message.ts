import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { ChatMessageView } from '../events.js'

export default class ChatMessage extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare room: string

  @column()
  declare userId: number

  @column()
  declare authorName: string

  @column()
  declare authorRole: 'teacher' | 'student'

  @column()
  declare body: string

  @column.dateTime()
  declare deletedAt: DateTime | null

  @column()
  declare deletedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  toView(): ChatMessageView {
    return {
      id: this.id,
      userId: this.userId,
      authorName: this.authorName,
      authorRole: this.authorRole,
      body: this.body,
      room: this.room,
      at: this.createdAt.toISO()!,
    }
  }
}
