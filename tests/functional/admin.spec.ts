import { test } from '@japa/runner'
import PluginSettingsAudit from '#app/plugins/models/plugin_settings_audit'
import User from '#app/users/models/user'
import { createSchool } from '#tests/helpers/fixtures'

test.group('Admin: plugin settings', () => {
  test('settings round trip: save, read back, audited with old and new values', async ({ client, assert }) => {
    const { admin, school } = await createSchool()
    const saved = await client
      .put('/admin/plugins/chat')
      .json({ enabled: true, settings: { studentsMayChat: false, maxMessageLength: 120, messagesPerMinute: 5 } })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    saved.assertStatus(200)
    saved.assertBodyContains({ enabled: true, settings: { studentsMayChat: false, maxMessageLength: 120 } })

    const page = await client.get('/admin/plugins').loginAs(admin).withInertia()
    const chat = page.inertiaProps.plugins.find((p: any) => p.id === 'chat')
    assert.deepEqual(chat.settings, { studentsMayChat: false, maxMessageLength: 120, messagesPerMinute: 5 })
    assert.equal(chat.schema.maxMessageLength.type, 'number')

    const audit = await PluginSettingsAudit.query().where({ schoolId: school.id, pluginId: 'chat' }).firstOrFail()
    assert.equal(audit.userId, admin.id)
    assert.deepEqual(audit.oldValue, { enabled: true, settings: { studentsMayChat: true, maxMessageLength: 500, messagesPerMinute: 12 } })
    assert.deepEqual(audit.newValue.settings, { studentsMayChat: false, maxMessageLength: 120, messagesPerMinute: 5 })
  })

  test('invalid settings are refused with 422 and change nothing', async ({ client, assert }) => {
    const { admin, school } = await createSchool()
    const response = await client
      .put('/admin/plugins/chat')
      .json({ enabled: false, settings: { studentsMayChat: 'maybe', maxMessageLength: 99999, messagesPerMinute: 5 } })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(422)
    const audits = await PluginSettingsAudit.query().where({ schoolId: school.id })
    assert.lengthOf(audits, 0)
    const page = await client.get('/admin/plugins').loginAs(admin).withInertia()
    assert.isTrue(page.inertiaProps.plugins.find((p: any) => p.id === 'chat').enabled)
  })

  test('an unknown plugin is a 404', async ({ client }) => {
    const { admin } = await createSchool()
    const response = await client.put('/admin/plugins/nope').json({ enabled: true }).loginAs(admin).withCsrfToken().accept('json')
    response.assertStatus(404)
  })

  test('a school’s settings never leak to another school', async ({ client, assert }) => {
    const a = await createSchool()
    const b = await createSchool()
    await client.put('/admin/plugins/chat').json({ enabled: false }).loginAs(a.admin).withCsrfToken().accept('json')
    const pageA = await client.get('/admin/plugins').loginAs(a.admin).withInertia()
    const pageB = await client.get('/admin/plugins').loginAs(b.admin).withInertia()
    assert.isFalse(pageA.inertiaProps.plugins.find((p: any) => p.id === 'chat').enabled)
    assert.isTrue(pageB.inertiaProps.plugins.find((p: any) => p.id === 'chat').enabled)
  })
})

test.group('Admin: people and courses', () => {
  test('an admin creates a parent linked to a student of the school', async ({ client, assert }) => {
    const { admin, students, school } = await createSchool()
    const response = await client
      .post('/admin/users')
      .json({ fullName: 'New Parent', email: `np-${school.id}@test.aula`, password: 'long-enough', role: 'parent', childIds: [students[1].id] })
      .loginAs(admin)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(201)
    const parent = await User.findByOrFail('email', `np-${school.id}@test.aula`)
    assert.equal(parent.schoolId, school.id)
    const children = await parent.related('children').query()
    assert.deepEqual(children.map((c) => c.id), [students[1].id])
  })

  /* Validation of new users, one invalid field at a time: admin_effects.spec.ts. */

  test('an admin creates a course, enrols students and adds a preset group', async ({ client, assert }) => {
    const { admin, teacher, students } = await createSchool()
    const created = await client.post('/admin/courses').json({ name: 'Biology', teacherId: teacher.id }).loginAs(admin).withCsrfToken().accept('json')
    created.assertStatus(201)
    const id = created.body().id
    const enrol = await client.put(`/admin/courses/${id}/students`).json({ studentIds: students.map((s) => s.id) }).loginAs(admin).withCsrfToken().accept('json')
    enrol.assertStatus(200)
    const group = await client.post(`/admin/courses/${id}/groups`).json({ name: 'Table 1', studentIds: [students[0].id, students[1].id] }).loginAs(admin).withCsrfToken().accept('json')
    group.assertStatus(201)
    const page = await client.get(`/admin/courses/${id}`).loginAs(admin).withInertia()
    assert.lengthOf(page.inertiaProps.enrolledIds, students.length)
    assert.deepEqual(page.inertiaProps.groups[0].studentIds.sort(), [students[0].id, students[1].id].sort())
  })
})
