import { test } from '@japa/runner'
import { TEST_URL } from '#tests/helpers/sockets'

const cookiesOf = (response: Response) => response.headers.getSetCookie()

test.group('Security: HTTPS behind a proxy', () => {
  test('over HTTPS (X-Forwarded-Proto from a trusted proxy) every cookie is Secure and HSTS is offered', async ({ assert }) => {
    const response = await fetch(`${TEST_URL}/login`, { headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(response.status, 200)
    const cookies = cookiesOf(response)
    assert.isAbove(cookies.length, 0)
    for (const cookie of cookies) assert.match(cookie, /;\s*Secure(;|$)/i, cookie)
    assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/)
  })

  test('over plain HTTP cookies stay usable (not Secure) and no HSTS is sent', async ({ assert }) => {
    const response = await fetch(`${TEST_URL}/login`)
    const cookies = cookiesOf(response)
    assert.isAbove(cookies.length, 0)
    for (const cookie of cookies) assert.notMatch(cookie, /;\s*Secure/i, cookie)
    assert.isNull(response.headers.get('strict-transport-security'))
  })
})
