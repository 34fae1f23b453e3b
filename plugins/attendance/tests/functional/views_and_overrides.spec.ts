import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#app/users/models/user'
import { createSchool } from '#tests/helpers/fixtures'
import { attendedBy, endedClass } from '../fixtures.js'
import { signalRecorder } from '../realtime/helpers.js'

const monday = DateTime.fromISO('2026-11-23T09:00', { zone: 'UTC' })

test.group('Attendance HTTP: class summary and teacher overrides', () => {
  test('the course teacher sees the class summary; other teachers, students and other schools do not', async ({ client, assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    const { session } = await endedClass(f, { start: monday, marks: attendedBy(f.students[0].id) })
    const ok = await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(f.teacher).accept('json')
    ok.assertStatus(200)
    const byUser = new Map<number, any>(ok.body().records.map((r: any) => [r.userId, r]))
    assert.equal(byUser.get(f.students[0].id).status, 'present')
    assert.equal(byUser.get(f.students[1].id).status, 'absent')
    assert.equal(byUser.get(f.students[0].id).presentMinutes, 45)
    assert.closeTo(ok.body().rate, 33.3, 0.1)

    ;(await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(f.admin).accept('json')).assertStatus(200)
    ;(await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(f.otherTeacher).accept('json')).assertStatus(403)
    ;(await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(f.students[0]).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(other.teacher).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/classes/${session.id}`).loginAs(other.admin).accept('json')).assertStatus(404)
  })

  test('the course teacher excuses a student with a reason: kept with who and when, published as a signal', async ({ client, assert }) => {
    const f = await createSchool()
    const { session } = await endedClass(f, { start: monday, marks: attendedBy(f.students[0].id) })
    const recorder = signalRecorder()
    try {
      const before = Date.now()
      const response = await client
        .post(`/plugins/attendance/classes/${session.id}/students/${f.students[1].id}/status`)
        .json({ status: 'excused', reason: 'Doctor’s appointment' })
        .loginAs(f.teacher)
        .withCsrfToken()
        .accept('json')
      response.assertStatus(200)
      assert.equal(response.body().status, 'excused')
      assert.equal(response.body().computedStatus, 'absent')
      assert.equal(response.body().override.reason, 'Doctor’s appointment')
      assert.equal(response.body().override.by, f.teacher.fullName)
      const row = await db.from('attendance_records').where({ class_session_id: session.id, user_id: f.students[1].id }).first()
      assert.equal(row.status, 'excused')
      assert.equal(Number(row.override_by), f.teacher.id)
      assert.isAtLeast(Number(row.override_at_ms), before)
      const signal = recorder.signals.find((s) => s.kind === 'attendance' && s.userId === f.students[1].id && s.sessionId === session.id)
      assert.equal(signal?.kind === 'attendance' && signal.status, 'excused')
    } finally {
      recorder.stop()
    }
  })

  test('overrides: the course teacher only, validated, and only for students of that class', async ({ client, assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    const { session } = await endedClass(f, { start: monday })
    const url = (userId: number) => `/plugins/attendance/classes/${session.id}/students/${userId}/status`
    const post = (user: User, userId: number, body: object) => client.post(url(userId)).json(body).loginAs(user).withCsrfToken().accept('json')
    const valid = { status: 'excused', reason: 'ill' }

    ;(await post(f.admin, f.students[0].id, valid)).assertStatus(403)
    ;(await post(f.otherTeacher, f.students[0].id, valid)).assertStatus(403)
    ;(await post(f.students[0], f.students[0].id, valid)).assertStatus(404)
    ;(await post(f.parent, f.students[0].id, valid)).assertStatus(404)
    ;(await post(other.teacher, f.students[0].id, valid)).assertStatus(404)
    ;(await post(f.teacher, f.outsider.id, valid)).assertStatus(404)
    ;(await post(f.teacher, other.students[0].id, valid)).assertStatus(404)
    ;(await post(f.teacher, f.students[0].id, { status: 'holiday', reason: 'x' })).assertStatus(422)
    ;(await post(f.teacher, f.students[0].id, { status: 'excused', reason: '   ' })).assertStatus(422)
    ;(await post(f.teacher, f.students[0].id, { status: 'excused', reason: 'x'.repeat(501) })).assertStatus(422)
    const rows = await db.from('attendance_records').where('class_session_id', session.id).whereNotNull('override_by')
    assert.lengthOf(rows, 0)
  })
})

test.group('Attendance HTTP: student and course views', () => {
  test('a parent sees each child’s attendance per course with the classes missed; not another parent’s child', async ({ client, assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    await endedClass(f, { start: monday, title: 'Monday maths', marks: attendedBy(f.students[1].id) })
    await endedClass(f, { start: monday.plus({ days: 1 }), title: 'Tuesday maths', marks: attendedBy(f.students[0].id) })
    const at = monday.plus({ days: 2 }).toISO()
    const response = await client.get(`/plugins/attendance/students/${f.students[0].id}`).qs({ period: 'weekly', at }).loginAs(f.parent).accept('json')
    response.assertStatus(200)
    const [course] = response.body().courses
    assert.equal(course.id, f.course.id)
    assert.equal(course.rate, 50)
    assert.deepEqual(course.missed.map((m: any) => m.title), ['Monday maths'])

    ;(await client.get(`/plugins/attendance/students/${f.students[1].id}`).loginAs(f.parent).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).loginAs(other.parent).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).loginAs(f.students[1]).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).loginAs(f.students[0]).accept('json')).assertStatus(200)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).loginAs(f.otherTeacher).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).loginAs(f.teacher).accept('json')).assertStatus(200)
    ;(await client.get(`/plugins/attendance/students/${f.students[0].id}`).qs({ period: 'yearly' }).loginAs(f.teacher).accept('json')).assertStatus(422)
  })

  test('the course view: per student rates over the period; teachers of other courses and other schools get 404', async ({ client, assert }) => {
    const f = await createSchool()
    const other = await createSchool()
    await endedClass(f, { start: monday, marks: attendedBy(f.students[0].id, f.students[1].id) })
    await endedClass(f, { start: monday.plus({ weeks: 1 }), marks: [] })
    const response = await client.get(`/plugins/attendance/courses/${f.course.id}`).qs({ period: 'weekly', at: monday.toISO() }).loginAs(f.teacher).accept('json')
    response.assertStatus(200)
    const rates = new Map(response.body().students.map((s: any) => [s.userId, s.rate]))
    assert.equal(rates.get(f.students[0].id), 100)
    assert.equal(rates.get(f.students[2].id), 0)
    assert.lengthOf(response.body().classes, 1, 'only the classes of that week')
    ;(await client.get(`/plugins/attendance/courses/${f.course.id}`).loginAs(f.otherTeacher).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/courses/${f.course.id}`).loginAs(other.admin).accept('json')).assertStatus(404)
    ;(await client.get(`/plugins/attendance/courses/${f.course.id}`).loginAs(f.parent).accept('json')).assertStatus(404)
  })

  test('the dashboard overview lists own courses, children or self', async ({ client, assert }) => {
    const f = await createSchool()
    const teacher = await client.get('/plugins/attendance/overview').loginAs(f.teacher).accept('json')
    assert.deepEqual(teacher.body().courses.map((c: any) => c.id), [f.course.id])
    const none = await client.get('/plugins/attendance/overview').loginAs(f.otherTeacher).accept('json')
    assert.lengthOf(none.body().courses, 0)
    const parent = await client.get('/plugins/attendance/overview').loginAs(f.parent).accept('json')
    assert.deepEqual(parent.body().students.map((s: any) => s.id), [f.students[0].id])
  })
})
