import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'
import type { InferMailers } from '@adonisjs/mail/types'

/*
| Outgoing mail (@adonisjs/mail, nodemailer inside). Every message goes through the durable
| outbox (app/mail/outbox.ts); the outbox sender hands it to this SMTP mailer. SMTP is optional:
| without SMTP_HOST (the embedded default) nothing is sent and messages wait in the outbox, which
| admins read under /admin/mail; they go out once SMTP is configured.
*/
export const smtpHost = env.get('SMTP_HOST') || null
const smtpPort = env.get('SMTP_PORT') ?? 587
const user = env.get('SMTP_USER')
const password = env.get('SMTP_PASSWORD')

export const mailFrom = { address: env.get('MAIL_FROM') || 'aula@localhost', name: 'Aula' }

/** How the outbox sender works; the timings are overridable for tests. */
export const outboxConfig = {
  /** How often each web process looks for due messages (it also wakes up when it queues one). */
  pollMs: env.get('MAIL_OUTBOX_POLL_MS') ?? 5_000,
  /** First retry delay; doubles with each failed attempt up to retryMaxMs. */
  retryBaseMs: env.get('MAIL_RETRY_BASE_MS') ?? 30_000,
  retryMaxMs: 60 * 60_000,
  /** After this many failed attempts a message is marked failed (an admin can retry it). */
  maxAttempts: 12,
  /** A claimed message is someone else's for this long; far longer than the SMTP timeouts below. */
  leaseMs: 2 * 60_000,
  batchSize: 20,
}

const mailConfig = defineConfig({
  default: 'smtp',
  from: mailFrom,
  mailers: {
    smtp: transports.smtp({
      host: smtpHost ?? '127.0.0.1',
      port: smtpPort,
      secure: smtpPort === 465,
      auth: user ? { type: 'login', user, pass: password ?? '' } : undefined,
      // Passed through to nodemailer: a dead server must fail fast so the outbox retries later.
      ...({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as object),
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
