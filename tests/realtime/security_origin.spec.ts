import { test } from '@japa/runner'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { TEST_URL } from '#tests/helpers/sockets'
import { io } from 'socket.io-client'
import { allowedOrigins, originAllowed } from '#app/realtime/origin_check'

/** Opens a socket as a browser on `origin` would: with the user's cookies and that Origin header. */
function connectFrom(origin: string, cookie: string) {
  const socket = io(TEST_URL, { transports: ['websocket'], extraHeaders: { cookie, origin }, reconnection: false, forceNew: true })
  return new Promise<string>((resolve) => {
    socket.once('connect', () => {
      socket.disconnect()
      resolve('connected')
    })
    socket.once('connect_error', (error) => {
      socket.disconnect()
      resolve(error.message)
    })
  })
}

test.group('Security: socket handshake Origin', () => {
  test('a page on another origin cannot open a socket with the user’s cookies; the app’s own origin can', async ({ assert }) => {
    const { students } = await createSchool()
    const cookie = await loginCookies(TEST_URL, students[0].email, PASSWORD)
    assert.equal(await connectFrom('https://evil.example', cookie), 'origin_not_allowed')
    assert.equal(await connectFrom('http://127.0.0.1:1', cookie), 'origin_not_allowed')
    assert.equal(await connectFrom('null', cookie), 'origin_not_allowed')
    assert.equal(await connectFrom(new URL(TEST_URL).origin, cookie), 'connected')
  })
})

test.group('Security: allowed origins (ALLOWED_ORIGINS, APP_URL)', () => {
  test('configured origins are allowed besides the host’s own; others are not', ({ assert }) => {
    const configured = allowedOrigins({ ALLOWED_ORIGINS: 'https://aula.example.org, https://lms.example.org/path', APP_URL: 'https://class.example.org' })
    const request = (origin: string | undefined) => ({ headers: { origin, host: 'internal:3333' } }) as any
    assert.isTrue(originAllowed(request('https://aula.example.org'), configured))
    assert.isTrue(originAllowed(request('https://lms.example.org'), configured))
    assert.isTrue(originAllowed(request('https://class.example.org'), configured))
    assert.isTrue(originAllowed(request('http://internal:3333'), configured))
    assert.isTrue(originAllowed(request(undefined), configured))
    assert.isFalse(originAllowed(request('https://evil.example'), configured))
    assert.isFalse(originAllowed(request('https://aula.example.org.evil.example'), configured))
  })
})
