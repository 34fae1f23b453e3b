import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed'

const epochMs = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
}

/** One e-mail in the durable outbox (see database/migrations/…_create_mail_outbox.ts). */
export default class OutboxMail extends BaseModel {
  static table = 'mail_outbox'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare idempotencyKey: string

  @column()
  declare schoolId: number | null

  @column()
  declare source: string

  @column()
  declare toAddress: string

  @column()
  declare toName: string | null

  @column()
  declare subject: string

  @column()
  declare textBody: string

  @column()
  declare htmlBody: string | null

  @column()
  declare status: OutboxStatus

  @column()
  declare attempts: number

  @column(epochMs)
  declare nextAttemptAtMs: number

  @column()
  declare claimToken: string | null

  @column(epochMs)
  declare claimedUntilMs: number | null

  @column()
  declare lastError: string | null

  @column()
  declare messageId: string

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null

  toListItem() {
    return {
      id: this.id,
      source: this.source,
      to: this.toName ? `${this.toName} <${this.toAddress}>` : this.toAddress,
      subject: this.subject,
      status: this.status,
      attempts: this.attempts,
      lastError: this.lastError,
      nextAttemptAt: this.status === 'pending' ? new Date(this.nextAttemptAtMs).toISOString() : null,
      createdAt: this.createdAt.toISO(),
      sentAt: this.sentAt?.toISO() ?? null,
    }
  }
}
