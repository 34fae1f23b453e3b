import { test } from '@japa/runner'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { startRedisServer, type RedisServerProcess } from '#tests/helpers/redis_server'
import { freePort } from '#tests/helpers/ports'
import { eventually } from '#tests/helpers/poll'
import type { Readiness } from '#app/operations/health'

const SECRET = 'health-test-secret'

async function ready(app: AppProcess) {
  const response = await fetch(`${app.url}/health/ready`)
  return { status: response.status, body: (await response.json()) as Readiness }
}

test.group('Operations: /health and /health/ready of a real web process', (group) => {
  let processes: { kill(): Promise<void> }[] = []
  group.each.teardown(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill()))
  })

  test('a stopped media sidecar makes the process not ready; liveness stays', async ({ assert }) => {
    const sidecarPort = await freePort()
    const sidecar: SidecarProcess = await startSidecarProcess({ port: sidecarPort, secret: SECRET })
    processes.push(sidecar)
    const web = await startAppProcess({ env: { MEDIA_SIDECARS: sidecar.url, MEDIA_RPC_SECRET: SECRET } })
    processes.push(web)

    const before = await eventually('the web process is ready with its sidecar', async () => {
      const result = await ready(web)
      return result.status === 200 ? result : null
    })
    assert.isTrue(before.body.ready)
    assert.deepEqual(before.body.checks.sidecars, [{ url: sidecar.url, ok: true }])
    assert.isTrue(before.body.checks.database.ok)

    await sidecar.kill('SIGKILL')
    const after = await eventually('the stopped sidecar is reported', async () => {
      const result = await ready(web)
      return result.status === 503 ? result : null
    })
    assert.isFalse(after.body.ready)
    assert.deepEqual(after.body.checks.sidecars, [{ url: sidecar.url, ok: false }])
    assert.isTrue(after.body.checks.database.ok, 'the database is still fine: only the sidecar is down')
    assert.equal((await fetch(`${web.url}/health`)).status, 200, 'liveness does not depend on the sidecar')
  })

  test('a Redis that stops makes the process not ready', async ({ assert }) => {
    const redis: RedisServerProcess = await startRedisServer()
    processes.push({ kill: () => redis.stop() })
    const web = await startAppProcess({ redisUrl: redis.url, env: { MEDIA_SIDECARS: `tcp://127.0.0.1:${await freePort()}` } })
    processes.push(web)

    const before = await eventually('Redis is reported ready', async () => {
      const { body } = await ready(web)
      return body.checks.redis?.ok ? body : null
    })
    assert.isTrue(before.checks.database.ok)

    await redis.stop()
    const after = await eventually('the stopped Redis is reported', async () => {
      const result = await ready(web)
      return result.body.checks.redis && !result.body.checks.redis.ok ? result : null
    })
    assert.equal(after.status, 503)
    assert.isFalse(after.body.ready)
    assert.isTrue(after.body.checks.database.ok)
    assert.equal((await fetch(`${web.url}/health`)).status, 200)
  })

  test('a Redis that was never reachable (closed port) makes the process not ready', async ({ assert }) => {
    const closedPort = await freePort()
    const web = await startAppProcess({ redisUrl: `redis://127.0.0.1:${closedPort}` })
    processes.push(web)
    const { status, body } = await ready(web)
    assert.equal(status, 503)
    assert.isFalse(body.ready)
    assert.isNotNull(body.checks.redis)
    assert.isFalse(body.checks.redis!.ok)
    assert.isTrue(body.checks.database.ok)
  })
})
