import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'

test.group('Dashboards', () => {
  test('each role gets its own dashboard', async ({ client }) => {
    const school = await createSchool()
    const expectations = [
      [school.admin, 'dashboard/admin'],
      [school.teacher, 'dashboard/teacher'],
      [school.students[0], 'dashboard/student'],
      [school.parent, 'dashboard/parent'],
    ] as const
    for (const [user, component] of expectations) {
      const response = await client.get('/').loginAs(user).withInertia()
      response.assertStatus(200)
      response.assertInertiaComponent(component)
    }
  })

  test('the teacher sees their course and its scheduled class', async ({ client, assert }) => {
    const { teacher, course, classSession } = await createSchool()
    const response = await client.get('/').loginAs(teacher).withInertia()
    assert.deepEqual(response.inertiaProps.courses.map((c: any) => c.id), [course.id])
    assert.deepEqual(response.inertiaProps.classes.upcoming.map((c: any) => c.id), [classSession.id])
  })

  test('a parent sees only their linked child, with the child’s classes', async ({ client, assert }) => {
    const { parent, students, classSession } = await createSchool()
    const response = await client.get('/').loginAs(parent).withInertia()
    const children = response.inertiaProps.children
    assert.deepEqual(children.map((c: any) => c.id), [students[0].id])
    assert.deepEqual(children[0].classes.upcoming.map((c: any) => c.id), [classSession.id])
  })

  test('a student not enrolled in the course does not see its classes', async ({ client, assert }) => {
    const { outsider } = await createSchool()
    const response = await client.get('/').loginAs(outsider).withInertia()
    assert.lengthOf(response.inertiaProps.classes.upcoming, 0)
  })
})
