import { test } from '@japa/runner'
import { createSchool } from '#tests/helpers/fixtures'

/* Issue 15 item 11: the language comes from the user's profile, else from the browser. */
test.group('Profile language', () => {
  test('without a choice the browser’s language wins; a chosen language beats the browser; unsupported ones are refused', async ({ client, assert }) => {
    const { parent } = await createSchool()
    const localeOf = async (acceptLanguage: string) =>
      (await client.get('/').header('accept-language', acceptLanguage).loginAs(parent).withInertia()).inertiaProps.locale
    assert.equal(await localeOf('de-DE,de;q=0.9'), 'de')
    assert.equal(await localeOf('en-GB'), 'en')

    const saved = await client.put('/profile/locale').json({ locale: 'de' }).loginAs(parent).withCsrfToken().accept('json')
    saved.assertStatus(200)
    assert.equal(await localeOf('en-GB'), 'de')
    const page = await client.get('/').header('accept-language', 'en-GB').loginAs(parent).withInertia()
    assert.equal(page.inertiaProps.user.locale, 'de')

    const refused = await client.put('/profile/locale').json({ locale: 'xx' }).loginAs(parent).withCsrfToken().accept('json')
    refused.assertStatus(422)
    await client.put('/profile/locale').json({ locale: null }).loginAs(parent).withCsrfToken().accept('json')
    assert.equal(await localeOf('en-GB'), 'en')
  })
})
