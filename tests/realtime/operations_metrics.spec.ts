import { test } from '@japa/runner'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { createSchool } from '#tests/helpers/fixtures'
import { connectAs, send, sendOk } from '#tests/helpers/sockets'
import { getFrom } from '#tests/helpers/http_from'
import { eventually } from '#tests/helpers/poll'
import { TEST_URL } from '#tests/helpers/sockets'

const TOKEN = 'metrics-test-token-0123456789'
const OUTSIDE = '203.0.113.9'

function metricValue(body: string, line: string) {
  const found = body.split('\n').find((l) => l.startsWith(line + ' '))
  return found === undefined ? null : Number(found.slice(line.length + 1))
}

test.group('Operations: /metrics on the default settings (loopback only, loopback proxies trusted)', () => {
  test('serves loopback and refuses an outside client behind a loopback proxy', async ({ assert }) => {
    const direct = await getFrom(`${TEST_URL}/metrics`)
    assert.equal(direct.status, 200)
    assert.include(direct.body, 'aula_realtime_connections')
    const proxied = await getFrom(`${TEST_URL}/metrics`, { headers: { 'x-forwarded-for': OUTSIDE } })
    assert.equal(proxied.status, 403)
    assert.notInclude(proxied.body, 'aula_')
  })
})

test.group('Operations: /metrics of a web process with a network list, trusted proxies and a token', (group) => {
  let web: AppProcess
  group.setup(async () => {
    web = await startAppProcess({
      env: { METRICS_ALLOWED_NETWORKS: '127.0.0.1/32', TRUSTED_PROXIES: '127.0.0.1/32', METRICS_TOKEN: TOKEN },
    })
    return () => web.kill()
  })

  test('refuses anonymous clients outside the allowed networks, directly or through a proxy', async ({ assert }) => {
    // 127.0.0.2 is neither an allowed network nor a trusted proxy: its X-Forwarded-For is not believed.
    assert.equal((await getFrom(`${web.url}/metrics`, { localAddress: '127.0.0.2' })).status, 403)
    assert.equal(
      (await getFrom(`${web.url}/metrics`, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '127.0.0.1' } })).status,
      403,
      'a spoofed X-Forwarded-For from an untrusted peer is ignored'
    )
    // The trusted proxy (127.0.0.1) forwards an outside client: the client's address decides.
    assert.equal((await getFrom(`${web.url}/metrics`, { headers: { 'x-forwarded-for': OUTSIDE } })).status, 403)
    assert.equal(
      (await getFrom(`${web.url}/metrics`, { localAddress: '127.0.0.2', headers: { authorization: 'Bearer wrong-token' } })).status,
      403
    )
    // The allowed network itself, without token.
    assert.equal((await getFrom(`${web.url}/metrics`)).status, 200)
  })

  test('serves the token holder from anywhere, with live figures', async ({ assert }) => {
    const { students, classSession } = await createSchool({ liveClass: true })
    const socket = await connectAs(students[0], web.url)
    try {
      await sendOk(socket, 'session:join', { sessionId: classSession.id })
      await send(socket, 'no:such-event' as any, {})
      const auth = { authorization: `Bearer ${TOKEN}` }
      const scrape = await eventually('the metrics show the connection and the refused event', async () => {
        const result = await getFrom(`${web.url}/metrics`, { localAddress: '127.0.0.2', headers: auth })
        if (result.status !== 200) throw new Error(`status ${result.status}`)
        const ok =
          metricValue(result.body, 'aula_realtime_connections') === 1 &&
          metricValue(result.body, 'aula_realtime_errors_total{code="unknown_event"}') === 1
        return ok ? result : null
      })
      assert.match(String(scrape.headers['content-type']), /^text\/plain/)
      assert.isAtLeast(metricValue(scrape.body, 'aula_live_classes')!, 1, `live class ${classSession.id} counted`)
      assert.isAbove(metricValue(scrape.body, 'aula_realtime_events_per_second')!, 0)
      // Each event's time to its acknowledgement, by registered event name; other names count as unknown.
      assert.equal(metricValue(scrape.body, 'aula_realtime_event_duration_seconds_count{event="session:join"}'), 1)
      assert.isAbove(metricValue(scrape.body, 'aula_realtime_event_duration_seconds_sum{event="session:join"}')!, 0)
      assert.equal(metricValue(scrape.body, 'aula_realtime_event_duration_seconds_count{event="unknown"}'), 1)
      assert.notInclude(scrape.body, 'no:such-event')
      for (const name of ['aula_mail_outbox_messages{status="pending"}', 'aula_recording_queue{state="processing"}']) {
        assert.isNotNull(metricValue(scrape.body, name), `${name} is exported`)
      }
      assert.include(scrape.body, 'aula_sidecar_up{sidecar=')
      assert.include(scrape.body, 'aula_process_resident_memory_bytes')
      const proxied = await getFrom(`${web.url}/metrics`, { headers: { ...auth, 'x-forwarded-for': OUTSIDE } })
      assert.equal(proxied.status, 200, 'the token also works through the proxy')
    } finally {
      socket.disconnect()
    }
  })
})
