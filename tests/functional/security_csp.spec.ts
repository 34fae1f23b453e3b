import { test } from '@japa/runner'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { TEST_URL } from '#tests/helpers/sockets'
import { assertStrictPolicy, directivesOf } from '#tests/helpers/csp'

test.group('Security: Content-Security-Policy', () => {
  test('HTML pages carry a strict policy whose nonce is on every script and differs per response', async ({ assert }) => {
    const { teacher } = await createSchool()
    const cookie = await loginCookies(TEST_URL, teacher.email, PASSWORD)
    const nonces = new Set<string>()
    for (const [path, headers] of [
      ['/login', {}],
      ['/login', {}],
      ['/', { cookie }],
    ] as const) {
      const response = await fetch(`${TEST_URL}${path}`, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' })
      assert.equal(response.status, 200, path)
      const { nonce, policy } = assertStrictPolicy(assert, response.headers.get('content-security-policy'), await response.text(), path)
      nonces.add(nonce)
      // Sockets: the page's own host (ws: and wss:); Vite's HMR socket only because tests run Vite's dev server.
      const host = new URL(TEST_URL).host
      assert.includeMembers(policy.get('connect-src')!, ["'self'", `ws://${host}`, `wss://${host}`])
    }
    assert.equal(nonces.size, 3, 'a new nonce for every response')
  })

  test('error pages outside the routes carry a policy that allows nothing', async ({ assert }) => {
    const response = await fetch(`${TEST_URL}/no-such-page-${Date.now()}`, { headers: { accept: 'text/html' } })
    assert.equal(response.status, 404)
    const policy = directivesOf(response.headers.get('content-security-policy'))
    assert.deepEqual(policy.get('default-src'), ["'none'"])
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"])
  })
})
