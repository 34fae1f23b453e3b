import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, belongsTo, manyToMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, ManyToMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import School from '#app/schools/models/school'
import type { Role } from '#app/users/roles'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare schoolId: number

  @column()
  declare fullName: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: Role

  /** Incremented to end all of the user's sessions (see app/users/session_version.ts). */
  @column({ serializeAs: null })
  declare sessionVersion: number

  /** The user's chosen language ('en', 'de'); null follows the browser (and English for e-mails). */
  @column()
  declare locale: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  @belongsTo(() => School)
  declare school: BelongsTo<typeof School>

  /** For parents: the students they are linked to. */
  @manyToMany(() => User, {
    pivotTable: 'parent_students',
    pivotForeignKey: 'parent_id',
    pivotRelatedForeignKey: 'student_id',
  })
  declare children: ManyToMany<typeof User>

  /** For students: their linked parents. */
  @manyToMany(() => User, {
    pivotTable: 'parent_students',
    pivotForeignKey: 'student_id',
    pivotRelatedForeignKey: 'parent_id',
  })
  declare parents: ManyToMany<typeof User>

  get initials() {
    return this.fullName
      .split(/\s+/)
      .map((part) => part[0])
      .join('')
      .slice(0, 2)
      .toUpperCase()
  }

  toSummary() {
    return { id: this.id, fullName: this.fullName, email: this.email, role: this.role }
  }
}
