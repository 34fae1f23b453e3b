import type { ApplicationService } from '@adonisjs/core/types'
import { outboxConfig, smtpHost } from '#config/mail'
import { enqueueMail, isMailQueued, onMailQueued, type OutgoingMail } from '#app/mail/outbox'
import { OutboxSender } from '#app/mail/outbox_sender'

export interface MailOutboxService {
  enqueue(mail: OutgoingMail): Promise<{ queued: boolean }>
  isQueued(key: string): Promise<boolean>
  /** Whether SMTP is configured: without it, messages wait in the outbox. */
  smtpConfigured: boolean
  /** This process's sender, when it runs one (web processes with SMTP configured). */
  sender: OutboxSender | null
}

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    'mail.outbox': MailOutboxService
  }
}

/** The durable outbox and, in web processes with SMTP configured, its sender. */
export default class MailOutboxProvider {
  #sender: OutboxSender | null = null

  constructor(protected app: ApplicationService) {}

  register() {
    const currentSender = () => this.#sender
    this.app.container.singleton('mail.outbox', () => ({
      enqueue: enqueueMail,
      isQueued: isMailQueued,
      smtpConfigured: Boolean(smtpHost),
      get sender() {
        return currentSender()
      },
    }))
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web' || !smtpHost) return
    const logger = await this.app.container.make('logger')
    const { deliverOverSmtp } = await import('#app/mail/smtp_delivery')
    const sender = new OutboxSender({ ...outboxConfig, deliver: deliverOverSmtp, logger: logger.child({ service: 'mail-outbox' }) })
    this.#sender = sender
    onMailQueued(() => sender.kick())
    // Stops before the database closes; a message in flight is finished, not abandoned.
    this.app.terminating(() => sender.stop())
    sender.start()
  }
}
