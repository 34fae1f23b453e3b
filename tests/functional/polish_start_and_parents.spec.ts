import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ClassSession from '#app/classes/models/class_session'
import { createSchool } from '#tests/helpers/fixtures'
import { connectAs, sendOk } from '#tests/helpers/sockets'

const classIdFrom = (location: unknown) => Number(String(location).split('/').pop())

test.group('Start class now (issue 15 item 7)', () => {
  test('starts the class scheduled for now and keeps its title', async ({ client, assert }) => {
    const { teacher, course, school, classSession: later } = await createSchool()
    const now = await ClassSession.create({
      schoolId: school.id,
      courseId: course.id,
      teacherId: teacher.id,
      title: 'Fractions, part 2',
      status: 'scheduled',
      scheduledAt: DateTime.now().minus({ minutes: 5 }),
      durationMinutes: 45,
    })
    const before = await ClassSession.query().where('course_id', course.id).count('* as n')
    const response = await client.post(`/courses/${course.id}/classes/start-now`).loginAs(teacher).withCsrfToken().redirects(0)
    response.assertStatus(302)
    assert.equal(classIdFrom(response.header('location')), now.id)
    await now.refresh()
    assert.equal(now.status, 'live')
    assert.equal(now.title, 'Fractions, part 2')
    await later.refresh()
    assert.equal(later.status, 'scheduled', 'the class scheduled in an hour is not started')
    const after = await ClassSession.query().where('course_id', course.id).count('* as n')
    assert.equal(Number(after[0].$extras.n), Number(before[0].$extras.n), 'no ad-hoc class was created')
  })

  test('without a class scheduled for now, an ad-hoc class gets a title that does not repeat the course', async ({ client, assert }) => {
    const { teacher, course } = await createSchool()
    const response = await client.post(`/courses/${course.id}/classes/start-now`).loginAs(teacher).withCsrfToken().redirects(0)
    const created = await ClassSession.findOrFail(classIdFrom(response.header('location')))
    assert.equal(created.status, 'live')
    assert.notInclude(created.title, course.name)
    assert.match(created.title, /^Lesson on (\d{1,2} \w{3}|\w{3} \d{1,2}) at \d{2}:\d{2}$/)

    // The teacher's language names it (the browser's Accept-Language while the profile has none).
    const { teacher: otherTeacher, course: otherCourse } = await createSchool()
    const german = await client
      .post(`/courses/${otherCourse.id}/classes/start-now`)
      .header('accept-language', 'de-DE,de;q=0.9')
      .loginAs(otherTeacher)
      .withCsrfToken()
      .redirects(0)
    const named = await ClassSession.findOrFail(classIdFrom(german.header('location')))
    assert.match(named.title, /^Stunde am \d{1,2}\. .+ um \d{2}:\d{2}$/)
  })
})

test.group('Parents see whether each child is in the class (issue 15 item 8)', () => {
  test('the child counts as in class only while connected to it, not because the course is live', async ({ client, assert }) => {
    const { parent, students, classSession } = await createSchool({ liveClass: true })
    const childOf = async () => {
      const page = await client.get('/').loginAs(parent).withInertia()
      return page.inertiaProps.children.find((c: any) => c.id === students[0].id)
    }
    const before = await childOf()
    assert.deepEqual(before.classes.live.map((c: any) => c.id), [classSession.id], 'the class is live')
    assert.deepEqual(before.inClassIds, [], 'but the child has not joined')

    const socket = await connectAs(students[0])
    try {
      await sendOk(socket, 'session:join', { sessionId: classSession.id })
      assert.deepEqual((await childOf()).inClassIds, [classSession.id])
    } finally {
      socket.disconnect()
    }
  })
})
