/*
| Whiteboard fan-out under load (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/whiteboard/run.ts [--clients=200] [--drawers=20] [--seconds=15] [--groups=1] [--db=sqlite|pg]
|
| Two real Aula app processes share Redis (socket.io Redis adapter + Lua scene merge) and a
| database (a SQLite file, or PostgreSQL with --db=pg); both are emptied at the start of each run.
| N socket.io clients (no browser) join one class, alternating between the two processes; the
| teacher grants everyone the pen and moves the cursor at 20 Hz; M students draw freehand at
| 10 updates/s: stroke growth as appended points ('whiteboard:stroke'), and the finished stroke
| (2 s, 20 updates) as one 'whiteboard:update'. The clients live in --groups client processes
| (client_group.ts, dealt round-robin). Every receiver notes the latency from send to receipt
| (one clock: timeOrigin + now, the same in every process of the machine) and the bytes it
| receives. Also reports the CPU and event-loop delay of the app and client processes during the
| drawing (loop_delay.cjs is preloaded into the app processes). Prints p50/p99 latency and bytes/s
| per client, a final summary line, and writes bench/results/whiteboard-<timestamp>.json and -latest.json.
*/
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Redis } from 'ioredis'
import { RedisSharedState } from '#app/realtime/shared_state'
import type { FromGroup, GroupClient, GroupReport, ToGroup } from './client_group.js'
import { cpuSeconds } from '../process_cpu.js'

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
const options = { clients: num('clients', 200), drawers: num('drawers', 20), seconds: num('seconds', 15), updatesPerSecond: 10, groups: num('groups', 1) }
const GOALS = { p99Ms: 50, bytesPerSecondPerClient: 25 * 1024 }

/*
| The app processes and this script's fixture use the same database and Redis namespace: one
| SQLite file under tmp/ by default, or PostgreSQL with --db=pg (database aula_bench, created if
| missing, BENCH_DATABASE_URL to change it), as a deployment with several app processes has it.
*/
const DB = args.get('db') ?? 'sqlite'
if (!['pg', 'sqlite'].includes(DB)) throw new Error(`bad option --db=${DB} (pg or sqlite)`)
Object.assign(process.env, {
  NODE_ENV: 'test',
  DB_CONNECTION: DB,
  SQLITE_PATH,
  DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aula_bench',
  REDIS_URL,
  REDIS_PREFIX: 'aula-bench:',
  LOG_LEVEL: 'warn',
  MEDIA_SIDECARS: '',
})

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN)

async function main() {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, SQLITE_PATH + suffix), { force: true })
  const { createBenchClass } = await import('./fixture.js')
  const { startAppProcess } = await import('#tests/helpers/app_process')
  const { loginCookies } = await import('#tests/helpers/http_login')

  // The fresh database restarts class ids at 1: forget the live state earlier runs left in Redis
  // (their pages would otherwise keep growing from run to run).
  const redis = new Redis(REDIS_URL)
  await new RedisSharedState(redis, process.env.REDIS_PREFIX!).clearPrefix('')
  redis.disconnect()

  console.log(`Creating a class with ${options.drawers} drawing students…`)
  const fixture = await createBenchClass(options.drawers + 10)
  const { PASSWORD } = await import('#tests/helpers/fixtures')
  console.log('Starting two app processes on Redis…')
  const loopDelayDir = join(ROOT, 'tmp', 'bench-loop-delay')
  rmSync(loopDelayDir, { recursive: true, force: true })
  mkdirSync(loopDelayDir, { recursive: true })
  const processes = await Promise.all(
    [0, 1].map(() =>
      startAppProcess({
        redisUrl: REDIS_URL,
        env: { NODE_OPTIONS: `--require ${join(ROOT, 'bench', 'whiteboard', 'loop_delay.cjs')}`, BENCH_LOOP_DELAY_DIR: loopDelayDir },
      })
    )
  )

  try {
    console.log(`Logging in ${options.clients} clients…`)
    const listeners = fixture.students.slice(options.drawers)
    const clients: GroupClient[] = []
    for (let index = 0; index < options.clients; index++) {
      const role = index === 0 ? 'teacher' : index <= options.drawers ? 'drawer' : 'listener'
      // Listeners log in as the students who do not draw (several tabs each).
      const email = role === 'teacher' ? fixture.teacher.email : role === 'drawer' ? fixture.students[index - 1].email : listeners[index % listeners.length].email
      const base = processes[index % 2].url
      clients.push({ index, base, role, cookie: await loginCookies(base, email, PASSWORD) })
    }

    console.log(`Connecting them from ${options.groups} client processes…`)
    const groups = Array.from({ length: options.groups }, (_, g) => startGroup(clients.filter((c) => c.index % options.groups === g)))
    await Promise.all(groups.map((group) => group.ask({ type: 'connect', sessionId: fixture.sessionId, clients: group.clients }, 'connected')))
    const teacherGroup = groups.find((group) => group.clients.some((c) => c.role === 'teacher'))!
    const { pageId } = (await teacherGroup.ask({ type: 'prepare' }, 'prepared')) as { pageId: string }

    console.log(`Drawing for ${options.seconds} s: ${options.drawers} drawers at ${options.updatesPerSecond} updates/s…`)
    const cpuPids = [process.pid, ...groups.map((g) => g.child.pid!), ...processes.map((p) => p.pid)]
    const cpuAtStart = cpuPids.map(cpuSeconds)
    const runStarted = performance.now()
    for (const app of processes) process.kill(app.pid, 'SIGUSR2')
    const reports = (await Promise.all(
      groups.map((group) =>
        group.ask({ type: 'run', pageId, seconds: options.seconds, updatesPerSecond: options.updatesPerSecond, drawers: options.drawers }, 'report')
      )
    )).map((answer) => (answer as { report: GroupReport }).report)
    const runS = (performance.now() - runStarted) / 1000
    for (const app of processes) process.kill(app.pid, 'SIGUSR1')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const appLoopDelay = processes.map((app) => JSON.parse(readFileSync(join(loopDelayDir, `${app.pid}.json`), 'utf8')))
    const cpuUsed = cpuPids.map((pid, i) => (cpuSeconds(pid) - cpuAtStart[i]) / runS)
    const clientsCpu = +cpuUsed.slice(0, 1 + groups.length).reduce((a, b) => a + b, 0).toFixed(2)
    const appCpu = cpuUsed.slice(1 + groups.length).map((v) => +v.toFixed(2))

    /* ---- the figures ---- */
    const sentAt = new Map(reports.flatMap((r) => r.sent))
    const latencies: number[] = []
    for (const report of reports) {
      const { deliveredKeys, deliveredAt } = report
      for (let i = 0; i < deliveredKeys.length; i++) {
        const sent = sentAt.get(deliveredKeys[i])
        if (sent !== undefined) latencies.push(deliveredAt[i] - sent)
      }
    }
    const elapsedS = Math.max(...reports.map((r) => r.elapsedS))
    const perClient = (pick: (r: GroupReport) => number[]) => reports.flatMap((r) => pick(r).map((v) => v / r.elapsedS)).sort((a, b) => a - b)
    const wirePerClient = perClient((r) => r.wireBytes)
    const jsonPerClient = perClient((r) => r.jsonBytes)
    const messagesPerClient = perClient((r) => r.messages)
    const byEvent = new Map<string, number>()
    for (const [event, bytes] of reports.flatMap((r) => r.byEvent)) byEvent.set(event, (byEvent.get(event) ?? 0) + bytes)
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

    const sorted = latencies.sort((a, b) => a - b)
    const result = {
      bench: 'whiteboard',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      options: { ...options, appProcesses: 2, redis: REDIS_URL, database: DB === 'pg' ? process.env.DATABASE_URL : SQLITE_PATH },
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
        mean: Math.round(mean(wirePerClient)),
        p50: Math.round(percentile(wirePerClient, 50)),
        max: Math.round(wirePerClient.at(-1) ?? 0),
      },
      /** The same messages as JSON text before any WebSocket compression. */
      jsonBytesPerSecondPerClient: {
        mean: Math.round(mean(jsonPerClient)),
        max: Math.round(jsonPerClient.at(-1) ?? 0),
      },
      /** JSON bytes/s per client by server event. */
      bytesPerSecondPerClientByEvent: Object.fromEntries(
        [...byEvent].map(([event, total]) => [event, Math.round(total / options.clients / elapsedS)]).sort((a, b) => Number(b[1]) - Number(a[1]))
      ),
      messagesPerSecondPerClient: +mean(messagesPerClient).toFixed(1),
      /** Share of one core used during the drawing by all client processes together, and by each app process. */
      cpu: { clients: clientsCpu, appProcesses: appCpu },
      /** Event-loop delay (ms) during the drawing: of each app process, and of each client process (it adds to the latencies above). */
      eventLoopDelayMs: { appProcesses: appLoopDelay, clientProcesses: reports.map((r) => r.loopDelayMs) },
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
      'CPU: client processes (cores)': result.cpu.clients,
      'CPU: app processes (cores)': result.cpu.appProcesses.join(' + '),
      'loop delay p99, app processes (ms)': appLoopDelay.map((d) => d.p99).join(' / '),
      'loop delay p99, client processes (ms)': reports.map((r) => r.loopDelayMs.p99).join(' / '),
    })
    console.table(result.bytesPerSecondPerClientByEvent)
    mkdirSync(RESULTS, { recursive: true })
    const json = JSON.stringify(result, null, 2)
    const stamp = result.at.replace(/[:.]/g, '-')
    writeFileSync(join(RESULTS, `whiteboard-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'whiteboard-latest.json'), json)
    const ok = (v: boolean) => (v ? 'goal met' : 'goal missed')
    console.log(
      `whiteboard: ${options.clients} clients (${options.groups} client processes), ${options.drawers} drawers on 2 app processes + Redis: ` +
        `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms (${ok(result.latencyMs.p99 <= GOALS.p99Ms)}), ` +
        `${(result.bytesPerSecondPerClient.mean / 1024).toFixed(1)} KB/s per client (${ok(result.bytesPerSecondPerClient.max <= GOALS.bytesPerSecondPerClient)}), ` +
        `${result.deliveries}/${result.expectedDeliveries} delivered`
    )
    for (const group of groups) group.child.kill()
  } finally {
    await Promise.all(processes.map((p) => p.kill()))
  }
}

/** Forks one client group (client_group.ts) and talks to it one request at a time. */
function startGroup(clients: GroupClient[]) {
  const child = fork(join(ROOT, 'bench', 'whiteboard', 'client_group.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import=ts-node-maintained/register/esm'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone: the report's typed arrays travel as they are.
    serialization: 'advanced',
  })
  const ask = (message: ToGroup, expected: FromGroup['type']) =>
    new Promise<FromGroup>((resolve, reject) => {
      child.once('message', (answer: FromGroup) => {
        if (answer.type === expected) resolve(answer)
        else reject(new Error(answer.type === 'error' ? answer.message : `client group answered ${answer.type}, expected ${expected}`))
      })
      child.send(message)
    })
  return { child, clients, ask }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
