import { DateTime } from 'luxon'
import { BaseModel, column, belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#app/users/models/user'
import Course from '#app/courses/models/course'

export type ClassStatus = 'scheduled' | 'live' | 'ended'

export default class ClassSession extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare schoolId: number

  @column()
  declare courseId: number

  @column()
  declare teacherId: number

  @column()
  declare title: string

  @column()
  declare status: ClassStatus

  @column.dateTime()
  declare scheduledAt: DateTime | null

  @column()
  declare durationMinutes: number

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare endedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => Course)
  declare course: BelongsTo<typeof Course>

  @belongsTo(() => User, { foreignKey: 'teacherId' })
  declare teacher: BelongsTo<typeof User>

  get isLive() {
    return this.status === 'live'
  }

  toSummary() {
    return {
      id: this.id,
      title: this.title,
      status: this.status,
      courseId: this.courseId,
      courseName: this.course?.name ?? null,
      teacherId: this.teacherId,
      teacherName: this.teacher?.fullName ?? null,
      scheduledAt: this.scheduledAt?.toISO() ?? null,
      durationMinutes: this.durationMinutes,
      startedAt: this.startedAt?.toISO() ?? null,
      endedAt: this.endedAt?.toISO() ?? null,
    }
  }
}
