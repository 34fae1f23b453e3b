import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import vine from '@vinejs/vine'
import OutboxMail from '#app/mail/models/outbox_mail'
import { findInSchool } from '#app/core/scoped'
import { sqlTimestamp } from '#app/core/sql_timestamp'

const PAGE_SIZE = 50
const filterValidator = vine.compile(
  vine.object({
    status: vine.enum(['all', 'pending', 'sending', 'sent', 'failed'] as const).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/** The school's mail outbox for admins: what is waiting, sent or failed, and each message as sent. */
export default class MailOutboxController {
  async index({ auth, inertia, request }: HttpContext) {
    const admin = auth.getUserOrFail()
    const filter = await filterValidator.validate(request.qs())
    const status = filter.status ?? 'all'
    const page = filter.page ?? 1
    const query = OutboxMail.query().where('school_id', admin.schoolId).orderBy('id', 'desc')
    if (status !== 'all') query.where('status', status)
    const rows = await query.paginate(page, PAGE_SIZE)
    const counts = await db
      .from('mail_outbox')
      .where('school_id', admin.schoolId)
      .groupBy('status')
      .select('status')
      .count('* as total')
    const outbox = await app.container.make('mail.outbox')
    return inertia.render('admin/mail', {
      smtpConfigured: outbox.smtpConfigured,
      status,
      page,
      lastPage: rows.lastPage,
      counts: Object.fromEntries(counts.map((row) => [row.status, Number(row.total)])),
      messages: rows.all().map((mail) => mail.toListItem()),
    })
  }

  /** One message as it is (or will be) sent: plain text, HTML, attachments' names and sizes. */
  async show({ auth, params }: HttpContext) {
    const admin = auth.getUserOrFail()
    const mail = await findInSchool(OutboxMail, params.id, admin.schoolId)
    const attachments = await db
      .from('mail_outbox_attachments')
      .where('mail_id', mail.id)
      .orderBy('id')
      .select('filename', 'content_type', db.raw('length(content) as size'))
    return {
      message: {
        ...mail.toListItem(),
        text: mail.textBody,
        html: mail.htmlBody,
        messageId: mail.messageId,
        attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.content_type, size: Number(a.size) })),
      },
    }
  }

  /** Puts a failed message back in the queue with a fresh set of attempts. */
  async retry({ auth, params, request, response, session, i18n }: HttpContext) {
    const admin = auth.getUserOrFail()
    const mail = await findInSchool(OutboxMail, params.id, admin.schoolId)
    if (mail.status !== 'failed') {
      return response.conflict({ errors: [{ message: 'Only failed messages can be retried' }] })
    }
    await db
      .from('mail_outbox')
      .where({ id: mail.id, status: 'failed' })
      .update({ status: 'pending', attempts: 0, next_attempt_at_ms: Date.now(), last_error: null, updated_at: sqlTimestamp() })
    ;(await app.container.make('mail.outbox')).sender?.kick()
    if (request.accepts(['html', 'json']) === 'json') return { ok: true }
    session.flash('success', i18n.t('core.flash.mailQueued'))
    return response.redirect().back()
  }
}
