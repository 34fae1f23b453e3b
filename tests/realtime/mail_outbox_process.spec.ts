import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { enqueueMail } from '#app/mail/outbox'
import { createSchool } from '#tests/helpers/fixtures'
import { startAppProcess } from '#tests/helpers/app_process'
import { startSmtpServer } from '#tests/helpers/smtp'
import { eventually } from '#tests/helpers/poll'

test.group('Mail outbox: web processes', () => {
  test('mail queued while SMTP is off waits; a web process started with SMTP sends it once', async ({ assert }) => {
    const smtp = await startSmtpServer()
    const { school, parent } = await createSchool()
    const key = `test:later:${school.id}`
    await enqueueMail({ key, schoolId: school.id, source: 'test', to: { address: parent.email, name: parent.fullName }, subject: 'Queued while SMTP was off', text: 'Hello later' })
    const [row] = await db.from('mail_outbox').where('idempotency_key', key)
    assert.equal(row.status, 'pending', 'this process has no SMTP and sends nothing')
    // Mail other tests left waiting (hundreds, from a large course's threshold sweep) is held back, or the
    // new process would send that backlog first (oldest first) and this test would depend on what ran before.
    const heldUntil = Date.now() + 3600_000
    await db.from('mail_outbox').where('status', 'pending').whereNot('idempotency_key', key).update({ next_attempt_at_ms: heldUntil })

    const web = await startAppProcess({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'school@test.aula', MAIL_OUTBOX_POLL_MS: '200' },
    })
    try {
      const [mail] = await smtp.waitFor(1, (m) => m.subject === 'Queued while SMTP was off')
      assert.equal(mail.text?.trim(), 'Hello later')
      assert.equal(mail.from?.value[0].address, 'school@test.aula')
      assert.equal(`<${mail.messageId?.replace(/^<|>$/g, '')}>`, row.message_id)
      await eventually('the row is marked sent', async () => (await db.from('mail_outbox').where('idempotency_key', key).first()).status === 'sent')
    } finally {
      await web.kill()
      await smtp.stop()
      await db.from('mail_outbox').where('status', 'pending').where('next_attempt_at_ms', heldUntil).update({ next_attempt_at_ms: Date.now() })
    }
    assert.lengthOf(smtp.messages.filter((m) => m.subject === 'Queued while SMTP was off'), 1)
  })
})
