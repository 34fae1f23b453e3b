/*
| Engagement bench (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/engagement/run.ts [--scenarios=60x50,1x300]
|     [--idle=45] [--warmup=20] [--window=90] [--chat-every=90] [--stroke-every=300] [--quiz-every=300]
|     [--class-minutes=40] [--app-cpus=0] [--client-cpus=1]
|
| Per scenario (`<classes>x<students>`; each runs in its own child process of this script, on a freshly
| migrated PostgreSQL database aula_bench_engagement and an emptied Redis namespace aula-bench-engagement:):
| one real Aula web process (bin/server.ts, Redis adapter and shared state, PostgreSQL, as in production)
| pinned with taskset to `app-cpus`; every student and teacher as an authenticated socket.io client
| (WebSocket) in this process, pinned to `client-cpus`. Each class is live, its teacher opened the
| whiteboard and gave everyone the pen, and its heatmap history is pre-filled for `class-minutes`
| (a class that has been running that long: the live tick reads that history every round).
| Three measured windows of the app process's CPU (/proc/<pid>/stat):
|   idle      — everybody joined, nobody watches the heatmap, no activity;
|   watching  — every teacher sent engagement:watch (the plugin re-scores every class every 2 s);
|   active    — plus students at classroom rates: a chat message every `chat-every` s per student,
|               a freehand stroke every `stroke-every` s (1 s, 10 updates, then the finished element),
|               a quiz question per class every `quiz-every` s answered by ~90 % within 3–25 s.
| Signal → heatmap delay: every chat message that moves its sender's chat value (the first 5) and
| every stroke that moves the whiteboard value (the first 20) is a probe; the delay runs from the
| client sending it to the teacher's first engagement:tick whose row for that student shows the new
| value (one clock: both sockets live in this process).
| Prints the figures and writes bench/results/engagement-<timestamp>.json and engagement-latest.json.
*/
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { Redis } from 'ioredis'
import { io, type Socket } from 'socket.io-client'
import { cpuSeconds, pin } from '../process_cpu.js'
import { strokeElement } from '../whiteboard/stroke_element.js'
import { benchArgs } from '../cli_args.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REDIS_PREFIX = 'aula-bench-engagement:'
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aula_bench_engagement'
/** What the issue promises: the heatmap shows a signal within 5 s. */
const GOAL_DELAY_MS = 5000
const CHAT_CAP = 5
const WHITEBOARD_CAP = 20
/** Column of each value in a LiveRow: [userId, score, drift, camera, quiz, chat, whiteboard, attendance]. */
const COLUMN = { chat: 5, whiteboard: 6 } as const

const { args, num } = benchArgs()
const options = {
  scenarios: (args.get('scenarios') ?? '60x50,1x300').split(',').map((s) => {
    const [classes, students] = s.split('x').map(Number)
    if (!(classes >= 1 && students >= 1)) throw new Error(`bad scenario ${s} (<classes>x<students>)`)
    return { classes, students }
  }),
  idleSeconds: num('idle', 45, 5, 600),
  warmupSeconds: num('warmup', 20, 0, 600),
  windowSeconds: num('window', 90, 10, 1800),
  chatEverySeconds: num('chat-every', 90, 0),
  strokeEverySeconds: num('stroke-every', 300, 0),
  quizEverySeconds: num('quiz-every', 300, 0),
  classMinutes: num('class-minutes', 40, 0, 600),
  appCpus: args.get('app-cpus') ?? '0',
  clientCpus: args.get('client-cpus') ?? (cpus().length > 1 ? '1' : '0'),
  connectConcurrency: num('connect-concurrency', 100, 1, 5000),
  maxSeconds: num('max-seconds', 1500, 60, 7200),
}

const log = (...parts: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits
const round2 = (v: number) => Math.round(v * 100) / 100
const quantile = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const stats = (values: number[]) => ({
  n: values.length,
  p50: round(quantile(values, 50)),
  p95: round(quantile(values, 95)),
  max: round(values.length ? Math.max(...values) : NaN),
})


function raiseFileLimit(wanted: number) {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:${wanted}`], { stdio: 'ignore' })
  } catch {}
  return Number(execFileSync('prlimit', ['--pid', String(process.pid), '--nofile', '--noheadings', '--output=SOFT']).toString().trim())
}

/* ---------------- CPU meters ---------------- */

function hostTicks() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const values = fields.map(Number)
  const idle = values[3] + (values[4] ?? 0)
  return { total: values.reduce((a, b) => a + b, 0), idle }
}
async function redisCpuSeconds(redis: Redis) {
  const info = await redis.info('cpu')
  const get = (key: string) => Number(new RegExp(`${key}:([\\d.]+)`).exec(info)?.[1] ?? 0)
  return get('used_cpu_sys') + get('used_cpu_user')
}
/** CPU seconds of every PostgreSQL process (shared with anything else using the server), by pid. */
function postgresCpu() {
  const pids = execFileSync('sh', ['-c', 'pgrep -x postgres || true']).toString().trim().split('\n').filter(Boolean).map(Number)
  const byPid = new Map<number, number>()
  for (const pid of pids) {
    try {
      byPid.set(pid, cpuSeconds(pid))
    } catch {}
  }
  return byPid
}
/** What PostgreSQL used since `before`: backends that started count from 0, those that ended are not seen. */
function postgresCpuSince(before: Map<number, number>) {
  let total = 0
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0)
  return total
}

async function measure(appPid: number, redis: Redis, seconds: number, during?: () => void) {
  const start = { at: performance.now(), app: cpuSeconds(appPid), self: cpuSeconds(process.pid), redis: await redisCpuSeconds(redis), pg: postgresCpu(), host: hostTicks() }
  during?.()
  await sleep(seconds * 1000)
  const wall = (performance.now() - start.at) / 1000
  const host = hostTicks()
  const busy = 1 - (host.idle - start.host.idle) / (host.total - start.host.total)
  const figures = {
    seconds: round(wall),
    /** Share of one core (1 = 100 %). */
    app: round((cpuSeconds(appPid) - start.app) / wall, 3),
    clients: round((cpuSeconds(process.pid) - start.self) / wall, 3),
    redis: round(((await redisCpuSeconds(redis)) - start.redis) / wall, 3),
    postgres: round(postgresCpuSince(start.pg) / wall, 3),
    /** The whole machine, in cores (2 = both cores busy). */
    hostBusyCores: round(busy * cpus().length, 2),
    loadavg: loadavg().map((l) => round(l, 2)),
  }
  /** Everything else on the machine (other sessions' work), in cores. */
  return { ...figures, otherCores: round(Math.max(0, figures.hostBusyCores - figures.app - figures.clients - figures.redis - figures.postgres), 2) }
}

/* ---------------- one scenario (child process) ---------------- */

interface Member {
  userId: number
  classId: number
  role: 'teacher' | 'student'
  cookie: string
  socket?: Socket
}
interface Probe {
  kind: 'chat' | 'whiteboard'
  userId: number
  expected: number
  sentAt: number
  measured: boolean
}

async function runScenario(classes: number, students: number) {
  const startedAt = new Date()
  const fdLimit = raiseFileLimit(65_536)
  const clientPinning = pin(process.pid, options.clientCpus)
  log(`scenario ${classes} × ${students}: fd limit ${fdLimit}, clients pinned to ${clientPinning}`)

  Object.assign(process.env, {
    NODE_ENV: 'test',
    APP_KEY: randomBytes(32).toString('base64url'),
    DB_CONNECTION: 'pg',
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX,
    SESSION_DRIVER: 'cookie',
    LOG_LEVEL: 'warn',
    MEDIA_SIDECARS: 'tcp://127.0.0.1:1',
  })
  const redis = new Redis(REDIS_URL)
  const { RedisSharedState } = await import('#app/realtime/shared_state')
  await new RedisSharedState(redis, REDIS_PREFIX).clearPrefix('')

  log('creating the school, users, live classes and session cookies…')
  const { createConnectionsSchool } = await import('../connections/fixture.js')
  const { users } = await createConnectionsSchool({ classes, classSize: students + 1 })
  const members: Member[] = users.map((u) => ({ ...u }))
  const classIds = [...new Set(members.map((m) => m.classId))]
  /** Chat messages and whiteboard edits each student already has (seeded below): probes start from there. */
  const chatCount = new Map<number, number>()
  const strokeCount = new Map<number, number>()

  // A class that has been running `class-minutes`: its heatmap history (30 s columns, as live.ts writes
  // them) and what an earlier app process recorded (quiz questions every 5 minutes, answered by ~90 %
  // within 3–25 s; chat messages, whiteboard edits, camera and presence so far), in the recorder's format.
  if (options.classMinutes > 0) {
    const now = Date.now()
    const since = now - options.classMinutes * 60_000
    const earlier = 'bench-earlier-process:1:seeded'
    const questions = Array.from({ length: Math.floor(options.classMinutes / 5) }, (_, i) => `seed-${i}`)
    const pipeline = redis.pipeline()
    const key = (name: string) => `${REDIS_PREFIX}plugin:engagement:${name}`
    for (const classId of classIds) {
      const ids = members.filter((m) => m.classId === classId && m.role === 'student').map((m) => m.userId)
      for (let t = Math.floor(since / 30_000) * 30_000; t < now - 30_000; t += 30_000) {
        const column = Object.fromEntries(ids.map((id) => [id, round(20 + Math.random() * 60)]))
        pipeline.hset(key(`h:${classId}`), String(t), JSON.stringify(column))
      }
      pipeline.hset(key(`c:${classId}`), `0|${earlier}`, JSON.stringify({ v: 1, opened: questions, closed: questions }))
      for (const id of ids) {
        const presMs = now - since
        const contribution = {
          v: 1,
          camOnMs: Math.round(presMs * Math.random()),
          camSince: null,
          presMs,
          presSince: null,
          answers: Object.fromEntries(questions.filter(() => Math.random() < 0.9).map((q) => [q, Math.round(3000 + Math.random() * 22_000)])),
          chat: Math.floor(Math.random() * 4),
          wb: Math.floor(Math.random() * 10),
          att: null,
        }
        chatCount.set(id, contribution.chat)
        strokeCount.set(id, contribution.wb)
        pipeline.hset(key(`c:${classId}`), `${id}|${earlier}`, JSON.stringify(contribution))
      }
      pipeline.hset(key('dirty'), String(classId), String(now))
    }
    await pipeline.exec()
  }

  const { startAppProcess } = await import('#tests/helpers/app_process')
  const app = await startAppProcess({ redisUrl: REDIS_URL, env: { REDIS_PREFIX } })
  const hardStop = setTimeout(() => {
    console.error(`scenario bounded at ${options.maxSeconds} s: stopping`)
    app.child.kill('SIGKILL')
    process.exit(2)
  }, options.maxSeconds * 1000)
  hardStop.unref()

  try {
    const appPinning = pin(app.pid, options.appCpus)
    log(`app ${app.url} pid ${app.pid} pinned to ${appPinning}`)

    /* ---- connect and join ---- */
    let disconnects = 0
    const connectStarted = performance.now()
    let next = 0
    const connectOne = async (m: Member) => {
      const socket = io(app.url, { transports: ['websocket'], extraHeaders: { cookie: m.cookie }, forceNew: true, reconnection: false, timeout: 60_000 } as any)
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('connect_error', reject)
      })
      const joined = await socket.timeout(60_000).emitWithAck('session:join', { sessionId: m.classId })
      if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`)
      socket.on('disconnect', () => disconnects++)
      m.socket = socket
    }
    await Promise.all(
      Array.from({ length: options.connectConcurrency }, async () => {
        while (next < members.length) await connectOne(members[next++])
      })
    )
    log(`${members.length} sockets joined in ${round((performance.now() - connectStarted) / 1000)} s`)

    const teachers = new Map(members.filter((m) => m.role === 'teacher').map((m) => [m.classId, m]))
    const studentsOf = new Map(classIds.map((id) => [id, members.filter((m) => m.classId === id && m.role === 'student')]))
    const pages = new Map<number, string>()
    for (const [classId, teacher] of teachers) {
      const open = await teacher.socket!.emitWithAck('whiteboard:open', {})
      if (!open.ok) throw new Error(`whiteboard:open failed: ${JSON.stringify(open.error)}`)
      pages.set(classId, open.data.pageId)
      const pen = await teacher.socket!.emitWithAck('whiteboard:pen', { all: true, granted: true })
      if (!pen.ok) throw new Error(`whiteboard:pen failed: ${JSON.stringify(pen.error)}`)
    }

    /* ---- idle ---- */
    // Let the joins' and the first flush's database work (the seeded contributions) settle.
    await sleep(15_000)
    log(`idle window (${options.idleSeconds} s): joined, nobody watches, no activity…`)
    const idle = await measure(app.pid, redis, options.idleSeconds)
    log(`idle: app ${round(idle.app * 100)} % of a core`)

    /* ---- watching ---- */
    const pending = new Map<number, Probe[]>(classIds.map((id) => [id, []]))
    const delays = { chat: [] as number[], whiteboard: [] as number[] }
    const ticks: { classId: number; at: number; receivedAt: number; rows: number }[] = []
    let recordTicks = false
    for (const [classId, teacher] of teachers) {
      teacher.socket!.on('engagement:tick', (tick: { sessionId: number; at: string; rows: (number | null)[][] }) => {
        const now = performance.timeOrigin + performance.now()
        if (recordTicks) ticks.push({ classId, at: Date.parse(tick.at), receivedAt: now, rows: tick.rows.length })
        const waiting = pending.get(classId)!
        if (!waiting.length) return
        const rows = new Map(tick.rows.map((r) => [r[0] as number, r]))
        pending.set(
          classId,
          waiting.filter((probe) => {
            const value = rows.get(probe.userId)?.[COLUMN[probe.kind]]
            if (typeof value !== 'number' || value < probe.expected - 1e-9) return true
            if (probe.measured) delays[probe.kind].push(now - probe.sentAt)
            return false
          })
        )
      })
    }
    const watchStarted = performance.now()
    const snapshots = await Promise.all(
      [...teachers.values()].map((t) => t.socket!.timeout(60_000).emitWithAck('engagement:watch', {}))
    )
    const badWatch = snapshots.filter((s) => !s.ok || s.data.rows.length !== students)
    if (badWatch.length) throw new Error(`engagement:watch: ${badWatch.length} bad answers, e.g. ${JSON.stringify(badWatch[0]).slice(0, 300)}`)
    const watchMs = round(performance.now() - watchStarted)
    log(`${teachers.size} teachers watch (all snapshots in ${watchMs} ms, history ${snapshots[0].data.history.t.length} columns)`)
    await sleep(6000)
    recordTicks = true
    log(`watching window (${options.idleSeconds} s): ticks every 2 s, no activity…`)
    const watching = await measure(app.pid, redis, options.idleSeconds)
    recordTicks = false
    const watchingTicks = ticks.splice(0)
    log(`watching: app ${round(watching.app * 100)} % of a core`)

    /* ---- active ---- */
    let measuring = false
    let active = true
    const clock = () => performance.timeOrigin + performance.now()
    const sent = { chat: 0, chatFailed: {} as Record<string, number>, strokes: 0, strokeFailed: {} as Record<string, number>, quizzes: 0, answers: 0, answerFailed: {} as Record<string, number> }
    const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1)
    const drawing = new Set<number>()
    const quizOpen = new Set<number>()
    const inFlight = new Set<Promise<unknown>>()
    const track = (p: Promise<unknown>) => {
      inFlight.add(p)
      void p.finally(() => inFlight.delete(p))
    }
    const unprobe = (classId: number, probe: Probe) => pending.set(classId, pending.get(classId)!.filter((p) => p !== probe))

    const chat = async (m: Member) => {
      const count = (chatCount.get(m.userId) ?? 0) + 1
      chatCount.set(m.userId, count)
      const probe: Probe | null = count <= CHAT_CAP ? { kind: 'chat', userId: m.userId, expected: round2(count / CHAT_CAP), sentAt: clock(), measured: measuring } : null
      if (probe) pending.get(m.classId)!.push(probe)
      sent.chat++
      const r = await m.socket!.timeout(30_000).emitWithAck('chat:send', { body: `bench ${count}` }).catch(() => ({ ok: false, error: { code: 'ack_timeout' } }))
      if (!r.ok) {
        bump(sent.chatFailed, r.error?.code ?? 'unknown')
        chatCount.set(m.userId, chatCount.get(m.userId)! - 1)
        if (probe) unprobe(m.classId, probe)
      }
    }
    const stroke = async (m: Member) => {
      drawing.add(m.userId)
      const pageId = pages.get(m.classId)!
      const id = `${m.userId}x${randomBytes(9).toString('base64url')}`.slice(0, 21)
      const points: [number, number][] = []
      for (let step = 0; step < 10; step++) {
        const appended: [number, number][] = [0, 1, 2].map((k) => [points.length + k, Math.round(Math.sin((points.length + k) / 5) * 80) / 2])
        points.push(...appended)
        m.socket!.emit('whiteboard:stroke', { pageId, elementId: id, points: appended, ...(step === 0 ? { start: strokeElement(id, [], 1) } : {}) })
        await sleep(100)
      }
      const count = (strokeCount.get(m.userId) ?? 0) + 1
      strokeCount.set(m.userId, count)
      const probe: Probe | null =
        count <= WHITEBOARD_CAP ? { kind: 'whiteboard', userId: m.userId, expected: round2(count / WHITEBOARD_CAP), sentAt: clock(), measured: measuring } : null
      if (probe) pending.get(m.classId)!.push(probe)
      sent.strokes++
      const r = await m.socket!.timeout(30_000).emitWithAck('whiteboard:update', { pageId, elements: [strokeElement(id, points, 2)] }).catch(() => ({ ok: false, error: { code: 'ack_timeout' } }))
      if (!r.ok || r.data?.applied !== 1) {
        bump(sent.strokeFailed, r.ok ? 'not_applied' : (r.error?.code ?? 'unknown'))
        strokeCount.set(m.userId, count - 1)
        if (probe) unprobe(m.classId, probe)
      }
      drawing.delete(m.userId)
    }
    const quiz = async (classId: number) => {
      quizOpen.add(classId)
      const teacher = teachers.get(classId)!
      const launched = await teacher.socket!.timeout(30_000).emitWithAck('quizzes:launch', { question: QUESTION }).catch(() => ({ ok: false }))
      if (!launched.ok) {
        quizOpen.delete(classId)
        return
      }
      sent.quizzes++
      const runId = launched.data.run.id
      await Promise.all(
        studentsOf.get(classId)!.map(async (s) => {
          if (Math.random() > 0.9) return
          await sleep(3000 + Math.random() * 22_000)
          if (!active) return
          sent.answers++
          const r = await s.socket!.timeout(30_000).emitWithAck('quizzes:answer', { runId, optionIds: [Math.random() < 0.7 ? 'a' : 'b'] }).catch(() => ({ ok: false, error: { code: 'ack_timeout' } }))
          if (!r.ok) bump(sent.answerFailed, r.error?.code ?? 'unknown')
        })
      )
      await sleep(3000)
      await teacher.socket!.timeout(30_000).emitWithAck('quizzes:close', { runId }).catch(() => null)
      quizOpen.delete(classId)
    }

    // Every 100 ms each student sends a message with probability 0.1 / chat-every (a Poisson process), etc.
    const activity = (async () => {
      const p = (every: number) => (every > 0 ? 0.1 / every : 0)
      while (active) {
        const started = performance.now()
        for (const classId of classIds) {
          if (!quizOpen.has(classId) && Math.random() < p(options.quizEverySeconds)) track(quiz(classId))
          for (const s of studentsOf.get(classId)!) {
            if (Math.random() < p(options.chatEverySeconds)) track(chat(s))
            if (!drawing.has(s.userId) && Math.random() < p(options.strokeEverySeconds)) track(stroke(s))
          }
        }
        await sleep(Math.max(0, 100 - (performance.now() - started)))
      }
    })()

    log(`active: warm-up ${options.warmupSeconds} s, then a ${options.windowSeconds} s window…`)
    await sleep(options.warmupSeconds * 1000)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    const sentBefore = { ...sent }
    const activeCpu = await measure(app.pid, redis, options.windowSeconds, () => {
      measuring = true
      recordTicks = true
      loop.enable()
    })
    measuring = false
    recordTicks = false
    loop.disable()
    const activeTicks = ticks.splice(0)
    const windowSent = { chat: sent.chat - sentBefore.chat, strokes: sent.strokes - sentBefore.strokes, answers: sent.answers - sentBefore.answers, quizzes: sent.quizzes - sentBefore.quizzes }
    log(`active: app ${round(activeCpu.app * 100)} % of a core; waiting for the last probes…`)
    active = false
    await activity
    await Promise.race([Promise.all([...inFlight]), sleep(30_000)])
    // Probes still open 10 s after the last send count as late.
    await sleep(10_000)
    const unresolved = { chat: 0, whiteboard: 0 }
    for (const list of pending.values()) for (const probe of list) if (probe.measured) unresolved[probe.kind]++

    const tickFigures = (list: typeof ticks) => {
      const byClass = new Map<number, number[]>()
      for (const t of list) byClass.set(t.classId, [...(byClass.get(t.classId) ?? []), t.receivedAt])
      const intervals = [...byClass.values()].flatMap((times) => times.slice(1).map((t, i) => t - times[i]))
      // One round of the ticker handles every watched class in turn: rounds are the clusters of `at`.
      const ats = list.map((t) => t.at).sort((a, b) => a - b)
      const spreads: number[] = []
      let first = ats[0]
      for (let i = 1; i <= ats.length; i++) {
        if (i === ats.length || ats[i] - ats[i - 1] > 1000) {
          spreads.push(ats[i - 1] - first)
          first = ats[i]
        }
      }
      return {
        ticks: list.length,
        intervalMs: stats(intervals),
        /** From the start of a class's tick (its `at`) to the teacher receiving it. */
        computeAndDeliverMs: stats(list.map((t) => t.receivedAt - t.at)),
        /** From the first to the last class's tick start in one round. */
        roundSpreadMs: stats(spreads),
      }
    }

    const studentsTotal = classes * students
    const perThousand = (cores: number) => round((cores * 100 * 1000) / studentsTotal, 2)
    const delayFigures = (kind: 'chat' | 'whiteboard') => ({
      ...stats(delays[kind]),
      unresolved: unresolved[kind],
      withinGoal: delays[kind].filter((d) => d <= GOAL_DELAY_MS).length,
    })
    const ms = (ns: number) => round(ns / 1e6)
    return {
      scenario: `${classes}x${students}`,
      startedAt: startedAt.toISOString(),
      classes,
      studentsPerClass: students,
      students: studentsTotal,
      sockets: members.length,
      pinning: { app: appPinning, clients: clientPinning },
      watchSnapshotsMs: watchMs,
      historyColumns: snapshots[0].data.history.t.length,
      cpu: { idle, watching, active: activeCpu },
      /** App CPU in % of one core per 1,000 students. */
      appCpuPercentPer1000Students: {
        idle: perThousand(idle.app),
        watching: perThousand(watching.app),
        active: perThousand(activeCpu.app),
        liveScoring: perThousand(watching.app - idle.app),
        activity: perThousand(activeCpu.app - watching.app),
      },
      activityInWindow: {
        chatPerSecond: round(windowSent.chat / activeCpu.seconds, 2),
        strokesPerSecond: round(windowSent.strokes / activeCpu.seconds, 2),
        quizAnswersPerSecond: round(windowSent.answers / activeCpu.seconds, 2),
        quizzesLaunched: windowSent.quizzes,
        chatFailures: sent.chatFailed,
        strokeFailures: sent.strokeFailed,
        answerFailures: sent.answerFailed,
      },
      delayMs: { chat: delayFigures('chat'), whiteboard: delayFigures('whiteboard') },
      ticks: { watching: tickFigures(watchingTicks), active: tickFigures(activeTicks) },
      clientLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      disconnects,
    }
  } finally {
    for (const m of members) m.socket?.disconnect()
    await app.kill()
    await new RedisSharedState(redis, REDIS_PREFIX).clearPrefix('').catch(() => {})
    redis.disconnect()
  }
}

const QUESTION = { type: 'single' as const, prompt: '2 + 2?', options: [{ label: '4', correct: true }, { label: '5' }] }


/* ---------------- the parent: one child process per scenario ---------------- */

type ScenarioResult = Awaited<ReturnType<typeof runScenario>>

async function main() {
  const startedAt = new Date()
  const results: ScenarioResult[] = []
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  for (const { classes, students } of options.scenarios) {
    const out = join(ROOT, 'tmp', `bench-engagement-${classes}x${students}.json`)
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2).filter((a) => !a.startsWith('--scenarios=')), `--one=${classes}x${students}`, `--out=${out}`], {
        cwd: ROOT,
        stdio: 'inherit',
      })
      child.on('exit', resolve)
    })
    if (code !== 0) throw new Error(`scenario ${classes}x${students} failed (exit ${code})`)
    results.push(JSON.parse(readFileSync(out, 'utf8')))
  }

  const result = {
    bench: 'engagement',
    startedAt: startedAt.toISOString(),
    command: `node --import=ts-node-maintained/register/esm bench/engagement/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavgAtStart: loadavg().map((l) => round(l, 2)) },
    options: { ...options, scenarios: options.scenarios.map((s) => `${s.classes}x${s.students}`), database: DATABASE_URL, redis: REDIS_URL },
    goalDelayMs: GOAL_DELAY_MS,
    scenarios: results,
  }
  const pct = (v: number) => `${round(v * 100)} %`
  const table: Record<string, Record<string, string | number>> = {}
  for (const r of results) {
    table[r.scenario] = {
      students: r.students,
      'app CPU idle / watching / active': `${pct(r.cpu.idle.app)} / ${pct(r.cpu.watching.app)} / ${pct(r.cpu.active.app)}`,
      'per 1,000 students: active (live scoring)': `${r.appCpuPercentPer1000Students.active} % (${r.appCpuPercentPer1000Students.liveScoring} %)`,
      'chat→heatmap p50/p95/max ms': `${r.delayMs.chat.p50} / ${r.delayMs.chat.p95} / ${r.delayMs.chat.max} (n=${r.delayMs.chat.n}, open ${r.delayMs.chat.unresolved})`,
      'stroke→heatmap p50/p95/max ms': `${r.delayMs.whiteboard.p50} / ${r.delayMs.whiteboard.p95} / ${r.delayMs.whiteboard.max} (n=${r.delayMs.whiteboard.n}, open ${r.delayMs.whiteboard.unresolved})`,
      'tick interval p50/max ms (active)': `${r.ticks.active.intervalMs.p50} / ${r.ticks.active.intervalMs.max}`,
      'round spread p50/max ms (active)': `${r.ticks.active.roundSpreadMs.p50} / ${r.ticks.active.roundSpreadMs.max}`,
      'chat / strokes / answers per s': `${r.activityInWindow.chatPerSecond} / ${r.activityInWindow.strokesPerSecond} / ${r.activityInWindow.quizAnswersPerSecond}`,
      'redis / postgres / clients CPU (active)': `${pct(r.cpu.active.redis)} / ${pct(r.cpu.active.postgres)} / ${pct(r.cpu.active.clients)}`,
      'host busy / others, cores (active)': `${r.cpu.active.hostBusyCores} / ${r.cpu.active.otherCores}`,
      'client loop delay p99 ms': r.clientLoopDelayMs.p99,
    }
  }
  console.table(table)
  mkdirSync(RESULTS, { recursive: true })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const json = JSON.stringify(result, null, 2) + '\n'
  writeFileSync(join(RESULTS, `engagement-${stamp}.json`), json)
  writeFileSync(join(RESULTS, 'engagement-latest.json'), json)
  for (const r of results) {
    const worst = Math.max(r.delayMs.chat.max, r.delayMs.whiteboard.max)
    const open = r.delayMs.chat.unresolved + r.delayMs.whiteboard.unresolved
    console.log(
      `engagement ${r.scenario}: app ${round(r.cpu.active.app * 100)} % of a core for ${r.students} students scored live = ${r.appCpuPercentPer1000Students.active} % per 1,000 ` +
        `(live scoring alone ${r.appCpuPercentPer1000Students.liveScoring} %); signal→heatmap p50 ${r.delayMs.chat.p50} ms p95 ${r.delayMs.chat.p95} ms max ${worst} ms ` +
        `(${worst <= GOAL_DELAY_MS && !open ? 'within' : 'MISSED'} ${GOAL_DELAY_MS / 1000} s)`
    )
  }
  console.log(`[bench/results/engagement-${stamp}.json]`)
}

if (args.has('one')) {
  const [classes, students] = args.get('one')!.split('x').map(Number)
  runScenario(classes, students).then(
    (result) => {
      writeFileSync(args.get('out')!, JSON.stringify(result, null, 2))
      process.exit(0)
    },
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
}
