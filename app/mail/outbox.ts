import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { mailFrom } from '#config/mail'
import { sqlTimestamp } from '#app/core/sql_timestamp'

/*
| Queueing mail exactly once. A message is identified by its idempotency key (e.g. "attendance:
| threshold:<school>:<student>:<period>:<recipient>"): queueing the same key again — from another
| app process, a retry or after a restart — is a no-op, so the key is what makes "once" hold.
| Delivery is the outbox sender's job (app/mail/outbox_sender.ts).
*/
export interface MailAttachment {
  filename: string
  contentType: string
  content: Buffer
}

export interface OutgoingMail {
  /** Unique per message that must go out once; at most 191 characters. */
  key: string
  /** Who sees it in the admin outbox (null: platform mail, shown to no school). */
  schoolId: number | null
  /** Who queued it: 'core' or a plugin id. */
  source: string
  to: { address: string; name?: string | null }
  subject: string
  text: string
  html?: string | null
  attachments?: MailAttachment[]
}

export class OutboxError extends Error {}

/** A Message-ID derived from the key: a duplicate delivery, should one ever happen, is recognisable. */
export function messageIdFor(key: string) {
  const domain = mailFrom.address.split('@')[1] || 'aula.local'
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`
}

const listeners = new Set<() => void>()
/** Called after a message is queued on this process (the local sender wakes up). */
export function onMailQueued(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Queues a message unless one with the same key exists. Returns whether this call queued it. */
export async function enqueueMail(mail: OutgoingMail): Promise<{ queued: boolean }> {
  if (!mail.key || mail.key.length > 191) throw new OutboxError('The idempotency key must be 1 to 191 characters')
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mail.to.address)) throw new OutboxError(`Not an e-mail address: ${mail.to.address}`)
  const now = DateTime.now()
  const queued = await db.transaction(async (trx) => {
    // Lucid's insert builder has no onConflict(); knex's does (PostgreSQL and SQLite both support it).
    const inserted = await trx
      .knexQuery()
      .table('mail_outbox')
      .insert({
        idempotency_key: mail.key,
        school_id: mail.schoolId,
        source: mail.source,
        to_address: mail.to.address,
        to_name: mail.to.name ?? null,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html ?? null,
        status: 'pending',
        attempts: 0,
        next_attempt_at_ms: now.toMillis(),
        message_id: messageIdFor(mail.key),
        created_at: sqlTimestamp(now),
        updated_at: sqlTimestamp(now),
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning('id')
    if (!inserted.length) return false
    const id = typeof inserted[0] === 'object' ? inserted[0].id : inserted[0]
    for (const attachment of mail.attachments ?? []) {
      await trx.table('mail_outbox_attachments').insert({
        mail_id: id,
        filename: attachment.filename,
        content_type: attachment.contentType,
        content: attachment.content,
      })
    }
    return true
  })
  if (queued) listeners.forEach((listener) => listener())
  return { queued }
}

/** Whether a message with this key was ever queued (whatever its state). */
export async function isMailQueued(key: string) {
  return Boolean(await db.from('mail_outbox').where('idempotency_key', key).select('id').first())
}
