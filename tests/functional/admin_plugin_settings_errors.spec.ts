import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'

/*
| An invalid plugin setting saved from the admin's plugins page (an Inertia form, not JSON) comes back
| to that page as an error under the field, in the admin's language. The page reads Inertia's
| `errors` prop, which Inertia's middleware fills from the session's inputErrorsBag; flashing under
| any other key left the admin with no message at all (issue 15 item 11, bug found on the way).
*/
test.group('Admin: plugin settings errors reach the plugins page', () => {
  for (const [locale, expected] of [
    ['en', /^Must not be greater than 2000$/],
    ['de', /^Darf höchstens 2000 sein$/],
  ] as const) {
    test(`a refused setting is shown under its field (${locale})`, async ({ client, assert }) => {
      const { admin } = await createSchool()
      const saved = await client
        .put('/admin/plugins/chat')
        .header('accept-language', locale)
        .header('referer', '/admin/plugins')
        .json({ enabled: true, settings: { studentsMayChat: true, maxMessageLength: 999999, messagesPerMinute: 12 } })
        .loginAs(admin)
        .withCsrfToken()
        .withInertia()
        .redirects(0)
      saved.assertStatus(303) // Inertia turns a redirect after PUT into 303

      const page = await client
        .get('/admin/plugins')
        .header('accept-language', locale)
        .withFlashMessages(saved.flashMessages())
        .loginAs(admin)
        .withInertia()
      const errors = page.inertiaProps.errors as Record<string, string>
      assert.match(errors['chat.maxMessageLength'] ?? '', expected)
      assert.deepEqual(Object.keys(errors), ['chat.maxMessageLength'])
      assert.match((page.inertiaProps.flash as { error: string }).error, locale === 'de' ? /nicht gespeichert/ : /not saved/)
    })
  }
})
