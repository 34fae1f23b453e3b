import { test } from '@japa/runner'
import { io, type Socket } from 'socket.io-client'
import type { Ack, Participant, SessionSnapshot } from '#app/realtime/events'
import type { ChatMessageView } from '#plugins/chat/events'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { loginCookies } from '#tests/helpers/http_login'
import { nextEvent, sendOk, trackParticipants } from '#tests/helpers/sockets'
import { eventually } from '#tests/helpers/poll'
import { startAppProcess, TEST_REDIS_URL, type AppProcess } from '#tests/helpers/app_process'
import { checkHaproxyConfig, HAPROXY_RECIPE, startHaproxy, type RunningHaproxy } from '#tests/helpers/haproxy'
import '#plugins/chat/events'

/*
| deploy/haproxy/aula.cfg (the recipe an operator installs) run by Debian's HAProxy in front of two real
| web processes on Redis; clients connect through it as browsers do (login page, AULA_NODE cookie,
| WebSocket, rejoin on every connect). One web process is killed with SIGKILL: its clients must come
| back through the balancer on the other one, on their first attempt, and find their class as it was.
*/

const connections = async (app: AppProcess) => {
  const body = await (await fetch(`${app.url}/metrics`)).text()
  return Number(/^aula_realtime_connections (\d+)/m.exec(body)?.[1] ?? NaN)
}

interface Client {
  name: string
  userId: number
  socket: Socket
  /** The process that served it before the kill. */
  app: AppProcess
  snapshots: SessionSnapshot[]
  disconnects: string[]
  failedAttempts: number
  participants: ReturnType<typeof trackParticipants>
}

/** A browser-like client through the balancer: logs in on the login form, reconnects, rejoins on every connect. */
async function connectThrough(balancer: RunningHaproxy, user: { id: number; email: string; fullName: string }, sessionId: number) {
  const cookie = await loginCookies(balancer.url, user.email, PASSWORD)
  if (!/AULA_NODE=/.test(cookie)) throw new Error(`the balancer set no AULA_NODE cookie: ${cookie}`)
  const socket = io(balancer.url, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 })
  const client = {
    name: user.fullName,
    userId: user.id,
    socket,
    snapshots: [] as SessionSnapshot[],
    disconnects: [] as string[],
    failedAttempts: 0,
    participants: trackParticipants(socket),
  }
  socket.on('connect', () => {
    client.participants.joining()
    socket.emit('session:join', { sessionId }, (ack: Ack<SessionSnapshot>) => {
      if (!ack.ok) return
      client.participants.joined(ack.data)
      client.snapshots.push(ack.data)
    })
  })
  socket.on('disconnect', (reason) => client.disconnects.push(reason))
  // A reconnection attempt that failed (e.g. the balancer answered 503 after its retries on a dead process).
  socket.io.on('reconnect_error', () => client.failedAttempts++)
  await eventually(`${user.fullName} joined through the balancer`, () => client.snapshots.length === 1)
  return client
}

const handsOf = (participants: Participant[]) =>
  Object.fromEntries(participants.filter((p) => p.handRaisedAt).map((p) => [p.userId, p.handRaisedAt]))
const idsOf = (participants: Participant[]) => participants.map((p) => p.userId).sort((a, b) => a - b)

test.group('Load balancer: the deploy/ recipe\'s HAProxy in front of two web processes', () => {
  test('the recipe\'s config is valid for Debian\'s HAProxy as shipped', async ({ assert }) => {
    assert.match(await checkHaproxyConfig(HAPROXY_RECIPE), /Configuration file is valid/)
  })

  test('a web process killed: its clients reconnect through HAProxy to the other and keep their class', async ({ assert }) => {
    const apps = await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL }), startAppProcess({ redisUrl: TEST_REDIS_URL })])
    let balancer: RunningHaproxy | undefined
    const clients: Client[] = []
    try {
      balancer = await startHaproxy(apps.map((app) => ({ name: `web${app.port}`, port: app.port })))
      const haproxy = balancer
      await eventually('HAProxy sees both web processes UP', async () => Object.values(await haproxy.serverStates()).every((s) => s === 'UP')).catch(
        async (error) => {
          throw new Error(`${error.message}: ${JSON.stringify(await haproxy.serverStates())}\n${haproxy.output()}`)
        }
      )

      const { teacher, students, classSession } = await createSchool({ liveClass: true, students: 4 })
      // One at a time, to see which process each one landed on (its connection count goes up).
      for (const user of [teacher, ...students]) {
        const before = await Promise.all(apps.map(connections))
        const client = await connectThrough(haproxy, user, classSession.id)
        const after = await eventually(`${user.fullName}'s connection counted`, async () => {
          const now = await Promise.all(apps.map(connections))
          return now[0] + now[1] === before[0] + before[1] + 1 ? now : null
        })
        clients.push(Object.assign(client, { app: apps[after[0] > before[0] ? 0 : 1] }))
      }
      const on = (app: AppProcess) => clients.filter((c) => c.app === app)
      assert.isAbove(on(apps[0]).length, 0, 'the balancer spread the clients over both processes')
      assert.isAbove(on(apps[1]).length, 0, 'the balancer spread the clients over both processes')
      const [killed, survivor] = on(apps[0]).length >= on(apps[1]).length ? [apps[0], apps[1]] : [apps[1], apps[0]]
      const moved = on(killed)
      const stayed = on(survivor)

      // Class state before the kill: a raised hand on each process, a chat message from a moved client.
      const raisers = [moved.find((c) => c.userId !== teacher.id)!, stayed.find((c) => c.userId !== teacher.id)!]
      for (const raiser of raisers) await sendOk(raiser.socket as any, 'presence:hand', { raised: true })
      const everyone = clients.map((c) => c.userId).sort((a, b) => a - b)
      assert.deepEqual(idsOf(clients.at(-1)!.snapshots[0].participants), everyone, 'the last one in sees all five')
      await eventually('everyone sees the two hands', () =>
        clients.every((c) => c.participants.current().length === 5 && Object.keys(handsOf(c.participants.current())).length === 2)
      )
      const hands = handsOf(clients[0].participants.current())
      const before = await sendOk(moved[0].socket as any, 'chat:send', { body: 'before the crash' })

      await killed.kill('SIGKILL')

      // The moved clients come back through the balancer, each on its first attempt (a refused
      // connection to the dead process is retried on the other: retries + redispatch), and rejoin.
      await eventually(
        'every client of the killed process rejoined',
        () => moved.every((c) => c.disconnects.length === 1 && c.snapshots.length === 2 && c.socket.connected),
        { timeoutMs: 30_000 }
      )
      assert.deepEqual(moved.map((c) => c.failedAttempts), moved.map(() => 0), 'no reconnection attempt failed')
      assert.deepEqual(stayed.map((c) => c.disconnects), stayed.map(() => []), 'the survivor\'s clients were not disturbed')
      await eventually('the survivor holds every client', async () => (await connections(survivor)) === clients.length)
      // The health check takes the dead process out.
      await eventually('HAProxy marks the killed process DOWN', async () => {
        const states = await haproxy.serverStates()
        return states[`web${killed.port}`] === 'DOWN' && states[`web${survivor.port}`] === 'UP'
      })

      // Presence and hands: every rejoin snapshot holds the survivor's people and the same hands,
      // and everyone's list is back to all five with the two hands raised at the same times.
      for (const client of moved) {
        const snapshot = client.snapshots[1].participants
        for (const other of [...stayed, client]) assert.include(idsOf(snapshot), other.userId, `${client.name}'s rejoin snapshot`)
        for (const p of snapshot) assert.equal(p.handRaisedAt, hands[p.userId] ?? null, `${client.name}'s rejoin snapshot: ${p.fullName}'s hand`)
      }
      await eventually('everyone sees all five again, with the same two hands', () =>
        clients.every((c) => idsOf(c.participants.current()).join() === everyone.join() && JSON.stringify(handsOf(c.participants.current())) === JSON.stringify(hands))
      )

      // Chat: the history is there, and messages cross between moved and staying clients.
      const history = await sendOk(moved.at(-1)!.socket as any, 'chat:history', {})
      assert.include(history.messages.map((m: ChatMessageView) => m.id), before.message.id)
      for (const sender of [moved[0], stayed[0]]) {
        const body = `after the crash from ${sender.name}`
        const received = clients.filter((c) => c !== sender).map((c) => nextEvent(c.socket as any, 'chat:message', (m) => m.message.body === body))
        await sendOk(sender.socket as any, 'chat:send', { body })
        assert.lengthOf(await Promise.all(received), clients.length - 1)
      }
    } finally {
      clients.forEach((c) => c.socket.disconnect())
      await balancer?.stop()
      await Promise.all(apps.map((app) => app.kill('SIGKILL')))
    }
  }).timeout(180_000)
})
