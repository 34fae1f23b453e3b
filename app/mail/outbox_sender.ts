import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { Logger } from '@adonisjs/core/logger'
import type { MailAttachment } from '#app/mail/outbox'
import { sqlTimestamp } from '#app/core/sql_timestamp'

/*
| Sends what the outbox holds. Any number of app processes run a sender; a row is claimed with a
| conditional UPDATE (pending and due, or a claim whose lease expired) that only one of them can
| win — PostgreSQL re-checks the condition under the row lock, SQLite serialises writers — and the
| result is written back only by the claim's holder. A failure puts the row back with exponential
| backoff; after maxAttempts (or an SMTP 5xx refusal, which retrying cannot fix) it is 'failed'
| and an admin can retry it.
|
| The lease is far longer than the SMTP timeouts, so a row is sent twice only if a process dies
| after the SMTP server accepted the message and before the row was marked sent; such a resend
| carries the same Message-ID.
*/
export interface ClaimedMail {
  id: number
  key: string
  messageId: string
  to: { address: string; name: string | null }
  subject: string
  text: string
  html: string | null
  attachments: MailAttachment[]
  attempts: number
}

export interface OutboxSenderOptions {
  deliver: (mail: ClaimedMail) => Promise<void>
  logger: Pick<Logger, 'info' | 'warn' | 'error'>
  pollMs: number
  retryBaseMs: number
  retryMaxMs: number
  maxAttempts: number
  leaseMs: number
  batchSize: number
}

/** Delay before attempt n+1 after n failed attempts: base · 2^(n-1), capped, ±10 % jitter. */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random = Math.random) {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1))
  return Math.round(exponential * (0.9 + 0.2 * random()))
}

/** SMTP 5xx answers are permanent refusals (unknown mailbox, policy); anything else may pass later. */
export function isPermanentFailure(error: unknown) {
  const code = (error as { responseCode?: number })?.responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}

const claimable = (now: number) => (query: any) =>
  query
    .where((q: any) => q.where('status', 'pending').where('next_attempt_at_ms', '<=', now))
    .orWhere((q: any) => q.where('status', 'sending').where('claimed_until_ms', '<', now))

export class OutboxSender {
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #again = false
  #stopped = true

  constructor(private options: OutboxSenderOptions) {}

  start() {
    if (!this.#stopped) return
    this.#stopped = false
    this.kick()
  }

  /** Looks for due messages now (e.g. right after one was queued on this process). */
  kick() {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#running = this.drain()
      .then(() => undefined)
      .catch((error) => this.options.logger.error({ err: error }, 'mail outbox: sending failed'))
      .finally(() => {
        this.#running = null
        if (this.#stopped) return
        if (this.#again) {
          this.#again = false
          this.kick()
        } else {
          this.#timer = setTimeout(() => this.kick(), this.options.pollMs)
          this.#timer.unref()
        }
      })
  }

  async stop() {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  /** Sends batches until nothing is due. Returns how many messages this call handled. */
  async drain() {
    let handled = 0
    for (;;) {
      const batch = await this.claim()
      if (!batch.length) return handled
      for (const mail of batch) await this.#send(mail)
      handled += batch.length
    }
  }

  /** Claims up to batchSize due messages for this process. */
  async claim(): Promise<(ClaimedMail & { token: string })[]> {
    const now = Date.now()
    const candidates = await db
      .from('mail_outbox')
      .where(claimable(now))
      .orderBy('id', 'asc')
      .limit(this.options.batchSize)
      .select('id')
    if (!candidates.length) return []
    const ids = candidates.map((row) => row.id)
    const token = randomUUID()
    await db
      .from('mail_outbox')
      .whereIn('id', ids)
      .where(claimable(now))
      .update({
        status: 'sending',
        claim_token: token,
        claimed_until_ms: now + this.options.leaseMs,
        attempts: db.knexRawQuery('attempts + 1'),
        updated_at: sqlTimestamp(),
      })
    const rows = await db.from('mail_outbox').where('claim_token', token).orderBy('id', 'asc')
    if (!rows.length) return []
    const attachments = await db
      .from('mail_outbox_attachments')
      .whereIn('mail_id', rows.map((row) => row.id))
      .orderBy('id', 'asc')
    return rows.map((row) => ({
      id: row.id,
      token,
      key: row.idempotency_key,
      messageId: row.message_id,
      to: { address: row.to_address, name: row.to_name },
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      attempts: Number(row.attempts),
      attachments: attachments
        .filter((a) => a.mail_id === row.id)
        .map((a) => ({ filename: a.filename, contentType: a.content_type, content: Buffer.from(a.content) })),
    }))
  }

  async #send(mail: ClaimedMail & { token: string }) {
    const mine = () => db.from('mail_outbox').where({ id: mail.id, claim_token: mail.token })
    try {
      await this.options.deliver(mail)
    } catch (error) {
      const message = (error as Error)?.message?.slice(0, 1000) || 'unknown error'
      const permanent = isPermanentFailure(error) || mail.attempts >= this.options.maxAttempts
      const delay = retryDelayMs(mail.attempts, this.options.retryBaseMs, this.options.retryMaxMs)
      await mine().update({
        status: permanent ? 'failed' : 'pending',
        claim_token: null,
        claimed_until_ms: null,
        next_attempt_at_ms: Date.now() + delay,
        last_error: message,
        updated_at: sqlTimestamp(),
      })
      this.options.logger.warn({ mailId: mail.id, attempts: mail.attempts, permanent, err: message }, 'mail outbox: delivery failed')
      return
    }
    await mine().update({
      status: 'sent',
      claim_token: null,
      claimed_until_ms: null,
      last_error: null,
      sent_at: sqlTimestamp(),
      updated_at: sqlTimestamp(),
    })
  }
}
