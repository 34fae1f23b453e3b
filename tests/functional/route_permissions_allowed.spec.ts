/*
| The other half of the HTTP matrix (route_permissions.spec.ts), which sends every route as the users
| it must refuse and only the read-only routes as an allowed user: here the allowed users' writes get
| through. Without it a policy that refuses everyone (CoursePolicy.manage or ClassSessionPolicy.manage
| answering false, an admin or the course's teacher dropped from the rule) passes the matrix; the
| mutation run (scripts/mutation.sh http) found those.
*/
import { test } from '@japa/runner'
import CoursePolicy from '#app/courses/course_policy'
import { createSchool } from '#tests/helpers/fixtures'

test.group('HTTP permissions: the allowed users get through', () => {
  test('the course’s teacher and the school’s admin schedule, start and end a class of the course', async ({ client, assert }) => {
    const f = await createSchool()
    for (const who of [f.teacher, f.admin]) {
      const scheduled = await client
        .post(`/courses/${f.course.id}/classes`)
        .json({ title: `By ${who.role}`, scheduledAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 30 })
        .loginAs(who)
        .withCsrfToken()
        .accept('json')
      scheduled.assertStatus(201)
      assert.equal(scheduled.body().courseId, f.course.id)
      const id = scheduled.body().id

      const started = await client.post(`/classes/${id}/start`).loginAs(who).withCsrfToken().accept('json')
      started.assertStatus(200)
      assert.equal(started.body().status, 'live', `${who.role} started the class`)
      const ended = await client.post(`/classes/${id}/end`).loginAs(who).withCsrfToken().accept('json')
      ended.assertStatus(200)
      assert.equal(ended.body().status, 'ended', `${who.role} ended the class`)
    }
  })

  test('CoursePolicy.manage holds by itself: another school’s admin may not manage the course', async ({ assert }) => {
    /* Its callers load the course within the user's school first (404), so only a direct call
       shows that the policy's own school check holds. */
    const a = await createSchool()
    const b = await createSchool()
    const policy = new CoursePolicy()
    assert.isTrue(policy.manage(a.admin, a.course))
    assert.isFalse(policy.manage(b.admin, a.course))
  })

  test('a refused role gets a 403 that names the reason', async ({ client, assert }) => {
    const f = await createSchool()
    const refused = await client.get('/admin/users').loginAs(f.teacher).accept('json')
    refused.assertStatus(403)
    assert.isString(refused.body().errors?.[0]?.message)
  })
})
