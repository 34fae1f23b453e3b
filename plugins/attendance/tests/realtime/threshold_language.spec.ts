import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { schoolBelowThreshold, setAttendanceSettings } from '../fixtures.js'
import '../../events.js'

/* Issue 15 item 11: e-mails in the RECIPIENT's language (their profile), not the sender's nor the school's. */
const sockets = socketTracker()

async function endLiveClass(f: Awaited<ReturnType<typeof schoolBelowThreshold>>['f'], title: string) {
  const session = await ClassSession.create({
    schoolId: f.school.id, courseId: f.course.id, teacherId: f.teacher.id, title, status: 'live',
    scheduledAt: DateTime.now(), startedAt: DateTime.now(), durationMinutes: 45,
  })
  const teacher = await sockets.joined(f.teacher, session.id)
  await sendOk(teacher, 'session:end', {})
}

const mailTo = async (schoolId: number, address: string) =>
  (await db.from('mail_outbox').where({ school_id: schoolId, source: 'attendance' }).whereRaw('lower(to_address) = ?', [address.toLowerCase()]))

test.group('Attendance e-mails in the recipient’s language', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('a parent whose profile says German gets the threshold e-mail in German; the others in English', async ({ assert }) => {
    const { f, secondParent } = await schoolBelowThreshold()
    f.parent.locale = 'de'
    await f.parent.save()
    await endLiveClass(f, 'Class that triggers the check')
    const [german] = await eventually('the parent’s e-mail is queued', async () => {
      const rows = await mailTo(f.school.id, f.parent.email)
      return rows.length ? rows : null
    })
    assert.equal(german.subject, `Anwesenheit von ${f.students[0].fullName}: 50 %`)
    assert.include(german.text_body, `Hallo ${f.parent.fullName},`)
    assert.include(german.text_body, 'unter der Schwelle der Schule von 75 %')
    assert.include(german.text_body, 'Verpasste Stunden:')
    assert.notInclude(german.text_body, 'Hello')

    const [english] = await mailTo(f.school.id, secondParent.email)
    assert.equal(english.subject, `Attendance of ${f.students[0].fullName}: 50 %`)
    assert.include(english.text_body, 'below the school’s threshold of 75 %')
  })

  test('a school’s own e-mail text is kept as written, whatever the recipient’s language', async ({ assert }) => {
    const { f } = await schoolBelowThreshold()
    await setAttendanceSettings(f.school.id, { threshold: 75, minClasses: 2, period: 'weekly', subject: 'Bitte melden: {student}' })
    f.parent.locale = 'en'
    await f.parent.save()
    await endLiveClass(f, 'Class that triggers the check')
    const [mail] = await eventually('the parent’s e-mail is queued', async () => {
      const rows = await mailTo(f.school.id, f.parent.email)
      return rows.length ? rows : null
    })
    assert.equal(mail.subject, `Bitte melden: ${f.students[0].fullName}`)
  })
})
