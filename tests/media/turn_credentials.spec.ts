import { test } from '@japa/runner'
import { createHmac } from 'node:crypto'
import { iceServersFor, turnConfigFrom, turnCredentials } from '#app/media/turn'
import { createSchool } from '#tests/helpers/fixtures'
import { eventually } from '#tests/helpers/poll'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { connectAs, send, sendOk, type TestSocket } from '#tests/helpers/sockets'
import { coturnInstalled, startCoturn, turnAllocate, type Coturn } from '#tests/helpers/turn'
import '#plugins/video/events'

/* A port of this checkout (PORT differs per worktree), so parallel checkouts do not collide. */
const TURN_PORT = 34000 + (Number(process.env.PORT ?? 3334) % 1000)
const TURN_SECRET = 'test-turn-secret-0123456789'

const hmac = (secret: string, username: string) => createHmac('sha1', secret).update(username).digest('base64')

test.group('TURN credentials (coturn REST scheme)', (group) => {
  let coturn: Coturn | null = null
  group.setup(async () => {
    // Verified against a real coturn when Debian's package is installed (bin/setup/system_packages.sh installs it).
    if (coturnInstalled()) coturn = await startCoturn({ host: '127.0.0.1', port: TURN_PORT, secret: TURN_SECRET })
    return () => coturn?.stop()
  })

  test('credentials are <expiry>:<userId> with an HMAC-SHA1 of the secret, accepted until their expiry and refused after', async ({
    assert,
  }) => {
    const config = turnConfigFrom({ urls: `turn:127.0.0.1:${TURN_PORT}?transport=udp`, secret: TURN_SECRET, ttlSeconds: 3 })!
    const issuedAt = Date.now()
    const { username, credential, expiresAt } = turnCredentials(config, 42, issuedAt)
    assert.equal(username, `${Math.floor(issuedAt / 1000) + 3}:42`)
    assert.equal(expiresAt, Math.floor(issuedAt / 1000) + 3)
    assert.equal(credential, hmac(TURN_SECRET, username))
    if (!coturn) {
      console.warn('coturn is not installed: TURN credentials checked by the scheme only')
      return
    }
    assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, username, credential), 'allocated')
    // Forged: a later expiry with the old credential, or the right username signed with another secret.
    assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, `${expiresAt + 3600}:42`, credential), 401)
    assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, username, hmac('another-secret', username)), 401)
    // Expiry: coturn refuses the same credentials once the clock passes the expiry in the username, not before.
    await eventually('coturn refuses the expired credentials', async () => (await turnAllocate('127.0.0.1', TURN_PORT, username, credential)) === 401, {
      timeoutMs: 8000,
      intervalMs: 250,
    })
    assert.isAtLeast(Date.now() / 1000, expiresAt)
  })

  test('TURN configuration is checked (URLs, secret, lifetime)', ({ assert }) => {
    assert.isNull(turnConfigFrom({ urls: '' }))
    assert.throws(() => turnConfigFrom({ urls: 'turn:a:3478' }), /TURN_SECRET/)
    assert.throws(() => turnConfigFrom({ urls: 'http://a', secret: 's' }), /not a turn/)
    assert.throws(() => turnConfigFrom({ urls: 'turn:a', secret: 's', ttlSeconds: 0 }), /TURN_TTL_SECONDS/)
    assert.deepEqual(turnConfigFrom({ urls: 'turn:a:3478, turns:a:443?transport=tcp', secret: 's' }), {
      urls: ['turn:a:3478', 'turns:a:443?transport=tcp'],
      secret: 's',
      ttlSeconds: 3600,
      relayOnly: false,
    })
    assert.isTrue(turnConfigFrom({ urls: 'turn:a:3478', secret: 's', relayOnly: 'true' })!.relayOnly)
    assert.equal(iceServersFor(turnConfigFrom({ urls: 'turn:a:3478', secret: 's', relayOnly: '1' }), 7).iceTransportPolicy, 'relay')
    assert.equal(iceServersFor(null, 7).iceTransportPolicy, 'all')
  })
})

test.group('TURN credentials through the class join path', (group) => {
  let sidecar: SidecarProcess
  let coturn: Coturn | null = null
  const open: TestSocket[] = []
  const saved = { urls: process.env.TURN_URLS, secret: process.env.TURN_SECRET, ttl: process.env.TURN_TTL_SECONDS }
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET })
    if (coturnInstalled()) coturn = await startCoturn({ host: '127.0.0.1', port: TURN_PORT, secret: TURN_SECRET })
    process.env.TURN_URLS = `turn:127.0.0.1:${TURN_PORT}?transport=udp,turn:127.0.0.1:${TURN_PORT}?transport=tcp`
    process.env.TURN_SECRET = TURN_SECRET
    process.env.TURN_TTL_SECONDS = '600'
    return async () => {
      for (const [key, value] of [
        ['TURN_URLS', saved.urls],
        ['TURN_SECRET', saved.secret],
        ['TURN_TTL_SECONDS', saved.ttl],
      ] as const) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
      await coturn?.stop()
      await sidecar.kill('SIGKILL')
    }
  })
  group.each.teardown(() => open.splice(0).forEach((s) => s.disconnect()))

  const socketOf = async (user: { email: string }) => {
    const socket = await connectAs(user)
    open.push(socket)
    return socket
  }

  test('a student of the live class gets working short-lived credentials; other schools, outsiders and scheduled classes get none', async ({
    assert,
  }) => {
    const { students, outsider, classSession } = await createSchool({ liveClass: true })
    const student = await socketOf(students[0])
    await sendOk(student, 'session:join', { sessionId: classSession.id })
    const before = Math.floor(Date.now() / 1000)
    const joined = await sendOk(student, 'video:join', {})
    assert.lengthOf(joined.iceServers, 1)
    const [server] = joined.iceServers
    assert.deepEqual(server.urls, [`turn:127.0.0.1:${TURN_PORT}?transport=udp`, `turn:127.0.0.1:${TURN_PORT}?transport=tcp`])
    const [expiry, userId] = server.username.split(':')
    assert.equal(userId, String(students[0].id))
    assert.equal(Number(expiry), joined.iceExpiresAt)
    assert.isAtLeast(Number(expiry), before + 600)
    assert.isAtMost(Number(expiry), Math.floor(Date.now() / 1000) + 600)
    assert.equal(server.credential, hmac(TURN_SECRET, server.username))
    assert.notInclude(JSON.stringify(joined), TURN_SECRET)
    if (coturn) assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, server.username, server.credential), 'allocated')

    // Fresh credentials later on (the browser asks before expiry), for the same user only.
    const fresh = await sendOk(student, 'video:ice_servers', {})
    assert.equal(fresh.iceServers[0].username.split(':')[1], String(students[0].id))
    assert.equal(fresh.iceServers[0].credential, hmac(TURN_SECRET, fresh.iceServers[0].username))

    // A teacher and a student of another school, and an outsider of the same school, get no credentials.
    const other = await createSchool({ liveClass: true })
    for (const user of [other.teacher, other.students[0], outsider]) {
      const socket = await socketOf(user)
      const join = await send(socket, 'session:join', { sessionId: classSession.id })
      assert.isFalse(join.ok, `${user.email} joined a class it does not belong to`)
      for (const event of ['video:join', 'video:ice_servers'] as const) {
        const answer = await send(socket, event, {})
        assert.isFalse(answer.ok)
        assert.notInclude(JSON.stringify(answer), 'credential')
      }
    }

    // Not before the class is live.
    const scheduled = await createSchool({ liveClass: false })
    const early = await socketOf(scheduled.students[0])
    assert.isFalse((await send(early, 'session:join', { sessionId: scheduled.classSession.id })).ok)
    assert.isFalse((await send(early, 'video:join', {})).ok)
  })

  test('credentials handed out through video:join stop working at the expiry they carry (real coturn), and fresh ones work', async ({
    assert,
  }) => {
    if (!coturn) {
      console.warn('coturn is not installed: expiry through the join path not checked against a TURN server')
      return
    }
    process.env.TURN_TTL_SECONDS = '3'
    try {
      const { students, classSession } = await createSchool({ liveClass: true })
      const student = await socketOf(students[0])
      await sendOk(student, 'session:join', { sessionId: classSession.id })
      const joined = await sendOk(student, 'video:join', {})
      const [server] = joined.iceServers
      assert.equal(joined.iceExpiresAt, Number(server.username.split(':')[0]))
      assert.isAtMost(joined.iceExpiresAt! - Date.now() / 1000, 3)
      assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, server.username, server.credential), 'allocated')
      // Once the clock has passed the expiry they carry, coturn refuses them (asked only then: every accepted
      // Allocate takes one of the test coturn's few relay ports).
      await eventually('the expiry has passed', () => Date.now() / 1000 > joined.iceExpiresAt!, { timeoutMs: 5000, intervalMs: 100 })
      await eventually(
        'coturn refuses the handed-out credentials',
        async () => (await turnAllocate('127.0.0.1', TURN_PORT, server.username, server.credential)) === 401,
        { timeoutMs: 5000, intervalMs: 250 }
      )
      // What the browser does before expiry: ask again, and the new credentials are accepted.
      const fresh = (await sendOk(student, 'video:ice_servers', {})).iceServers[0]
      assert.isAbove(Number(fresh.username.split(':')[0]), joined.iceExpiresAt!)
      assert.equal(await turnAllocate('127.0.0.1', TURN_PORT, fresh.username, fresh.credential), 'allocated')
    } finally {
      process.env.TURN_TTL_SECONDS = '600'
    }
  })

  test('a user of another school, even in a live class of their own, cannot join the class nor get ICE answers for its transports', async ({
    assert,
  }) => {
    const a = await createSchool({ liveClass: true })
    const b = await createSchool({ liveClass: true })
    const studentA = await socketOf(a.students[0])
    await sendOk(studentA, 'session:join', { sessionId: a.classSession.id })
    await sendOk(studentA, 'video:join', {})
    const transportA = await sendOk(studentA, 'video:transport', { direction: 'recv' })

    for (const intruder of [b.teacher, b.students[0]]) {
      const socket = await socketOf(intruder)
      const refused = await send(socket, 'session:join', { sessionId: a.classSession.id })
      assert.isFalse(refused.ok)
      if (!refused.ok) assert.oneOf(refused.error.code, ['forbidden', 'not_found'])
      for (const event of ['video:join', 'video:ice_servers'] as const) {
        const answer = await send(socket, event, {})
        assert.isFalse(answer.ok)
        if (!answer.ok) assert.equal(answer.error.code, 'not_in_session', event)
      }
      // In their own live class they get credentials (for themselves), but never an ICE restart of class A's transport.
      await sendOk(socket, 'session:join', { sessionId: b.classSession.id })
      await sendOk(socket, 'video:join', {})
      const restart = await send(socket, 'video:restart_ice', { transportId: transportA.id })
      assert.isFalse(restart.ok)
      if (!restart.ok) assert.equal(restart.error.code, 'forbidden')
      assert.notInclude(JSON.stringify(restart), 'credential')
    }
  })

  test('without TURN_URLS the browser gets no ICE servers', async ({ assert }) => {
    const urls = process.env.TURN_URLS
    delete process.env.TURN_URLS
    try {
      const { students, classSession } = await createSchool({ liveClass: true })
      const student = await socketOf(students[0])
      await sendOk(student, 'session:join', { sessionId: classSession.id })
      const joined = await sendOk(student, 'video:join', {})
      assert.deepEqual(joined.iceServers, [])
      assert.isNull(joined.iceExpiresAt)
    } finally {
      process.env.TURN_URLS = urls
    }
  })
})
