import { DateTime } from 'luxon'
import { BaseModel, column, belongsTo, manyToMany, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, ManyToMany, HasMany } from '@adonisjs/lucid/types/relations'
import User from '#app/users/models/user'
import StudentGroup from '#app/courses/models/student_group'

export default class Course extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare schoolId: number

  @column()
  declare teacherId: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => User, { foreignKey: 'teacherId' })
  declare teacher: BelongsTo<typeof User>

  @manyToMany(() => User, {
    pivotTable: 'course_enrollments',
    pivotForeignKey: 'course_id',
    pivotRelatedForeignKey: 'student_id',
  })
  declare students: ManyToMany<typeof User>

  @hasMany(() => StudentGroup)
  declare groups: HasMany<typeof StudentGroup>
}
