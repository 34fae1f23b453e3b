import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type RecordingState = 'recording' | 'processing' | 'ready' | 'failed'

export default class Recording extends BaseModel {
  static table = 'recordings'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare schoolId: number

  @column()
  declare courseId: number

  @column()
  declare recordingKey: string

  @column()
  declare title: string

  @column()
  declare state: RecordingState

  @column()
  declare failureReason: string | null

  @column()
  declare width: number

  @column()
  declare height: number

  @column.dateTime()
  declare startedAt: DateTime

  @column.dateTime()
  declare endedAt: DateTime | null

  @column.dateTime()
  declare readyAt: DateTime | null

  @column()
  declare durationMs: number | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare sizeBytes: number | null

  @column()
  declare partCount: number | null

  @column.dateTime()
  declare leaseUntil: DateTime | null

  @column()
  declare attempts: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  get roomKey() {
    return `s${this.classSessionId}:main`
  }
}
