/*
| One client generator of the connections bench, in its own process (forked by run.ts and pinned
| to its own cores with taskset). Holds its share of the socket.io clients (WebSocket transport,
| one connection per client, each from one of several 127.0.0.x source addresses), joins every
| client to its class on every connect (as the browser does), runs the classroom activity of its
| clients during the soak and measures, with one clock shared by every process of the machine
| (performance.timeOrigin + now), the latency from a chat message's sender to each receiver.
*/
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'

export interface GroupClient {
  userId: number
  classId: number
  role: 'teacher' | 'student'
  cookie: string
  /** Index of the app process this client connects to first. */
  app: number
  localAddress: string
}

export interface Rates {
  /** Per class per second. */
  chat: number
  reactions: number
  hands: number
  /** A student leaves the class and joins again (presence change). */
  presence: number
}

export type ToGroup =
  | { type: 'connect'; clients: GroupClient[]; apps: string[]; perSecond: number; joinTimeoutMs: number }
  | { type: 'soak'; seconds: number; rates: Rates; classesHere: number[] }
  | { type: 'storm'; deadApp: number; aliveApps: number[] }
  | { type: 'await-rejoin'; timeoutMs: number }
  | { type: 'close' }

export interface JoinReport {
  joined: number
  failed: number
  failures: Record<string, number>
  firstAttemptAt: number
  lastJoinAt: number
  joinMs: number[]
}

export interface SoakReport {
  /** Latency histogram, 1 ms buckets (index = ms), last bucket = overflow. */
  latencyHistogram: number[]
  chatSent: number
  chatAcked: number
  chatErrors: Record<string, number>
  otherSent: number
  otherErrors: Record<string, number>
  received: number
  disconnectsDuringSoak: number
  loopDelayMs: { p50: number; p99: number; max: number }
}

export interface StormReport {
  affected: number
  rejoined: number
  lastRejoinAt: number
  failures: Record<string, number>
}

export type FromGroup =
  | { type: 'connected'; report: JoinReport }
  | { type: 'soaked'; report: SoakReport }
  | { type: 'storm-ready' }
  | { type: 'rejoined'; report: StormReport }
  | { type: 'closed' }
  | { type: 'error'; message: string }

const HISTOGRAM_MS = 10_000
const clock = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const send = (message: FromGroup) => process.send!(message)
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1)

interface Live {
  spec: GroupClient
  socket: Socket
  joins: number
  joinedAt: number
  /** Set while the class is measured: joining again after a kill counts for the storm. */
  handUp: boolean
}

const live: Live[] = []
let appUrls: string[] = []
let measuring = false
const histogram = new Float64Array(HISTOGRAM_MS + 1)
let received = 0
let disconnects = 0
let storm: { affected: Set<Live>; rejoined: Set<Live>; lastRejoinAt: number; failures: Record<string, number> } | null = null

function ack<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs: number) {
  return new Promise<{ ok: boolean; data?: T; error?: { code: string } }>((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (error: Error | null, response: any) => {
      resolve(error ? { ok: false, error: { code: 'ack_timeout' } } : response)
    })
  })
}

async function connectAll(clients: GroupClient[], apps: string[], perSecond: number, joinTimeoutMs: number): Promise<JoinReport> {
  appUrls = apps
  const report: JoinReport = { joined: 0, failed: 0, failures: {}, firstAttemptAt: clock(), lastJoinAt: 0, joinMs: [] }
  let settled = 0
  const done = new Promise<void>((resolve) => {
    const check = () => settled === clients.length && resolve()
    const intervalMs = 1000 / perSecond
    const start = performance.now()
    clients.forEach((spec, index) => {
      setTimeout(() => {
        const startedAt = clock()
        const socket = io(apps[spec.app], {
          transports: ['websocket'],
          extraHeaders: { cookie: spec.cookie },
          localAddress: spec.localAddress,
          forceNew: true,
          // As the Vue client (resources/js/lib/realtime.ts).
          reconnectionDelay: 500,
          reconnectionDelayMax: 4000,
          timeout: joinTimeoutMs,
        } as any)
        const client: Live = { spec, socket, joins: 0, joinedAt: 0, handUp: false }
        live.push(client)
        let first = true
        const failFirst = (reason: string) => {
          if (!first) return
          first = false
          report.failed++
          bump(report.failures, reason)
          settled++
          check()
        }
        const timer = setTimeout(() => failFirst('join_timeout'), joinTimeoutMs)
        socket.on('connect_error', (error) => {
          if (first && !socket.active) failFirst(`connect_error:${error.message}`)
          if (storm?.affected.has(client)) bump(storm.failures, `connect_error:${error.message}`)
        })
        socket.on('disconnect', () => {
          if (measuring) disconnects++
        })
        socket.on('connect', async () => {
          const result = await ack(socket, 'session:join', { sessionId: spec.classId }, joinTimeoutMs)
          if (!result.ok) {
            if (first) {
              clearTimeout(timer)
              failFirst(`join:${result.error?.code}`)
            } else if (storm?.affected.has(client)) bump(storm.failures, `join:${result.error?.code}`)
            return
          }
          client.joins++
          client.joinedAt = clock()
          if (first) {
            first = false
            clearTimeout(timer)
            report.joined++
            report.joinMs.push(client.joinedAt - startedAt)
            report.lastJoinAt = Math.max(report.lastJoinAt, client.joinedAt)
            settled++
            check()
          } else if (storm?.affected.has(client)) {
            storm.rejoined.add(client)
            storm.lastRejoinAt = Math.max(storm.lastRejoinAt, client.joinedAt)
          }
        })
        socket.on('chat:message', ({ message }: { message: { body: string } }) => {
          if (!measuring || !message.body.startsWith('bench:')) return
          const sentAt = Number(message.body.slice(6))
          received++
          histogram[Math.min(HISTOGRAM_MS, Math.max(0, Math.round(clock() - sentAt)))]++
        })
      }, start + index * intervalMs - performance.now())
    })
    if (!clients.length) resolve()
  })
  await done
  return report
}

async function soak(seconds: number, rates: Rates, classesHere: number[]): Promise<SoakReport> {
  histogram.fill(0)
  received = 0
  disconnects = 0
  const report: SoakReport = {
    latencyHistogram: [],
    chatSent: 0,
    chatAcked: 0,
    chatErrors: {},
    otherSent: 0,
    otherErrors: {},
    received: 0,
    disconnectsDuringSoak: 0,
    loopDelayMs: { p50: 0, p99: 0, max: 0 },
  }
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  measuring = true
  const byClass = new Map<number, Live[]>()
  for (const client of live) {
    if (!classesHere.includes(client.spec.classId)) continue
    byClass.set(client.spec.classId, [...(byClass.get(client.spec.classId) ?? []), client])
  }
  const pick = (members: Live[]) => members[Math.floor(Math.random() * members.length)]
  const students = (members: Live[]) => members.filter((m) => m.spec.role === 'student' && m.socket.connected)
  const end = performance.now() + seconds * 1000
  const pending: Promise<unknown>[] = []
  const other = async (socket: Socket, event: string, payload: unknown) => {
    report.otherSent++
    const result = await ack(socket, event, payload, 10_000)
    if (!result.ok) bump(report.otherErrors, `${event}:${result.error?.code}`)
  }
  // One tick per 100 ms; each class fires each activity with probability rate × 0.1 (Poisson-like).
  while (performance.now() < end) {
    const tickStart = performance.now()
    for (const members of byClass.values()) {
      const active = students(members)
      if (!active.length) continue
      if (Math.random() < rates.chat * 0.1) {
        const sender = pick(active)
        report.chatSent++
        pending.push(
          ack(sender.socket, 'chat:send', { body: `bench:${clock()}` }, 10_000).then((r) => {
            if (r.ok) report.chatAcked++
            else bump(report.chatErrors, r.error?.code ?? 'unknown')
          })
        )
      }
      if (Math.random() < rates.reactions * 0.1) pending.push(other(pick(active).socket, 'presence:react', { emoji: '👍' }))
      if (Math.random() < rates.hands * 0.1) {
        const student = pick(active)
        student.handUp = !student.handUp
        pending.push(other(student.socket, 'presence:hand', { raised: student.handUp }))
      }
      if (Math.random() < rates.presence * 0.1) {
        const student = pick(active)
        pending.push(
          other(student.socket, 'session:leave', {}).then(() => other(student.socket, 'session:join', { sessionId: student.spec.classId }))
        )
      }
    }
    await sleep(Math.max(0, 100 - (performance.now() - tickStart)))
  }
  await Promise.all(pending)
  // Let the last broadcasts arrive.
  await sleep(1000)
  measuring = false
  loop.disable()
  report.latencyHistogram = Array.from(histogram)
  report.received = received
  report.disconnectsDuringSoak = disconnects
  report.loopDelayMs = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
  return report
}

process.on('message', async (message: ToGroup) => {
  try {
    switch (message.type) {
      case 'connect':
        send({ type: 'connected', report: await connectAll(message.clients, message.apps, message.perSecond, message.joinTimeoutMs) })
        return
      case 'soak':
        send({ type: 'soaked', report: await soak(message.seconds, message.rates, message.classesHere) })
        return
      case 'storm': {
        // What the load balancer does for a browser: the next connection attempt goes to a live process.
        const affected = live.filter((c) => c.spec.app === message.deadApp)
        affected.forEach((client, i) => {
          // socket.io-client's Manager opens every reconnection attempt on its `uri`.
          ;(client.socket.io as any).uri = appUrls[message.aliveApps[i % message.aliveApps.length]]
        })
        storm = { affected: new Set(affected), rejoined: new Set(), lastRejoinAt: 0, failures: {} }
        send({ type: 'storm-ready' })
        return
      }
      case 'await-rejoin': {
        const deadline = performance.now() + message.timeoutMs
        while (storm && storm.rejoined.size < storm.affected.size && performance.now() < deadline) await sleep(100)
        send({
          type: 'rejoined',
          report: {
            affected: storm?.affected.size ?? 0,
            rejoined: storm?.rejoined.size ?? 0,
            lastRejoinAt: storm?.lastRejoinAt ?? 0,
            failures: storm?.failures ?? {},
          },
        })
        return
      }
      case 'close':
        for (const client of live) client.socket.disconnect()
        send({ type: 'closed' })
        setTimeout(() => process.exit(0), 200).unref()
        return
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).stack ?? String(error) })
  }
})
