import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { WbBackground, WbElement, WbPage } from '../events.js'
import { json } from './columns.js'

export default class WhiteboardPage extends BaseModel {
  static table = 'whiteboard_pages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare classSessionId: number

  @column()
  declare schoolId: number

  @column()
  declare room: string

  @column()
  declare pageKey: string

  @column()
  declare position: number

  @column()
  declare title: string

  @column(json<WbBackground | null>())
  declare background: WbBackground | null

  @column(json<WbElement[]>())
  declare elements: WbElement[]

  @column()
  declare elementCount: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  toPage(): WbPage {
    return { id: this.pageKey, title: this.title, position: this.position, background: this.background }
  }
}
