import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { Mailer } from '@adonisjs/mail'
import { SMTPTransport } from '@adonisjs/mail/transports/smtp'
import { enqueueMail } from '#app/mail/outbox'
import { OutboxSender, type OutboxSenderOptions } from '#app/mail/outbox_sender'
import { mailerDelivery } from '#app/mail/smtp_delivery'
import { createSchool } from '#tests/helpers/fixtures'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp'

const quietLogger = { info() {}, warn() {}, error() {} } as unknown as OutboxSenderOptions['logger']

/** A sender like a web process runs, delivering over real SMTP to the test server. */
function senderFor(smtp: TestSmtpServer, overrides: Partial<OutboxSenderOptions> = {}) {
  const transport = new SMTPTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true })
  const mailer = new Mailer('test', transport, emitter as any)
  return new OutboxSender({
    deliver: mailerDelivery(() => mailer as any),
    logger: quietLogger,
    pollMs: 60_000,
    retryBaseMs: 1,
    retryMaxMs: 10,
    maxAttempts: 5,
    leaseMs: 60_000,
    batchSize: 3,
    ...overrides,
  })
}

const rowsOf = (schoolId: number) => db.from('mail_outbox').where('school_id', schoolId).orderBy('id')
const uniqueKey = (label: string) => `test:${label}:${Math.random().toString(36).slice(2)}`

test.group('Mail outbox', (group) => {
  let smtp: TestSmtpServer
  group.setup(async () => {
    smtp = await startSmtpServer()
    return () => smtp.stop()
  })
  group.each.setup(async () => {
    // Messages other tests queued are not this group's to send: park them.
    await db.from('mail_outbox').where('status', 'pending').update({ next_attempt_at_ms: Date.now() + 365 * 86_400_000 })
  })

  test('queueing the same key twice keeps one message', async ({ assert }) => {
    const { school, students } = await createSchool()
    const key = uniqueKey('once')
    const mail = { key, schoolId: school.id, source: 'test', to: { address: students[0].email }, subject: 'Hi', text: 'Hello' }
    assert.deepEqual(await enqueueMail(mail), { queued: true })
    assert.deepEqual(await enqueueMail({ ...mail, subject: 'Changed' }), { queued: false })
    const rows = await rowsOf(school.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].subject, 'Hi')
    assert.equal(rows[0].status, 'pending')
  })

  test('two senders draining at once deliver every message exactly once, with attachments', async ({ assert }) => {
    const { school } = await createSchool()
    const keys = Array.from({ length: 12 }, (_, i) => uniqueKey(`race-${i}`))
    for (const [i, key] of keys.entries()) {
      await enqueueMail({
        key,
        schoolId: school.id,
        source: 'test',
        to: { address: `race-${i}@test.aula`, name: `Race ${i}` },
        subject: `Race ${i}`,
        text: `Body ${i}`,
        html: `<p>Body ${i}</p>`,
        attachments: i === 0 ? [{ filename: 'report.csv', contentType: 'text/csv', content: Buffer.from('a,b\r\n1,2\r\n') }] : [],
      })
    }
    const before = smtp.messages.length
    const [one, two] = [senderFor(smtp), senderFor(smtp)]
    const handled = await Promise.all([one.drain(), two.drain()])
    assert.equal(handled[0] + handled[1], 12)

    const received = smtp.messages.slice(before)
    assert.lengthOf(received, 12)
    assert.sameMembers(received.map((m) => m.subject), keys.map((_, i) => `Race ${i}`))
    assert.lengthOf(new Set(received.map((m) => m.messageId)), 12)
    const first = received.find((m) => m.subject === 'Race 0')!
    assert.equal(first.text?.trim(), 'Body 0')
    assert.equal(first.attachments[0].filename, 'report.csv')
    assert.equal(first.attachments[0].content.toString(), 'a,b\r\n1,2\r\n')

    const rows = await rowsOf(school.id)
    assert.isTrue(rows.every((r) => r.status === 'sent' && r.claim_token === null && Number(r.attempts) === 1))
    // Nothing is left: a third drain sends nothing more.
    assert.equal(await senderFor(smtp).drain(), 0)
    assert.lengthOf(smtp.messages, before + 12)
  })

  test('a message claimed by a live sender is not taken by another; an expired claim is', async ({ assert }) => {
    const { school } = await createSchool()
    await enqueueMail({ key: uniqueKey('lease'), schoolId: school.id, source: 'test', to: { address: 'lease@test.aula' }, subject: 'Lease', text: 'x' })
    const holder = senderFor(smtp)
    const claimed = await holder.claim()
    assert.lengthOf(claimed, 1)
    assert.lengthOf(await senderFor(smtp).claim(), 0)

    // The holder died without a word: once the lease is over, another process sends it.
    await db.from('mail_outbox').where('id', claimed[0].id).update({ claimed_until_ms: Date.now() - 1 })
    const before = smtp.messages.length
    assert.equal(await senderFor(smtp).drain(), 1)
    assert.lengthOf(smtp.messages, before + 1)
    assert.equal((await rowsOf(school.id))[0].status, 'sent')
  })

  test('an SMTP outage keeps messages pending with backoff; after recovery each is delivered once', async ({ assert }) => {
    const { school } = await createSchool()
    for (let i = 0; i < 3; i++) {
      await enqueueMail({ key: uniqueKey(`outage-${i}`), schoolId: school.id, source: 'test', to: { address: `outage-${i}@test.aula` }, subject: `Outage ${i}`, text: 'x' })
    }
    const sender = senderFor(smtp, { retryBaseMs: 60_000, retryMaxMs: 60_000 })
    await smtp.stop()
    try {
      assert.equal(await sender.drain(), 3)
    } finally {
      await smtp.start()
    }
    let rows = await rowsOf(school.id)
    assert.isTrue(rows.every((r) => r.status === 'pending' && Number(r.attempts) === 1 && r.last_error))
    assert.isTrue(rows.every((r) => Number(r.next_attempt_at_ms) > Date.now() + 30_000), 'retried only after the backoff')
    assert.equal(await sender.drain(), 0, 'nothing is due during the backoff')

    await db.from('mail_outbox').where('school_id', school.id).update({ next_attempt_at_ms: Date.now() })
    const before = smtp.messages.length
    assert.equal(await sender.drain(), 3)
    const received = smtp.messages.slice(before)
    assert.sameMembers(received.map((m) => m.subject), ['Outage 0', 'Outage 1', 'Outage 2'])
    rows = await rowsOf(school.id)
    assert.isTrue(rows.every((r) => r.status === 'sent' && Number(r.attempts) === 2 && r.last_error === null))
  })

  test('a permanent refusal (550) fails the message at once; an admin can queue it again', async ({ assert, client }) => {
    const { school, admin } = await createSchool()
    smtp.refuse.add('nobody@test.aula')
    await enqueueMail({ key: uniqueKey('refused'), schoolId: school.id, source: 'test', to: { address: 'nobody@test.aula' }, subject: 'Refused', text: 'x' })
    await senderFor(smtp).drain()
    const [row] = await rowsOf(school.id)
    assert.equal(row.status, 'failed')
    assert.equal(Number(row.attempts), 1)
    assert.match(row.last_error, /550|unavailable/i)

    smtp.refuse.clear()
    const response = await client.post(`/admin/mail/${row.id}/retry`).loginAs(admin).withCsrfToken().accept('json')
    response.assertStatus(200)
    const [again] = await rowsOf(school.id)
    assert.equal(again.status, 'pending')
    assert.equal(Number(again.attempts), 0)
    const before = smtp.messages.length
    await senderFor(smtp).drain()
    assert.lengthOf(smtp.messages, before + 1)
  })
})

test.group('Mail outbox: admin page', () => {
  test('admins see their school’s messages with the readable text; other schools and other roles see nothing', async ({ assert, client }) => {
    const a = await createSchool()
    const b = await createSchool()
    await enqueueMail({ key: uniqueKey('page-a'), schoolId: a.school.id, source: 'attendance', to: { address: a.parent.email, name: a.parent.fullName }, subject: 'Attendance below 75 %', text: 'Dear Paula,\n\nAmara attended 50 %.' })
    await enqueueMail({ key: uniqueKey('page-b'), schoolId: b.school.id, source: 'attendance', to: { address: b.parent.email }, subject: 'Other school', text: 'secret' })
    const [mine] = await rowsOf(a.school.id)
    const [theirs] = await rowsOf(b.school.id)

    const page = await client.get('/admin/mail').loginAs(a.admin).withInertia()
    page.assertStatus(200)
    const props = page.inertiaProps as any
    assert.isFalse(props.smtpConfigured)
    assert.deepEqual(props.messages.map((m: any) => m.subject), ['Attendance below 75 %'])
    assert.deepEqual(props.counts, { pending: 1 })

    const detail = await client.get(`/admin/mail/${mine.id}`).loginAs(a.admin).accept('json')
    detail.assertStatus(200)
    assert.equal(detail.body().message.text, 'Dear Paula,\n\nAmara attended 50 %.')
    assert.equal(detail.body().message.to, `${a.parent.fullName} <${a.parent.email}>`)

    const other = await client.get(`/admin/mail/${theirs.id}`).loginAs(a.admin).accept('json')
    other.assertStatus(404)
    const bogus = await client.get('/admin/mail/__proto__').loginAs(a.admin).accept('json')
    bogus.assertStatus(404)
    const badFilter = await client.get('/admin/mail?status=everything').loginAs(a.admin).accept('json')
    badFilter.assertStatus(422)
    const teacher = await client.get(`/admin/mail/${mine.id}`).loginAs(a.teacher).accept('json')
    assert.include([403, 404], teacher.status())
    const notFailed = await client.post(`/admin/mail/${mine.id}/retry`).loginAs(a.admin).withCsrfToken().accept('json')
    notFailed.assertStatus(409)
  })
})
