import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { Mailer } from '@adonisjs/mail'
import { SMTPTransport } from '@adonisjs/mail/transports/smtp'
import ClassSession from '#app/classes/models/class_session'
import { OutboxSender, type OutboxSenderOptions } from '#app/mail/outbox_sender'
import { mailerDelivery } from '#app/mail/smtp_delivery'
import { defaultSettings } from '#app/plugins/settings_schema'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { startSmtpServer, addressesOf, type TestSmtpServer } from '#tests/helpers/smtp'
import { eventually } from '#tests/helpers/poll'
import { attendedBy, endedClass, schoolBelowThreshold, setAttendanceSettings } from '../fixtures.js'
import { attendanceSettings } from '../../settings.js'
import { periodOf } from '../../periods.js'
import { sendScheduledReports } from '../../scheduled_reports.js'
import { useHost } from '../../context.js'
import '../../events.js'

const sockets = socketTracker()
const quietLogger = { info() {}, warn() {}, error() {} } as unknown as OutboxSenderOptions['logger']

/** A sender like a web process runs, delivering over real SMTP to the test server. */
function senderFor(smtp: TestSmtpServer) {
  const mailer = new Mailer('test', new SMTPTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true }), emitter as any)
  return new OutboxSender({ deliver: mailerDelivery(() => mailer as any), logger: quietLogger, pollMs: 60_000, retryBaseMs: 60_000, retryMaxMs: 60_000, maxAttempts: 5, leaseMs: 60_000, batchSize: 50 })
}

/** A live class of the course, ended by its teacher in this process (whose class:ended listener checks thresholds). */
async function liveClassEnded(f: SchoolFixture, title: string) {
  const session = await ClassSession.create({
    schoolId: f.school.id, courseId: f.course.id, teacherId: f.teacher.id, title, status: 'live',
    scheduledAt: DateTime.now(), startedAt: DateTime.now(), durationMinutes: 45,
  })
  const teacher = await sockets.joined(f.teacher, session.id)
  await sendOk(teacher, 'session:end', {})
  await eventually(`class "${title}" is finalized`, async () => (await db.from('attendance_classes').where('class_session_id', session.id).first()) ?? null)
  return session
}

const attendanceMail = (schoolId: number) => db.from('mail_outbox').where({ school_id: schoolId, source: 'attendance' }).orderBy('id')

test.group('Attendance e-mails in one process', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('an SMTP outage followed by recovery delivers each threshold e-mail once', async ({ assert }) => {
    const smtp = await startSmtpServer()
    const sender = senderFor(smtp)
    try {
      const { f, recipients } = await schoolBelowThreshold()
      await smtp.stop()
      await liveClassEnded(f, 'Class during the outage')
      assert.sameMembers((await attendanceMail(f.school.id)).map((r) => r.to_address.toLowerCase()), recipients)
      await sender.drain()
      const failed = await attendanceMail(f.school.id)
      assert.isTrue(failed.every((r) => r.status === 'pending' && Number(r.attempts) === 1), 'kept for a retry')

      await smtp.start()
      await db.from('mail_outbox').where('school_id', f.school.id).update({ next_attempt_at_ms: Date.now() })
      await sender.drain()
      await sender.drain()
      await liveClassEnded(f, 'Class after the recovery')
      await sender.drain()
      for (const address of recipients) assert.lengthOf(smtp.messages.filter((m) => addressesOf(m).includes(address)), 1, address)
      assert.isTrue((await attendanceMail(f.school.id)).every((r) => r.status === 'sent'))
    } finally {
      await smtp.stop()
    }
  })

  test('the threshold the admin sets applies at the next class end', async ({ client, assert }) => {
    const f = await createSchool()
    const week = periodOf(Date.now(), 'weekly', 'UTC')
    const start = DateTime.fromMillis(week.fromMs + 60_000, { zone: 'UTC' })
    await endedClass(f, { start, marks: attendedBy(f.students[0].id, f.students[1].id, f.students[2].id) })
    await endedClass(f, { start: start.plus({ hours: 1 }), marks: attendedBy(f.students[1].id, f.students[2].id) })
    const put = (threshold: number) =>
      client.put('/admin/plugins/attendance').json({ enabled: true, settings: { ...defaultSettings(attendanceSettings), threshold } }).loginAs(f.admin).withCsrfToken().accept('json')

    const first = await put(40)
    assert.equal(first.status(), 200, JSON.stringify(first.body()))
    await liveClassEnded(f, 'At 40 %')
    assert.lengthOf(await attendanceMail(f.school.id), 0, 'a rate of 50 % is above 40 %')

    ;(await put(60)).assertStatus(200)
    await liveClassEnded(f, 'At 60 %')
    const rows = await attendanceMail(f.school.id)
    assert.sameMembers(rows.map((r) => r.to_address), [f.students[0].email, f.parent.email])
    ;(await client.put('/admin/plugins/attendance').json({ enabled: true, settings: { ...defaultSettings(attendanceSettings), threshold: 60 } }).loginAs(f.teacher).withCsrfToken().accept('json')).assertStatus(403)
  })

  test('the consecutive-absences rule (off by default) warns once per streak', async ({ assert }) => {
    const f = await createSchool()
    await setAttendanceSettings(f.school.id, { threshold: 0 })
    const start = DateTime.fromMillis(periodOf(Date.now(), 'weekly', 'UTC').fromMs + 60_000, { zone: 'UTC' })
    await endedClass(f, { start, marks: attendedBy(f.students[1].id) })
    await liveClassEnded(f, 'Absent once')
    await liveClassEnded(f, 'Absent twice')
    assert.lengthOf(await attendanceMail(f.school.id), 0, 'off by default')

    await setAttendanceSettings(f.school.id, { consecutiveAbsences: 3, threshold: 0 })
    await liveClassEnded(f, 'Absent three times')
    await liveClassEnded(f, 'Absent four times')
    const rows = await attendanceMail(f.school.id)
    const streak = rows.filter((r) => r.idempotency_key.includes(':absences:'))
    const students0 = streak.filter((r) => r.to_address === f.students[0].email)
    assert.lengthOf(students0, 1, 'one e-mail for the streak, not one per class')
    const students1 = streak.filter((r) => r.to_address === f.students[1].email)
    assert.lengthOf(students1, 1)
    assert.include(students1[0].subject, '3 classes missed in a row', 'warned when the streak reached 3')
    assert.sameMembers(streak.filter((r) => r.text_body.includes(f.students[2].fullName)).map((r) => r.to_address), [f.students[2].email])
  })

  test('scheduled school reports: once per admin and period, with the XLSX and PDF attached', async ({ assert }) => {
    const f = await createSchool()
    await setAttendanceSettings(f.school.id, { reportEmails: true, period: 'weekly' })
    const lastWeek = DateTime.fromISO('2026-11-16T09:00', { zone: 'UTC' })
    await endedClass(f, { start: lastWeek, marks: attendedBy(f.students[0].id) })
    const now = DateTime.fromISO('2026-11-23T10:00', { zone: 'UTC' }).toMillis()
    const host = useHost()
    await sendScheduledReports(host, now)
    await sendScheduledReports(host, now)
    const rows = (await attendanceMail(f.school.id)).filter((r) => r.idempotency_key.includes(':report:'))
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].to_address, f.admin.email)
    assert.include(rows[0].subject, '2026-11-16 – 2026-11-22')
    const files = await db.from('mail_outbox_attachments').where('mail_id', rows[0].id)
    assert.sameMembers(files.map((a) => a.filename), ['attendance-week-2026-11-16.xlsx', 'attendance-week-2026-11-16.pdf'])
    await setAttendanceSettings(f.school.id, { reportEmails: false })
    const other = await createSchool()
    await endedClass(other, { start: lastWeek })
    await sendScheduledReports(host, now)
    assert.lengthOf(await attendanceMail(other.school.id), 0, 'off by default')
  })
})
