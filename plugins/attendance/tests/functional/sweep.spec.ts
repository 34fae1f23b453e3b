import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClassSession from '#app/classes/models/class_session'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { useHost } from '../../context.js'
import { sweep } from '../../scheduler.js'
import { addMark } from '../../store.js'

/** A class that ended an hour ago without anyone finalizing it (its process died). */
async function unfinalized(f: SchoolFixture) {
  const start = DateTime.now().minus({ minutes: 105 })
  return ClassSession.create({
    schoolId: f.school.id, courseId: f.course.id, teacherId: f.teacher.id, title: 'Unfinalized', status: 'ended',
    scheduledAt: start, startedAt: start, endedAt: start.plus({ minutes: 45 }), durationMinutes: 45,
  })
}
const recordsOf = (sessionId: number) => db.from('attendance_records').where('class_session_id', sessionId)

test.group('Attendance sweep', () => {
  test('finalizes an ended class that nobody finalized, once, however often it runs', async ({ assert }) => {
    const f = await createSchool()
    const session = await unfinalized(f)
    await addMark(session.id, f.teacher.id, 'join', session.startedAt!.toMillis())
    await addMark(session.id, f.students[0].id, 'join', session.startedAt!.toMillis())
    await Promise.all([sweep(useHost()), sweep(useHost())])
    await sweep(useHost())
    const rows = await recordsOf(session.id)
    assert.lengthOf(rows, 3, 'one record per enrolled student, never twice')
    assert.equal(rows.find((r) => Number(r.user_id) === f.students[0].id)?.status, 'present')
    assert.lengthOf(await db.from('attendance_classes').where('class_session_id', session.id), 1)
  })

  test('leaves alone a class the plugin never saw (ended before it ran): nobody is marked absent or warned', async ({ assert }) => {
    const f = await createSchool()
    const session = await unfinalized(f)
    await sweep(useHost())
    assert.lengthOf(await recordsOf(session.id), 0)
    assert.lengthOf(await db.from('mail_outbox').where({ school_id: f.school.id }), 0)
  })
})
