import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import ClassSession from '#app/classes/models/class_session'
import { createSchool } from '#tests/helpers/fixtures'

test.group('Class lifecycle', () => {
  test('the teacher starts a scheduled class and students see it live', async ({ client, assert }) => {
    const { teacher, students, classSession } = await createSchool()
    const events = emitter.fake(['class:started'])
    try {
      const response = await client.post(`/classes/${classSession.id}/start`).loginAs(teacher).withCsrfToken().redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/classes/${classSession.id}`)
      events.assertEmitted('class:started', ({ data }) => data.sessionId === classSession.id)
    } finally {
      emitter.restore()
    }
    await classSession.refresh()
    assert.equal(classSession.status, 'live')
    assert.isNotNull(classSession.startedAt)

    const dashboard = await client.get('/').loginAs(students[0]).withInertia()
    assert.deepEqual(dashboard.inertiaProps.classes.live.map((c: any) => c.id), [classSession.id])
  })

  test('one click starts an ad-hoc class and opens the classroom', async ({ client, assert }) => {
    const { teacher, course } = await createSchool()
    const response = await client.post(`/courses/${course.id}/classes/start-now`).loginAs(teacher).withCsrfToken().redirects(0)
    response.assertStatus(302)
    const id = Number(String(response.header('location')).split('/').pop())
    const created = await ClassSession.findOrFail(id)
    assert.equal(created.status, 'live')
    assert.equal(created.courseId, course.id)

    const classroom = await client.get(`/classes/${id}`).loginAs(teacher).withInertia()
    classroom.assertInertiaComponent('classroom/show')
    assert.equal(classroom.inertiaProps.sessionRole, 'teacher')
  })

  test('the teacher schedules a class; bad input is refused and creates nothing', async ({ client, assert }) => {
    const { teacher, course } = await createSchool()
    const ok = await client
      .post(`/courses/${course.id}/classes`)
      .json({ title: 'Ratios', scheduledAt: '2031-05-04T09:30', durationMinutes: 45 })
      .loginAs(teacher)
      .withCsrfToken()
      .accept('json')
    ok.assertStatus(201)
    const bad = await client
      .post(`/courses/${course.id}/classes`)
      .json({ title: '', scheduledAt: 'tomorrow', durationMinutes: 9999 })
      .loginAs(teacher)
      .withCsrfToken()
      .accept('json')
    bad.assertStatus(422)
    const count = await ClassSession.query().where('course_id', course.id).count('* as total')
    assert.equal(Number(count[0].$extras.total), 2)
  })

  test('ending a class emits class:ended and closes the classroom', async ({ client, assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const events = emitter.fake(['class:ended'])
    try {
      const response = await client.post(`/classes/${classSession.id}/end`).loginAs(teacher).withCsrfToken().accept('json')
      response.assertStatus(200)
      events.assertEmitted('class:ended', ({ data }) => data.sessionId === classSession.id)
    } finally {
      emitter.restore()
    }
    await classSession.refresh()
    assert.equal(classSession.status, 'ended')
    const page = await client.get(`/classes/${classSession.id}`).loginAs(students[0]).redirects(0)
    page.assertStatus(302)
  })

  test('an ended class cannot be started again', async ({ client }) => {
    const { teacher, classSession } = await createSchool({ liveClass: true })
    await client.post(`/classes/${classSession.id}/end`).loginAs(teacher).withCsrfToken().accept('json')
    const again = await client.post(`/classes/${classSession.id}/start`).loginAs(teacher).withCsrfToken().accept('json')
    again.assertStatus(409)
  })
})
