import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import { enqueueMail } from '#app/mail/outbox'
import type { SchoolFixture } from '#tests/helpers/fixtures'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { startAppProcess, TEST_REDIS_URL, type AppProcess } from '#tests/helpers/app_process'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp'
import { eventually } from '#tests/helpers/poll'
import { schoolBelowThreshold } from '../fixtures.js'
import '../../events.js'

const sockets = socketTracker()

const webWithSmtp = (smtp: TestSmtpServer) =>
  startAppProcess({
    redisUrl: TEST_REDIS_URL,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'school@test.aula', MAIL_OUTBOX_POLL_MS: '200', MAIL_RETRY_BASE_MS: '300' },
  })

/** A live class of the course, ended by its teacher through an app process (whose class:ended listener checks thresholds). */
async function liveClassEndedOn(f: SchoolFixture, process: AppProcess, title: string) {
  const session = await ClassSession.create({
    schoolId: f.school.id, courseId: f.course.id, teacherId: f.teacher.id, title, status: 'live',
    scheduledAt: DateTime.now(), startedAt: DateTime.now(), durationMinutes: 45,
  })
  const teacher = await sockets.joined(f.teacher, session.id, process.url)
  await sendOk(teacher, 'session:end', {})
  await eventually(`class "${title}" is finalized`, async () => (await db.from('attendance_classes').where('class_session_id', session.id).first()) ?? null)
  return session
}

/** Everything queued before it was sent once a marker queued last arrives. */
async function drained(smtp: TestSmtpServer, schoolId: number, name: string) {
  const subject = `marker ${name} ${schoolId}`
  await enqueueMail({ key: `test:${subject}`, schoolId, source: 'test', to: { address: 'marker@test.aula' }, subject, text: 'marker' })
  await smtp.waitFor(1, (m) => m.subject === subject, 30_000)
  await eventually('the outbox of the school is empty', async () => {
    const waiting = await db.from('mail_outbox').where('school_id', schoolId).whereNot('status', 'sent')
    return waiting.length === 0
  })
}

const thresholdMails = (smtp: TestSmtpServer, recipients: string[]) =>
  smtp.messages.filter((m) => m.subject?.startsWith('Attendance of') && recipients.includes(((m.to as any)?.value?.[0]?.address ?? '').toLowerCase()))

test.group('Attendance: threshold e-mails over real SMTP', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('below the threshold: one e-mail to the student and to each parent; more class ends, processes and a restart send nothing more', async ({ assert }) => {
    const smtp = await startSmtpServer()
    const { f, recipients } = await schoolBelowThreshold()
    const started: AppProcess[] = []
    try {
      const first = await webWithSmtp(smtp)
      started.push(first)
      await liveClassEndedOn(f, first, 'Live class one')
      const mails = await smtp.waitFor(3, (m) => thresholdMails(smtp, recipients).includes(m))
      const toStudent = mails.find((m) => (m.to as any).value[0].address.toLowerCase() === recipients[0])!
      assert.equal(toStudent.subject, `Attendance of ${f.students[0].fullName}: 50 %`)
      assert.include(toStudent.text, 'below the school’s threshold of 75 %')
      assert.include(toStudent.text, 'Missed class')
      assert.include(toStudent.text, `/plugins/attendance/students/${f.students[0].id}`)
      assert.notInclude(toStudent.text, 'Attended class')

      await liveClassEndedOn(f, first, 'Live class two')
      const second = await webWithSmtp(smtp)
      started.push(second)
      await liveClassEndedOn(f, second, 'Live class three')
      await first.kill()
      const restarted = await webWithSmtp(smtp)
      started.push(restarted)
      await liveClassEndedOn(f, restarted, 'Live class four')
      await drained(smtp, f.school.id, 'after restart')

      assert.lengthOf(thresholdMails(smtp, recipients), 3)
      assert.lengthOf(thresholdMails(smtp, f.students.slice(1).map((s) => s.email.toLowerCase())), 0, 'students above the threshold get nothing')
      for (const address of recipients) assert.lengthOf(thresholdMails(smtp, [address]), 1, address)
    } finally {
      await Promise.all(started.map((p) => p.kill()))
      await smtp.stop()
    }
  }).timeout(180_000)
})
