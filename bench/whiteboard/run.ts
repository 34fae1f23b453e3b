/*
| Whiteboard fan-out under load (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/whiteboard/run.ts [--clients=200] [--drawers=20] [--seconds=15]
|
| Two real Aula app processes share Redis (socket.io Redis adapter + Lua scene merge) and a
| SQLite file under tmp/. N socket.io clients (no browser) join one class, alternating between
| the two processes; the teacher grants everyone the pen and moves the cursor at 20 Hz; M
| students draw freehand at 10 updates/s: stroke growth as appended points ('whiteboard:stroke'),
| and the finished stroke (2 s, 20 updates) as one 'whiteboard:update'. Every receiver notes
| the latency from send to receipt (same clock: all clients live in this process) and the
| bytes it receives (JSON of every event). Prints p50/p99 latency and bytes/s per client,
| a final summary line, and writes bench/results/whiteboard-<timestamp>.json and -latest.json.
*/
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { io, type Socket } from 'socket.io-client'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const SQLITE_PATH = 'tmp/bench-whiteboard.sqlite3'

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
    return [key, value] as const
  })
)
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback)
const options = { clients: num('clients', 200), drawers: num('drawers', 20), seconds: num('seconds', 15), updatesPerSecond: 10 }
const GOALS = { p99Ms: 50, bytesPerSecondPerClient: 25 * 1024 }

// The app processes and this script's fixture use the same database and Redis namespace.
Object.assign(process.env, {
  NODE_ENV: 'test',
  DB_CONNECTION: 'sqlite',
  SQLITE_PATH,
  REDIS_URL,
  REDIS_PREFIX: 'aula-bench:',
  LOG_LEVEL: 'warn',
  MEDIA_SIDECARS: '',
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN)

async function main() {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, SQLITE_PATH + suffix), { force: true })
  const { createBenchClass } = await import('./fixture.js')
  const { startAppProcess } = await import('#tests/helpers/app_process')
  const { loginCookies } = await import('#tests/helpers/http_login')

  console.log(`Creating a class with ${options.drawers} drawing students…`)
  const fixture = await createBenchClass(options.drawers + 10)
  const { PASSWORD } = await import('#tests/helpers/fixtures')
  console.log('Starting two app processes on Redis…')
  const processes = await Promise.all([0, 1].map(() => startAppProcess({ redisUrl: REDIS_URL })))

  const connect = async (email: string, index: number) => {
    const base = processes[index % 2].url
    const cookie = await loginCookies(base, email, PASSWORD)
    const socket = io(base, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    const joined = await socket.timeout(10_000).emitWithAck('session:join', { sessionId: fixture.sessionId })
    if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`)
    return { socket, userId: joined.data.you.userId as number }
  }

  try {
    console.log(`Connecting ${options.clients} clients…`)
    const sockets: { socket: Socket; userId: number; drawer: boolean }[] = []
    const teacher = { ...(await connect(fixture.teacher.email, 0)), drawer: false }
    sockets.push(teacher)
    const listeners = fixture.students.slice(options.drawers)
    for (let i = 1; i < options.clients; i++) {
      const drawer = i <= options.drawers
      // Listeners log in as the students who do not draw (several tabs each).
      const email = drawer ? fixture.students[i - 1].email : listeners[i % listeners.length].email
      sockets.push({ ...(await connect(email, i)), drawer })
    }
    const open = await teacher.socket.emitWithAck('whiteboard:open', {})
    const pageId = open.data.pageId as string
    await teacher.socket.emitWithAck('whiteboard:pen', { all: true, granted: true })

    /* ---- measurement ---- */
    const sentAt = new Map<string, number>()
    const strokesByHandle = new Map<number, { id: string; by: number }>()
    const latencies: number[] = []
    const bytes = new Array(sockets.length).fill(0)
    const byEvent = new Map<string, number>()
    /* What actually crossed the wire (WebSocket frames, compressed when the server compresses). */
    const tcpRead = (socket: Socket): number => (socket.io.engine.transport as any).ws?._socket?.bytesRead ?? 0
    let wireAtStart: number[] = []
    const messages = new Array(sockets.length).fill(0)
    let measuring = false
    sockets.forEach(({ socket }, index) => {
      // Bytes as they arrive on the WebSocket (socket.io framing included).
      socket.io.engine.on('packet', (packet: { data?: unknown }) => {
        if (!measuring) return
        const size = typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : 0
        bytes[index] += size
        messages[index]++
        const event = typeof packet.data === 'string' ? (/^\d*\["([^"]+)"/.exec(packet.data)?.[1] ?? 'other') : 'other'
        byEvent.set(event, (byEvent.get(event) ?? 0) + size)
      })
      socket.on('whiteboard:strokes', (batch: { starts?: { handle: number; by: number; element: { id: string } }[]; growth: number[][] }) => {
        for (const start of batch.starts ?? []) strokesByHandle.set(start.handle, { id: start.element.id, by: start.by })
        if (!measuring) return
        for (const [handle, ...flat] of batch.growth) {
          const stroke = strokesByHandle.get(handle)
          if (!stroke || stroke.by === sockets[index].userId) continue
          // Each append's first x is unique within its stroke: the key of its send time.
          for (let i = 0; i < flat.length; i += 2) {
            const sent = sentAt.get(`${stroke.id}|${flat[i]}`)
            if (sent !== undefined) latencies.push(performance.now() - sent)
          }
        }
      })
    })

    const drawers = sockets.filter((s) => s.drawer)
    let strokeSeq = 0
    const drawLoop = async (drawer: (typeof drawers)[number], offset: number) => {
      await sleep(offset)
      const deadline = performance.now() + options.seconds * 1000
      while (performance.now() < deadline) {
        // Excalidraw ids are 21-character nanoids.
        const id = `${String(strokeSeq++).padStart(5, '0')}${randomBytes(12).toString('base64url')}`
        const points: [number, number][] = []
        for (let step = 0; step < 2 * options.updatesPerSecond && performance.now() < deadline; step++) {
          // Pointer positions at zoom 1 land on whole or half pixels, as with a real mouse.
          const appended: [number, number][] = [0, 1, 2].map((k) => [points.length + k, Math.round(Math.sin((points.length + k) / 5) * 80) / 2])
          points.push(...appended)
          sentAt.set(`${id}|${appended[0][0]}`, performance.now())
          drawer.socket.emit('whiteboard:stroke', {
            pageId,
            elementId: id,
            points: appended,
            // As the client does: the start is the element without points; they all travel as growth.
            ...(step === 0 ? { start: strokeElement(id, [], 1) } : {}),
          })
          await sleep(1000 / options.updatesPerSecond)
        }
        drawer.socket.emit('whiteboard:update', { pageId, elements: [strokeElement(id, points, 2)] })
      }
    }
    const cursorLoop = async () => {
      const deadline = performance.now() + options.seconds * 1000
      for (let t = 0; performance.now() < deadline; t++) {
        teacher.socket.emit('whiteboard:cursor', { x: Math.cos(t / 10) * 300, y: Math.sin(t / 10) * 200, laser: true })
        await sleep(50)
      }
    }

    console.log(`Drawing for ${options.seconds} s: ${drawers.length} drawers at ${options.updatesPerSecond} updates/s…`)
    wireAtStart = sockets.map(({ socket }) => tcpRead(socket))
    measuring = true
    const started = performance.now()
    await Promise.all([...drawers.map((d, i) => drawLoop(d, (i * 1000) / options.updatesPerSecond / drawers.length)), cursorLoop()])
    await sleep(500)
    measuring = false
    const elapsedS = (performance.now() - started) / 1000
    const wirePerClient = sockets.map(({ socket }, i) => (tcpRead(socket) - wireAtStart[i]) / elapsedS).sort((a, b) => a - b)

    const sorted = latencies.sort((a, b) => a - b)
    const perClient = bytes.map((b) => b / elapsedS).sort((a, b) => a - b)
    const result = {
      bench: 'whiteboard',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      options: { ...options, appProcesses: 2, redis: REDIS_URL },
      strokeMessagesSent: sentAt.size,
      deliveries: latencies.length,
      expectedDeliveries: sentAt.size * (options.clients - 1),
      latencyMs: {
        p50: +percentile(sorted, 50).toFixed(2),
        p90: +percentile(sorted, 90).toFixed(2),
        p99: +percentile(sorted, 99).toFixed(2),
        max: +(sorted.at(-1) ?? NaN).toFixed(2),
      },
      /** Received over the WebSocket (what a client's network carries). */
      bytesPerSecondPerClient: {
        mean: Math.round(wirePerClient.reduce((a, b) => a + b, 0) / wirePerClient.length),
        p50: Math.round(percentile(wirePerClient, 50)),
        max: Math.round(wirePerClient.at(-1) ?? 0),
      },
      /** The same messages as JSON text before any WebSocket compression. */
      jsonBytesPerSecondPerClient: {
        mean: Math.round(perClient.reduce((a, b) => a + b, 0) / perClient.length),
        max: Math.round(perClient.at(-1) ?? 0),
      },
      /** JSON bytes/s per client by server event. */
      bytesPerSecondPerClientByEvent: Object.fromEntries(
        [...byEvent].map(([event, total]) => [event, Math.round(total / sockets.length / elapsedS)]).sort((a, b) => Number(b[1]) - Number(a[1]))
      ),
      messagesPerSecondPerClient: +(messages.reduce((a, b) => a + b, 0) / messages.length / elapsedS).toFixed(1),
      goals: GOALS,
    }
    console.table({
      'latency p50 (ms)': result.latencyMs.p50,
      'latency p99 (ms)': result.latencyMs.p99,
      'latency max (ms)': result.latencyMs.max,
      'delivered / expected': `${result.deliveries} / ${result.expectedDeliveries}`,
      'KB/s per client (mean)': +(result.bytesPerSecondPerClient.mean / 1024).toFixed(2),
      'KB/s per client (max)': +(result.bytesPerSecondPerClient.max / 1024).toFixed(2),
      'KB/s per client as JSON': +(result.jsonBytesPerSecondPerClient.mean / 1024).toFixed(2),
      'messages/s per client': result.messagesPerSecondPerClient,
    })
    console.table(result.bytesPerSecondPerClientByEvent)
    mkdirSync(RESULTS, { recursive: true })
    const json = JSON.stringify(result, null, 2)
    const stamp = result.at.replace(/[:.]/g, '-')
    writeFileSync(join(RESULTS, `whiteboard-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'whiteboard-latest.json'), json)
    const ok = (v: boolean) => (v ? 'goal met' : 'goal missed')
    console.log(
      `whiteboard: ${options.clients} clients, ${drawers.length} drawers on 2 processes + Redis: ` +
        `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms (${ok(result.latencyMs.p99 <= GOALS.p99Ms)}), ` +
        `${(result.bytesPerSecondPerClient.mean / 1024).toFixed(1)} KB/s per client (${ok(result.bytesPerSecondPerClient.max <= GOALS.bytesPerSecondPerClient)}), ` +
        `${result.deliveries}/${result.expectedDeliveries} delivered`
    )
    sockets.forEach(({ socket }) => socket.disconnect())
  } finally {
    await Promise.all(processes.map((p) => p.kill()))
  }
}

function strokeElement(id: string, points: [number, number][], version: number) {
  return {
    id,
    type: 'freedraw',
    x: 100,
    y: 100,
    width: 300,
    height: 80,
    angle: 0,
    strokeColor: '#1e1e1e',
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 2,
    strokeStyle: 'solid',
    roughness: 0,
    opacity: 100,
    groupIds: [],
    frameId: null,
    roundness: null,
    seed: 1,
    version,
    versionNonce: Math.floor(Math.random() * 2 ** 31),
    isDeleted: false,
    boundElements: null,
    updated: Date.now(),
    link: null,
    locked: false,
    points,
    pressures: [],
    simulatePressure: true,
    lastCommittedPoint: null,
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
