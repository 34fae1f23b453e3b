import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Course from '#app/courses/models/course'
import ClassSession from '#app/classes/models/class_session'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { nextEvent, send, sendOk, socketTracker, watchAbsence } from '#tests/helpers/sockets'
import '#plugins/video/events'

const sockets = socketTracker()
const errorCode = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

/** A second live class in the same school, taught by the fixture's other teacher, without the fixture's students. */
async function otherClassOf(f: SchoolFixture) {
  const course = await Course.create({ schoolId: f.school.id, teacherId: f.otherTeacher.id, name: `Other ${f.course.name}` })
  await course.related('students').attach([f.outsider.id])
  return ClassSession.create({
    schoolId: f.school.id,
    courseId: course.id,
    teacherId: f.otherTeacher.id,
    title: 'Other class',
    status: 'live',
    scheduledAt: DateTime.now(),
    startedAt: DateTime.now(),
    durationMinutes: 45,
  })
}

test.group('Security: events that name another user', (group) => {
  group.each.teardown(() => sockets.closeAll())

  test('video:force_off from another class or another school is refused and not delivered', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const victim = await sockets.joined(a.students[0], a.classSession.id)

    const otherSchoolTeacher = await sockets.joined(b.teacher, b.classSession.id)
    const otherClass = await otherClassOf(a)
    const otherClassTeacher = await sockets.joined(a.otherTeacher, otherClass.id)

    for (const [who, socket] of [['another school', otherSchoolTeacher], ['another class', otherClassTeacher]] as const) {
      const quiet = watchAbsence(victim, 'video:forced_off')
      const response = await send(socket, 'video:force_off', { userId: a.students[0].id, source: 'camera' })
      assert.equal(errorCode(response), 'not_found', who)
      assert.isTrue(await quiet.settle(victim), `video:forced_off reached the student from ${who}`)
    }

    // The class's own teacher still can (so the refusals above are about the target, not the event).
    const teacher = await sockets.joined(a.teacher, a.classSession.id)
    const forced = nextEvent(victim, 'video:forced_off')
    await sendOk(teacher, 'video:force_off', { userId: a.students[0].id, source: 'camera' })
    assert.equal((await forced).source, 'camera')
  })

  test('presence:lower_hand for a user of another class is refused', async ({ assert }) => {
    const a = await createSchool({ liveClass: true })
    const otherClass = await otherClassOf(a)
    const student = await sockets.joined(a.students[0], a.classSession.id)
    await sendOk(student, 'presence:hand', { raised: true })
    const otherClassTeacher = await sockets.joined(a.otherTeacher, otherClass.id)
    const response = await send(otherClassTeacher, 'presence:lower_hand', { userId: a.students[0].id })
    assert.equal(errorCode(response), 'not_found')
    const teacher = await sockets.joined(a.teacher, a.classSession.id)
    await sendOk(teacher, 'presence:lower_hand', { userId: a.students[0].id })
    const gone = await send(teacher, 'presence:lower_hand', { userId: a.outsider.id })
    assert.equal(errorCode(gone), 'not_found')
  })
})
