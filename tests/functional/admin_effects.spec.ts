/*
| Admin actions checked by their effect: deleting a user, linking children, updating a course, and
| the Transmit notification channel's authorisation.
*/
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#app/users/models/user'
import Course from '#app/courses/models/course'
import { createSchool } from '#tests/helpers/fixtures'

test.group('Admin: effects of people and course changes', () => {
  test('each invalid field of a new user is refused on its own, naming the field', async ({ client, assert }) => {
    const { admin, teacher, school } = await createSchool()
    const valid = { fullName: 'New Student', email: `ns-${school.id}@test.aula`, password: 'long-enough', role: 'student' }
    for (const [field, value] of [
      ['role', 'superuser'],
      ['email', teacher.email],
      ['password', 'short'],
    ] as const) {
      const response = await client.post('/admin/users').json({ ...valid, [field]: value }).loginAs(admin).withCsrfToken().accept('json')
      response.assertStatus(422)
      const fields = (response.body().errors as { field: string }[]).map((e) => e.field)
      assert.deepEqual(fields, [field], `only ${field} is wrong`)
    }
    assert.isNull(await User.findBy('email', valid.email))
    const created = await client.post('/admin/users').json(valid).loginAs(admin).withCsrfToken().accept('json')
    created.assertStatus(201)
  })

  test('deleting a user removes them, their enrolments and parent links; they can no longer log in', async ({ client, assert }) => {
    const { admin, students, parent, course } = await createSchool()
    const gone = students[0]
    const response = await client.delete(`/admin/users/${gone.id}`).loginAs(admin).withCsrfToken().accept('json')
    response.assertStatus(204)
    assert.isNull(await User.find(gone.id))
    assert.lengthOf(await db.from('course_enrollments').where('student_id', gone.id), 0)
    assert.lengthOf(await db.from('parent_students').where('student_id', gone.id), 0)
    assert.lengthOf(await db.from('course_enrollments').where('course_id', course.id), students.length - 1)
    assert.deepEqual((await parent.related('children').query()).map((c) => c.id), [])

    const login = await client.post('/login').json({ email: gone.email, password: 'correct-horse' }).withCsrfToken().accept('json')
    login.assertStatus(400)
  })

  test('an admin cannot delete themselves nor a teacher who still has courses', async ({ client, assert }) => {
    const { admin, teacher } = await createSchool()
    const self = await client.delete(`/admin/users/${admin.id}`).loginAs(admin).withCsrfToken().accept('json')
    self.assertStatus(422)
    const busy = await client.delete(`/admin/users/${teacher.id}`).loginAs(admin).withCsrfToken().accept('json')
    busy.assertStatus(409)
    assert.isNotNull(await User.find(admin.id))
    assert.isNotNull(await User.find(teacher.id))
  })

  test('linking children replaces the list, and the parent’s dashboard follows', async ({ client, assert }) => {
    const { admin, parent, students } = await createSchool()
    const response = await client
      .put(`/admin/users/${parent.id}/children`)
      .json({ childIds: [students[1].id, students[2].id] })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(200)
    const children = (await parent.related('children').query()).map((c) => c.id).sort()
    assert.deepEqual(children, [students[1].id, students[2].id].sort())
    const page = await client.get('/').loginAs(parent).withInertia()
    page.assertStatus(200)
    const shown = JSON.stringify(page.inertiaProps)
    assert.include(shown, students[1].fullName)
    assert.notInclude(shown, `"id":${students[0].id},`)
  })

  test('children must be students: a teacher as a child is refused and the links stay as they were', async ({ client, assert }) => {
    const { admin, parent, teacher, students } = await createSchool()
    const response = await client
      .put(`/admin/users/${parent.id}/children`)
      .json({ childIds: [teacher.id] })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(422)
    assert.deepEqual((await parent.related('children').query()).map((c) => c.id), [students[0].id])
    const notParent = await client.put(`/admin/users/${teacher.id}/children`).json({ childIds: [students[1].id] }).loginAs(admin).withCsrfToken().accept('json')
    notParent.assertStatus(422)
  })

  test('updating a course stores its name, description and teacher; a teacher of another school is refused', async ({ client, assert }) => {
    const { admin, course, otherTeacher } = await createSchool()
    const other = await createSchool()
    const response = await client
      .put(`/admin/courses/${course.id}`)
      .json({ name: 'Chemistry', description: 'Mixtures', teacherId: otherTeacher.id })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(200)
    await course.refresh()
    assert.deepInclude(course.$attributes, { name: 'Chemistry', description: 'Mixtures', teacherId: otherTeacher.id })

    const foreign = await client
      .put(`/admin/courses/${course.id}`)
      .json({ name: 'Physics', teacherId: other.teacher.id })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    foreign.assertStatus(422)
    const stored = await Course.findOrFail(course.id)
    assert.equal(stored.name, 'Chemistry')
    assert.equal(stored.teacherId, otherTeacher.id)
  })
})

test.group('Transmit: notification channel authorisation', () => {
  test('a user may subscribe to their own notifications only', async ({ client }) => {
    const { students, teacher } = await createSchool()
    const own = await client
      .post('/__transmit/subscribe')
      .json({ uid: 'matrix-own', channel: `users/${students[0].id}/notifications` })
      .loginAs(students[0])
      .withCsrfToken()
      .accept('json')
    own.assertStatus(204)
    for (const channel of [`users/${teacher.id}/notifications`, `users/${students[1].id}/notifications`]) {
      const other = await client.post('/__transmit/subscribe').json({ uid: 'matrix-other', channel }).loginAs(students[0]).withCsrfToken().accept('json')
      other.assertStatus(400)
    }
    const anonymous = await client
      .post('/__transmit/subscribe')
      .json({ uid: 'matrix-anon', channel: `users/${students[0].id}/notifications` })
      .withCsrfToken()
      .accept('json')
    anonymous.assertStatus(401)
  })
})
