import mail from '@adonisjs/mail/services/main'
import type { MailerContract, MailTransportContract } from '@adonisjs/mail/types'
import { mailFrom } from '#config/mail'
import type { ClaimedMail } from '#app/mail/outbox_sender'

/** Delivery of outbox messages through an @adonisjs/mail mailer. */
export function mailerDelivery(mailer: () => MailerContract<MailTransportContract>) {
  return async (outgoing: ClaimedMail) => {
    await mailer().send((message) => {
      message.from(mailFrom.address, mailFrom.name)
      message.to(outgoing.to.address, outgoing.to.name ?? undefined)
      message.subject(outgoing.subject)
      message.messageId(outgoing.messageId)
      message.header('X-Aula-Outbox-Id', String(outgoing.id))
      message.text(outgoing.text)
      if (outgoing.html) message.html(outgoing.html)
      for (const attachment of outgoing.attachments) {
        message.attachData(attachment.content, { filename: attachment.filename, contentType: attachment.contentType })
      }
    })
  }
}

/** The configured SMTP mailer (config/mail.ts). */
export const deliverOverSmtp = mailerDelivery(() => mail.use('smtp'))
