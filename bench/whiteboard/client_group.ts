/*
| One group of the whiteboard bench's socket.io clients, in its own process (forked by run.ts),
| so that no client waits for 199 others to be handled on one event loop: each real client is
| its own machine. The parent sends 'connect', then 'prepare' to the group holding the teacher,
| then 'run'; the group answers with what its clients sent and received. Send and receive times
| use one clock across processes: performance.timeOrigin + performance.now() (ms since the epoch).
*/
import { randomBytes } from 'node:crypto'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'
import { strokeElement } from './stroke_element.js'

export interface GroupClient {
  /** Index among all the bench's clients (staggers the drawers). */
  index: number
  base: string
  cookie: string
  role: 'teacher' | 'drawer' | 'listener'
}

export type ToGroup =
  | { type: 'connect'; sessionId: number; clients: GroupClient[] }
  | { type: 'prepare' }
  | { type: 'run'; pageId: string; seconds: number; updatesPerSecond: number; drawers: number }

export interface GroupReport {
  /** appendKey → send time of that append. */
  sent: [number, number][]
  /** Deliveries of growth to clients other than its drawer: the append's key, and when it arrived. */
  deliveredKeys: Float64Array
  deliveredAt: Float64Array
  /** Per client over the drawing: JSON bytes received, messages, and bytes read from the TCP socket. */
  jsonBytes: number[]
  messages: number[]
  wireBytes: number[]
  byEvent: [string, number][]
  elapsedS: number
  /** This process's event-loop delay during the drawing (ms). */
  loopDelayMs: { p50: number; p99: number; max: number }
}

export type FromGroup =
  | { type: 'connected' }
  | { type: 'prepared'; pageId: string }
  | { type: 'report'; report: GroupReport }
  | { type: 'error'; message: string }

const clock = () => performance.timeOrigin + performance.now()

/*
| Stroke ids start with the drawer's index and its stroke number (3 digits each); with the first
| x of an append (x counts points, < 1000) they make a number that names the append. Numbers in
| typed arrays keep half a million deliveries out of the garbage collector's way: long-lived
| strings made its pauses part of the latency measured here.
*/
const strokeNumber = (id: string) => Number(id.slice(0, 6))
const appendKey = (stroke: number, firstX: number) => stroke * 1000 + firstX

/** A growable pair of Float64Arrays. */
class Deliveries {
  keys = new Float64Array(1 << 16)
  times = new Float64Array(1 << 16)
  length = 0
  push(key: number, time: number) {
    if (this.length === this.keys.length) {
      const grow = (old: Float64Array) => {
        const next = new Float64Array(old.length * 2)
        next.set(old)
        return next
      }
      this.keys = grow(this.keys)
      this.times = grow(this.times)
    }
    this.keys[this.length] = key
    this.times[this.length++] = time
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const send = (message: FromGroup) => process.send!(message)

interface Connected extends GroupClient {
  socket: Socket
  userId: number
}

let clients: Connected[] = []

async function connectAll(sessionId: number, group: GroupClient[]) {
  clients = await Promise.all(
    group.map(async (client) => {
      const socket = io(client.base, { transports: ['websocket'], extraHeaders: { cookie: client.cookie }, reconnection: false, forceNew: true })
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('connect_error', reject)
      })
      const joined = await socket.timeout(10_000).emitWithAck('session:join', { sessionId })
      if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`)
      return { ...client, socket, userId: joined.data.you.userId as number }
    })
  )
}

async function prepare() {
  const teacher = clients.find((c) => c.role === 'teacher')!
  const open = await teacher.socket.emitWithAck('whiteboard:open', {})
  await teacher.socket.emitWithAck('whiteboard:pen', { all: true, granted: true })
  return open.data.pageId as string
}

async function run(options: Extract<ToGroup, { type: 'run' }>): Promise<GroupReport> {
  const sent = new Map<number, number>()
  const delivered = new Deliveries()
  const strokesByHandle = new Map<number, { stroke: number; by: number }>()
  const jsonBytes = new Array(clients.length).fill(0)
  const messages = new Array(clients.length).fill(0)
  const byEvent = new Map<string, number>()
  /* What actually crossed the wire (WebSocket frames included). */
  const tcpRead = (socket: Socket): number => (socket.io.engine.transport as any).ws?._socket?.bytesRead ?? 0
  let measuring = false

  clients.forEach(({ socket, userId }, index) => {
    socket.io.engine.on('packet', (packet: { data?: unknown }) => {
      if (!measuring) return
      const size = typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : 0
      jsonBytes[index] += size
      messages[index]++
      const event = typeof packet.data === 'string' ? (/^\d*\["([^"]+)"/.exec(packet.data)?.[1] ?? 'other') : 'other'
      byEvent.set(event, (byEvent.get(event) ?? 0) + size)
    })
    socket.on('whiteboard:strokes', (batch: { starts?: { handle: number; by: number; element: { id: string } }[]; growth: number[][] }) => {
      const at = clock()
      for (const start of batch.starts ?? []) strokesByHandle.set(start.handle, { stroke: strokeNumber(start.element.id), by: start.by })
      if (!measuring) return
      for (const [handle, ...flat] of batch.growth) {
        const stroke = strokesByHandle.get(handle)
        if (!stroke || stroke.by === userId) continue
        // Each append's first x is unique within its stroke: the key of its send time.
        for (let i = 0; i < flat.length; i += 2) delivered.push(appendKey(stroke.stroke, flat[i]), at)
      }
    })
  })

  const drawLoop = async (drawer: Connected, offsetMs: number, deadline: number) => {
    await sleep(offsetMs)
    let strokeSeq = 0
    while (clock() < deadline) {
      // Excalidraw ids are 21-character nanoids; unique across groups by the drawer's index.
      const id = `${String(drawer.index).padStart(3, '0')}${String(strokeSeq++).padStart(3, '0')}${randomBytes(12).toString('base64url')}`.slice(0, 21)
      const points: [number, number][] = []
      for (let step = 0; step < 2 * options.updatesPerSecond && clock() < deadline; step++) {
        // Pointer positions at zoom 1 land on whole or half pixels, as with a real mouse.
        const appended: [number, number][] = [0, 1, 2].map((k) => [points.length + k, Math.round(Math.sin((points.length + k) / 5) * 80) / 2])
        points.push(...appended)
        sent.set(appendKey(strokeNumber(id), appended[0][0]), clock())
        drawer.socket.emit('whiteboard:stroke', {
          pageId: options.pageId,
          elementId: id,
          points: appended,
          // As the client does: the start is the element without points; they all travel as growth.
          ...(step === 0 ? { start: strokeElement(id, [], 1) } : {}),
        })
        await sleep(1000 / options.updatesPerSecond)
      }
      drawer.socket.emit('whiteboard:update', { pageId: options.pageId, elements: [strokeElement(id, points, 2)] })
    }
  }
  const cursorLoop = async (teacher: Connected, deadline: number) => {
    for (let t = 0; clock() < deadline; t++) {
      teacher.socket.emit('whiteboard:cursor', { x: Math.cos(t / 10) * 300, y: Math.sin(t / 10) * 200, laser: true })
      await sleep(50)
    }
  }

  const wireAtStart = clients.map(({ socket }) => tcpRead(socket))
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  loopDelay.enable()
  measuring = true
  const started = clock()
  const deadline = started + options.seconds * 1000
  const spacing = 1000 / options.updatesPerSecond / options.drawers
  await Promise.all(
    clients.map((client) => {
      if (client.role === 'drawer') return drawLoop(client, client.index * spacing, deadline)
      if (client.role === 'teacher') return cursorLoop(client, deadline)
      return null
    })
  )
  await sleep(500)
  measuring = false
  loopDelay.disable()
  const ms = (ns: number) => Math.round(ns / 1e4) / 100
  const loopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) }
  const elapsedS = (clock() - started) / 1000
  const wireBytes = clients.map(({ socket }, i) => tcpRead(socket) - wireAtStart[i])
  for (const { socket } of clients) socket.disconnect()
  return { sent: [...sent], deliveredKeys: delivered.keys.subarray(0, delivered.length), deliveredAt: delivered.times.subarray(0, delivered.length), jsonBytes, messages, wireBytes, byEvent: [...byEvent], elapsedS, loopDelayMs }
}


process.on('message', (message: ToGroup) => {
  const work =
    message.type === 'connect'
      ? connectAll(message.sessionId, message.clients).then((): FromGroup => ({ type: 'connected' }))
      : message.type === 'prepare'
        ? prepare().then((pageId): FromGroup => ({ type: 'prepared', pageId }))
        : run(message).then((report): FromGroup => ({ type: 'report', report }))
  work.then(send, (error) => send({ type: 'error', message: String(error?.stack ?? error) }))
})
