import { test } from '@japa/runner'
import type { IncomingMessage } from 'node:http'
import { contentSecurityPolicyDirectives, ownSocketSources } from '#app/core/content_security_policy'

const request = (host: string) => ({ headers: { host } }) as unknown as IncomingMessage
const resolve = (values: (string | ((req: IncomingMessage) => string))[], host: string) =>
  values.map((v) => (typeof v === 'function' ? v(request(host)) : v)).join(' ')

test.group('Content-Security-Policy sources', () => {
  test('sockets of the page’s own host and of APP_URL', ({ assert }) => {
    assert.equal(ownSocketSources('127.0.0.1:3333'), 'ws://127.0.0.1:3333 wss://127.0.0.1:3333')
    assert.equal(ownSocketSources('Aula.School.example'), 'ws://aula.school.example wss://aula.school.example')
    assert.equal(ownSocketSources('[::1]:3333'), 'ws://[::1]:3333 wss://[::1]:3333')
    assert.equal(
      ownSocketSources('10.0.0.5:3333', 'https://aula.school.example/'),
      'ws://10.0.0.5:3333 wss://10.0.0.5:3333 ws://aula.school.example wss://aula.school.example'
    )
  })

  test('a Host header that is not a host name is left out, never echoed into the policy', ({ assert }) => {
    for (const host of ["evil.example;script-src *", "evil.example 'unsafe-inline'", 'a,b', 'evil.example/x', '*', '']) {
      assert.equal(ownSocketSources(host), '', JSON.stringify(host))
      const connect = resolve(contentSecurityPolicyDirectives({ viteHmr: true }).connectSrc, host)
      assert.notInclude(connect, 'evil', host)
      assert.notMatch(connect, /[;,*]/, host)
    }
  })

  test('Vite’s HMR socket is a source only when asked for (development and tests), never in production', ({ assert }) => {
    assert.notInclude(resolve(contentSecurityPolicyDirectives({ viteHmr: false }).connectSrc, 'localhost:3333'), '24678')
    assert.include(resolve(contentSecurityPolicyDirectives({ viteHmr: true }).connectSrc, 'localhost:3333'), 'ws://localhost:24678')
  })
})
