import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class RecordingChapter extends BaseModel {
  static table = 'recording_chapters'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare recordingId: number

  @column({ consume: (value) => Number(value) })
  declare atMs: number

  @column()
  declare title: string

  @column()
  declare pageKey: string | null
}
