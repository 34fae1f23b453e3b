import { test } from '@japa/runner'
import ClassSession from '#app/classes/models/class_session'
import Course from '#app/courses/models/course'
import { createSchool } from '#tests/helpers/fixtures'

test.group('Role checks', () => {
  test('only admins reach the admin pages', async ({ client }) => {
    const { teacher, students, parent, admin } = await createSchool()
    for (const user of [teacher, students[0], parent]) {
      for (const url of ['/admin/users', '/admin/courses', '/admin/plugins']) {
        const response = await client.get(url).loginAs(user).accept('json')
        response.assertStatus(403)
      }
    }
    const ok = await client.get('/admin/plugins').loginAs(admin).withInertia()
    ok.assertStatus(200)
  })

  test('students, parents and other teachers cannot start or end a class', async ({ client, assert }) => {
    const { otherTeacher, students, parent, classSession } = await createSchool()
    for (const user of [otherTeacher, students[0], parent]) {
      const start = await client.post(`/classes/${classSession.id}/start`).loginAs(user).withCsrfToken().accept('json')
      start.assertStatus(403)
      const end = await client.post(`/classes/${classSession.id}/end`).loginAs(user).withCsrfToken().accept('json')
      end.assertStatus(403)
    }
    await classSession.refresh()
    assert.equal(classSession.status, 'scheduled')
  })

  test('only members may open a live classroom', async ({ client }) => {
    const { outsider, parent, otherTeacher, students, admin, classSession } = await createSchool({ liveClass: true })
    for (const user of [outsider, parent, otherTeacher]) {
      const response = await client.get(`/classes/${classSession.id}`).loginAs(user).accept('json')
      response.assertStatus(403)
    }
    for (const user of [students[0], admin]) {
      const response = await client.get(`/classes/${classSession.id}`).loginAs(user).withInertia()
      response.assertStatus(200)
    }
  })

  test('a student cannot schedule classes', async ({ client }) => {
    const { students, course } = await createSchool()
    const response = await client
      .post(`/courses/${course.id}/classes`)
      .json({ title: 'Mine', scheduledAt: '2031-05-04T09:30', durationMinutes: 45 })
      .loginAs(students[0])
      .withCsrfToken()
      .accept('json')
    response.assertStatus(403)
  })
})

test.group('Tenant isolation', () => {
  test('users of school A get 404 for every row of school B', async ({ client, assert }) => {
    const a = await createSchool()
    const b = await createSchool({ liveClass: true })
    const attempts = [
      client.get(`/classes/${b.classSession.id}`).loginAs(a.students[0]),
      client.post(`/classes/${b.classSession.id}/start`).loginAs(a.teacher).withCsrfToken(),
      client.post(`/classes/${b.classSession.id}/end`).loginAs(a.admin).withCsrfToken(),
      client.post(`/courses/${b.course.id}/classes/start-now`).loginAs(a.admin).withCsrfToken(),
      client.get(`/admin/courses/${b.course.id}`).loginAs(a.admin),
      client.put(`/admin/courses/${b.course.id}/students`).json({ studentIds: [] }).loginAs(a.admin).withCsrfToken(),
      client.delete(`/admin/users/${b.teacher.id}`).loginAs(a.admin).withCsrfToken(),
    ]
    for (const attempt of attempts) {
      const response = await attempt.accept('json')
      response.assertStatus(404)
    }
    await b.classSession.refresh()
    assert.equal(b.classSession.status, 'live')
    const enrolled = await b.course.related('students').query()
    assert.lengthOf(enrolled, b.students.length)
  })

  test('an admin cannot enrol students or link children of another school', async ({ client, assert }) => {
    const a = await createSchool()
    const b = await createSchool()
    const enrol = await client
      .put(`/admin/courses/${a.course.id}/students`)
      .json({ studentIds: [b.students[0].id] })
      .loginAs(a.admin)
      .withCsrfToken()
      .accept('json')
    enrol.assertStatus(422)
    const link = await client
      .put(`/admin/users/${a.parent.id}/children`)
      .json({ childIds: [b.students[0].id] })
      .loginAs(a.admin)
      .withCsrfToken()
      .accept('json')
    link.assertStatus(422)
    const course = await Course.findOrFail(a.course.id)
    const enrolled = await course.related('students').query()
    assert.notInclude(enrolled.map((s) => s.id), b.students[0].id)
  })

  test('admin lists show only their own school', async ({ client, assert }) => {
    const a = await createSchool()
    const b = await createSchool()
    const users = await client.get('/admin/users').loginAs(a.admin).withInertia()
    const ids = users.inertiaProps.users.map((u: any) => u.id)
    assert.include(ids, a.teacher.id)
    assert.notInclude(ids, b.teacher.id)
    const classes = await ClassSession.query().where('school_id', b.school.id)
    const dashboard = await client.get('/').loginAs(a.admin).withInertia()
    const seen = dashboard.inertiaProps.classes.upcoming.map((c: any) => c.id)
    for (const c of classes) assert.notInclude(seen, c.id)
  })
})
