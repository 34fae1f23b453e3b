/*
| Concurrent connections (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/connections/run.ts [--clients=12000] [--class-size=200]
|     [--apps=2] [--groups=2] [--soak=300] [--adapter=redis|redis-sharded|redis-streams] [--ramp=400]
|     [--source-ips=16] [--app-cpus=0] [--client-cpus=1] [--storm=true] [--max-seconds=1800]
|
| N real Aula web processes (bin/server.ts) on Redis and PostgreSQL (database aula_bench_connections,
| recreated; Redis namespace aula-bench-connections:, emptied), `clients` authenticated socket.io
| clients (WebSocket transport) in classes of `class-size` (one teacher each), spread round-robin over
| the app processes and held by `groups` forked client generators (client_group.ts) pinned with
| taskset to other cores than the app processes. Every client joins its class (session:join); then a
| soak at classroom rates; then one app process is killed with SIGKILL and its clients reconnect to
| the others (as a load balancer would send them) and rejoin. Loopback only; clients use 127.0.0.x
| source addresses; the file-descriptor limit is raised with prlimit. Prints the figures and writes
| bench/results/connections-<timestamp>.json and connections-latest.json.
*/
import { execFileSync, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Redis } from 'ioredis'
import { RedisSharedState } from '#app/realtime/shared_state'
import type { FromGroup, GroupClient, JoinReport, Rates, SoakReport, StormReport, ToGroup } from './client_group.js'
import { cpuSeconds, pin } from '../process_cpu.js'
import { benchArgs } from '../cli_args.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REDIS_PREFIX = 'aula-bench-connections:'
const GOALS = { failedJoins: 0, broadcastP99Ms: 250, stormRejoinS: 60 }

const { args, num: numFrom } = benchArgs()
const num = (name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) => numFrom(name, fallback, min, max)
const options = {
  clients: num('clients', 12_000, 2, 20_000),
  classSize: num('class-size', 200, 2, 1000),
  apps: num('apps', 2, 1, 8),
  groups: num('groups', 2, 1, 16),
  soakSeconds: num('soak', 300, 5, 3600),
  adapter: (args.get('adapter') ?? 'redis') as 'redis' | 'redis-sharded' | 'redis-streams',
  rampPerSecond: num('ramp', 400, 1, 10_000),
  sourceIps: num('source-ips', 16, 1, 250),
  appCpus: args.get('app-cpus') ?? '0',
  clientCpus: args.get('client-cpus') ?? (cpus().length > 1 ? '1' : '0'),
  storm: (args.get('storm') ?? 'true') !== 'false',
  joinTimeoutMs: num('join-timeout', 30_000, 1000, 600_000),
  maxSeconds: num('max-seconds', 1800, 30, 7200),
  /** Per class per second. */
  rates: {
    chat: num('chat-rate', 0.5, 0, 50),
    reactions: num('reaction-rate', 1, 0, 50),
    hands: num('hand-rate', 0.2, 0, 50),
    presence: num('presence-rate', 0.1, 0, 50),
  } satisfies Rates,
}
if (!['redis', 'redis-sharded', 'redis-streams'].includes(options.adapter)) throw new Error(`bad option --adapter=${options.adapter}`)
const classes = Math.ceil(options.clients / options.classSize)

const APP_KEY = randomBytes(32).toString('base64url')
Object.assign(process.env, {
  NODE_ENV: 'test',
  APP_KEY,
  DB_CONNECTION: 'pg',
  DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aula_bench_connections',
  REDIS_URL,
  REDIS_PREFIX,
  REALTIME_ADAPTER: options.adapter,
  SESSION_DRIVER: 'cookie',
  LOG_LEVEL: 'warn',
  // No media sidecar: nothing here uses video.
  MEDIA_SIDECARS: 'tcp://127.0.0.1:1',
})

const log = (...parts: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts)

/**
 * Raises this process's open-file limit (children inherit it): one fd per client, per server-side
 * socket. Where the hard limit cannot be raised (a container capped at 20,000 here), the soft limit
 * goes up to the hard one: each process stays below it as long as no process holds ~20,000 sockets.
 */
function raiseFileLimit(wanted: number) {
  const read = (which: 'SOFT' | 'HARD') =>
    Number(execFileSync('prlimit', ['--pid', String(process.pid), '--nofile', '--noheadings', `--output=${which}`]).toString().trim())
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:${wanted}`], { stdio: 'ignore' })
  } catch {
    const hard = read('HARD')
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`], { stdio: 'ignore' })
  }
  return read('SOFT')
}


const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024

async function redisCpuSeconds(redis: Redis) {
  const info = await redis.info('cpu')
  const get = (key: string) => Number(new RegExp(`${key}:([\\d.]+)`).exec(info)?.[1] ?? 0)
  return get('used_cpu_sys') + get('used_cpu_user')
}

async function connectionsOf(url: string) {
  const body = await (await fetch(`${url}/metrics`)).text()
  return Number(/^aula_realtime_connections (\d+)/m.exec(body)?.[1] ?? NaN)
}

/** session:join's server-side time (arrival to acknowledgement) from an app's duration histogram: cumulative count per bucket bound. */
async function serverJoinBuckets(url: string): Promise<Map<number, number>> {
  const body = await (await fetch(`${url}/metrics`)).text()
  const buckets = new Map<number, number>()
  for (const line of body.split('\n')) {
    if (!line.startsWith('aula_realtime_event_duration_seconds_bucket{') || !line.includes('event="session:join"')) continue
    const le = /le="([^"]+)"/.exec(line)?.[1]
    if (le) buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(' ') + 1)))
  }
  return buckets
}

/** The bucket bound (seconds) under which p % of the joins of all apps were answered, between two scrapes. */
function serverJoinQuantile(before: Map<number, number>[], after: Map<number, number>[], p: number) {
  const bounds = [...new Set(after.flatMap((b) => [...b.keys()]))].sort((a, b) => a - b)
  const count = (le: number) => after.reduce((s, b, i) => s + (b.get(le) ?? 0) - (before[i].get(le) ?? 0), 0)
  const total = count(Infinity)
  if (!total) return { joins: 0, seconds: null }
  const bound = bounds.find((le) => count(le) >= (total * p) / 100)
  return { joins: total, seconds: bound === undefined || bound === Infinity ? null : bound }
}

function startGroup(index: number) {
  const child = fork(join(ROOT, 'bench', 'connections', 'client_group.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import=ts-node-maintained/register/esm', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ask = <T extends FromGroup['type']>(message: ToGroup, expected: T) =>
    new Promise<Extract<FromGroup, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`client group ${index} exited (${code})`))
      child.once('exit', onExit)
      child.once('message', (answer: FromGroup) => {
        child.off('exit', onExit)
        if (answer.type === expected) resolve(answer as Extract<FromGroup, { type: T }>)
        else reject(new Error(answer.type === 'error' ? answer.message : `client group answered ${answer.type}, expected ${expected}`))
      })
      child.send(message)
    })
  return { index, child, ask }
}

function percentileFromHistogram(histogram: number[], p: number) {
  const total = histogram.reduce((a, b) => a + b, 0)
  if (!total) return NaN
  let seen = 0
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]
    if (seen >= (p / 100) * total) return ms
  }
  return histogram.length - 1
}

const quantile = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits
const merge = (records: Record<string, number>[]) => {
  const out: Record<string, number> = {}
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v
  return out
}

async function main() {
  const startedAt = new Date()
  const fdLimit = raiseFileLimit(Math.max(65_536, options.clients * 3 + 1024))
  log(`fd limit ${fdLimit}; ${options.clients} clients in ${classes} classes of ≤${options.classSize}, ${options.apps} app processes (adapter ${options.adapter}), ${options.groups} client processes`)

  const redis = new Redis(REDIS_URL)
  await new RedisSharedState(redis, REDIS_PREFIX).clearPrefix('')

  log('creating the school, users, classes and session cookies…')
  const { createConnectionsSchool } = await import('./fixture.js')
  const { users } = await createConnectionsSchool({ classes, classSize: options.classSize })
  const benchUsers = users.slice(0, options.clients)

  const { startAppProcess } = await import('#tests/helpers/app_process')
  const apps = await Promise.all(Array.from({ length: options.apps }, () => startAppProcess({ redisUrl: REDIS_URL })))
  const groups: ReturnType<typeof startGroup>[] = []
  const hardStop = setTimeout(() => {
    console.error(`bench bounded at ${options.maxSeconds} s: stopping`)
    for (const g of groups) g.child.kill('SIGKILL')
    for (const a of apps) a.child.kill('SIGKILL')
    process.exit(2)
  }, options.maxSeconds * 1000)
  hardStop.unref()

  try {
    const appPinning = apps.map((a) => pin(a.pid, options.appCpus))
    const redisPid = Number(execFileSync('sh', ['-c', 'pgrep -x redis-server | head -n 1 || true']).toString().trim()) || null
    log(`apps ${apps.map((a) => `${a.url} (pid ${a.pid}, cpus ${appPinning[0]})`).join(', ')}; redis pid ${redisPid ?? 'unknown'}`)
    await new Promise((r) => setTimeout(r, 1000))
    const rssBaseline = apps.map((a) => rssBytes(a.pid))

    for (let g = 0; g < options.groups; g++) groups.push(startGroup(g))
    const clientPinning = groups.map((g) => pin(g.child.pid!, options.clientCpus))
    const specs: GroupClient[] = benchUsers.map((u, i) => ({
      userId: u.userId,
      classId: u.classId,
      role: u.role,
      cookie: u.cookie,
      app: i % options.apps,
      localAddress: `127.0.0.${1 + (i % options.sourceIps)}`,
    }))
    const perGroup = groups.map((g) => specs.filter((_, i) => i % options.groups === g.index))

    /* ---- joins ---- */
    log(`connecting and joining at ${options.rampPerSecond}/s…`)
    const cpuBeforeJoin = apps.map((a) => cpuSeconds(a.pid))
    const clientCpuBeforeJoin = groups.map((g) => cpuSeconds(g.child.pid!))
    const serverJoinsBefore = await Promise.all(apps.map((a) => serverJoinBuckets(a.url)))
    const redisCpuBeforeJoin = await redisCpuSeconds(redis)
    const joinStarted = performance.now()
    const joinReports: JoinReport[] = (
      await Promise.all(
        groups.map((g) =>
          g.ask(
            { type: 'connect', clients: perGroup[g.index], apps: apps.map((a) => a.url), perSecond: options.rampPerSecond / options.groups, joinTimeoutMs: options.joinTimeoutMs },
            'connected'
          )
        )
      )
    ).map((a) => a.report)
    const joinWallS = (performance.now() - joinStarted) / 1000
    const joined = joinReports.reduce((s, r) => s + r.joined, 0)
    const failed = joinReports.reduce((s, r) => s + r.failed, 0)
    const firstAttempt = Math.min(...joinReports.map((r) => r.firstAttemptAt))
    const lastJoin = Math.max(...joinReports.map((r) => r.lastJoinAt))
    const joinMs = joinReports.flatMap((r) => r.joinMs)
    const joinCpu = apps.map((a, i) => round((cpuSeconds(a.pid) - cpuBeforeJoin[i]) / joinWallS, 2))
    const joinRedisCpu = round(((await redisCpuSeconds(redis)) - redisCpuBeforeJoin) / joinWallS, 2)
    const joinClientCpu = groups.map((g, i) => round((cpuSeconds(g.child.pid!) - clientCpuBeforeJoin[i]) / joinWallS, 2))
    const serverJoinsAfter = await Promise.all(apps.map((a) => serverJoinBuckets(a.url)))
    const [joinP50, joinP99] = [50, 99].map((p) => serverJoinQuantile(serverJoinsBefore, serverJoinsAfter, p))
    const serverJoin = { answered: joinP50.joins, p50AtMostSeconds: joinP50.seconds, p99AtMostSeconds: joinP99.seconds }
    const connections = await Promise.all(apps.map((a) => connectionsOf(a.url)))
    const rssJoined = apps.map((a) => rssBytes(a.pid))
    log(`joined ${joined}, failed ${failed} in ${round(joinWallS)} s; connections per app ${connections.join(' / ')}`)
    // Failed joins: what the app processes logged (the first errors say why).
    if (failed) for (const a of apps) console.error(`--- app ${a.pid} log (first 4000 characters) ---\n${a.output().slice(0, 4000)}`)

    /* ---- soak ---- */
    log(`soak for ${options.soakSeconds} s at classroom rates ${JSON.stringify(options.rates)} per class per second…`)
    const classIds = [...new Set(benchUsers.map((u) => u.classId))]
    // Every group drives its own members of every class; the class rates are split between the groups.
    const groupRates: Rates = {
      chat: options.rates.chat / options.groups,
      reactions: options.rates.reactions / options.groups,
      hands: options.rates.hands / options.groups,
      presence: options.rates.presence / options.groups,
    }
    const cpuBeforeSoak = apps.map((a) => cpuSeconds(a.pid))
    const clientCpuBeforeSoak = groups.map((g) => cpuSeconds(g.child.pid!))
    const redisCpuBeforeSoak = await redisCpuSeconds(redis)
    const soakStarted = performance.now()
    const soakReports: SoakReport[] = (
      await Promise.all(groups.map((g) => g.ask({ type: 'soak', seconds: options.soakSeconds, rates: groupRates, classesHere: classIds }, 'soaked')))
    ).map((a) => a.report)
    const soakWallS = (performance.now() - soakStarted) / 1000
    const soakCpu = apps.map((a, i) => round((cpuSeconds(a.pid) - cpuBeforeSoak[i]) / soakWallS, 2))
    const soakRedisCpu = round(((await redisCpuSeconds(redis)) - redisCpuBeforeSoak) / soakWallS, 2)
    const soakClientCpu = groups.map((g, i) => round((cpuSeconds(g.child.pid!) - clientCpuBeforeSoak[i]) / soakWallS, 2))
    const rssAfterSoak = apps.map((a) => rssBytes(a.pid))
    const histogram = soakReports[0].latencyHistogram.map((_, ms) => soakReports.reduce((s, r) => s + r.latencyHistogram[ms], 0))
    const latency = { p50: percentileFromHistogram(histogram, 50), p99: percentileFromHistogram(histogram, 99), max: histogram.findLastIndex((n) => n > 0) }
    const chatAcked = soakReports.reduce((s, r) => s + r.chatAcked, 0)
    const deliveries = soakReports.reduce((s, r) => s + r.received, 0)
    log(`soak: ${chatAcked} chat messages, ${deliveries} deliveries, latency p50 ${latency.p50} ms p99 ${latency.p99} ms`)

    /* ---- reconnect storm ---- */
    let stormResult: { killedApp: number; affected: number; rejoined: number; rejoinSeconds: number | null; failures: Record<string, number> } | null = null
    if (options.storm && options.apps > 1) {
      const dead = 0
      const alive = apps.map((_, i) => i).filter((i) => i !== dead)
      await Promise.all(groups.map((g) => g.ask({ type: 'storm', deadApp: dead, aliveApps: alive }, 'storm-ready')))
      log(`killing app process ${apps[dead].pid} with SIGKILL; its clients reconnect to the others…`)
      const killedAt = performance.timeOrigin + performance.now()
      apps[dead].child.kill('SIGKILL')
      const storms: StormReport[] = (await Promise.all(groups.map((g) => g.ask({ type: 'await-rejoin', timeoutMs: 120_000 }, 'rejoined')))).map((a) => a.report)
      const affected = storms.reduce((s, r) => s + r.affected, 0)
      const rejoined = storms.reduce((s, r) => s + r.rejoined, 0)
      const last = Math.max(...storms.map((r) => r.lastRejoinAt))
      stormResult = {
        killedApp: dead,
        affected,
        rejoined,
        rejoinSeconds: rejoined === affected && affected > 0 ? round((last - killedAt) / 1000, 2) : null,
        failures: merge(storms.map((r) => r.failures)),
      }
      log(`storm: ${rejoined}/${affected} rejoined${stormResult.rejoinSeconds !== null ? ` within ${stormResult.rejoinSeconds} s` : ''}`)
    }

    const perConnectionKb = apps.map((_, i) => (connections[i] ? round((rssJoined[i] - rssBaseline[i]) / connections[i] / 1024, 1) : null))
    const result = {
      bench: 'connections',
      startedAt: startedAt.toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavgAtStart: loadavg().map((l) => round(l, 2)) },
      options: { ...options, classes, redis: REDIS_URL, database: process.env.DATABASE_URL, fdLimit },
      pinning: { appProcesses: appPinning, clientProcesses: clientPinning },
      joins: {
        attempted: benchUsers.length,
        joined,
        failed,
        failures: merge(joinReports.map((r) => r.failures)),
        seconds: round((lastJoin - firstAttempt) / 1000, 2),
        perSecond: round(joined / ((lastJoin - firstAttempt) / 1000), 1),
        joinMs: { p50: round(quantile(joinMs, 50)), p99: round(quantile(joinMs, 99)), max: round(Math.max(...joinMs)) },
        connectionsPerApp: connections,
        cpuOfAppsDuringJoins: joinCpu,
        cpuOfRedisDuringJoins: joinRedisCpu,
        cpuOfClientProcessesDuringJoins: joinClientCpu,
        /** The apps' own time per join (aula_realtime_event_duration_seconds, bucket bounds): the rest of an ack's wait is on the way. */
        serverSide: serverJoin,
      },
      memory: {
        rssBaselineMb: rssBaseline.map((b) => round(b / 2 ** 20)),
        rssJoinedMb: rssJoined.map((b) => round(b / 2 ** 20)),
        rssAfterSoakMb: rssAfterSoak.map((b) => round(b / 2 ** 20)),
        /** (RSS after joins − RSS before any client) / connections of that process. */
        perConnectionKb,
      },
      soak: {
        seconds: round(soakWallS),
        ratesPerClassPerSecond: options.rates,
        chatSent: soakReports.reduce((s, r) => s + r.chatSent, 0),
        chatAcked,
        chatErrors: merge(soakReports.map((r) => r.chatErrors)),
        otherEventsSent: soakReports.reduce((s, r) => s + r.otherSent, 0),
        otherErrors: merge(soakReports.map((r) => r.otherErrors)),
        deliveries,
        broadcastLatencyMs: latency,
        disconnects: soakReports.reduce((s, r) => s + r.disconnectsDuringSoak, 0),
        cpuOfApps: soakCpu,
        cpuOfRedis: soakRedisCpu,
        cpuOfClientProcesses: soakClientCpu,
        clientLoopDelayMs: soakReports.map((r) => r.loopDelayMs),
      },
      storm: stormResult,
      goals: GOALS,
      met: {
        held: joined === options.clients,
        failedJoins: failed <= GOALS.failedJoins,
        broadcastP99: latency.p99 <= GOALS.broadcastP99Ms,
        storm: stormResult ? stormResult.rejoinSeconds !== null && stormResult.rejoinSeconds <= GOALS.stormRejoinS : null,
      },
    }
    console.table({
      'clients joined / attempted': `${joined} / ${benchUsers.length}`,
      'failed joins': failed,
      'join rate (joins/s)': result.joins.perSecond,
      'join ack p50 / p99 (ms)': `${result.joins.joinMs.p50} / ${result.joins.joinMs.p99}`,
      'connections per app': connections.join(' / '),
      'RSS per connection (KB), per app': perConnectionKb.join(' / '),
      'broadcast latency p50 / p99 / max (ms)': `${latency.p50} / ${latency.p99} / ${latency.max}`,
      'chat deliveries': deliveries,
      'server-side join p50 / p99 (≤ s)': `${serverJoin.p50AtMostSeconds ?? '—'} / ${serverJoin.p99AtMostSeconds ?? '—'} (${serverJoin.answered} answered)`,
      'CPU of apps during joins (cores)': joinCpu.join(' + '),
      'CPU of client processes during joins / soak (cores)': `${joinClientCpu.join(' + ')} / ${soakClientCpu.join(' + ')}`,
      'CPU of apps during soak (cores)': soakCpu.join(' + '),
      'CPU of Redis during joins / soak (cores)': `${joinRedisCpu} / ${soakRedisCpu}`,
      'reconnect storm': stormResult ? `${stormResult.rejoined}/${stormResult.affected} rejoined in ${stormResult.rejoinSeconds ?? '—'} s` : 'skipped',
    })
    mkdirSync(RESULTS, { recursive: true })
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
    const json = JSON.stringify(result, null, 2) + '\n'
    writeFileSync(join(RESULTS, `connections-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'connections-latest.json'), json)
    const ok = (v: boolean | null) => (v === null ? 'n/a' : v ? 'met' : 'MISSED')
    console.log(
      `connections (${options.adapter}, ${options.apps} apps): ${joined}/${options.clients} held (${ok(result.met.held)}), ${failed} failed joins (${ok(result.met.failedJoins)}), ` +
        `${result.joins.perSecond} joins/s, broadcast p50 ${latency.p50} ms p99 ${latency.p99} ms (${ok(result.met.broadcastP99)}), ` +
        `RSS/connection ${perConnectionKb.join(' / ')} KB, storm ${stormResult?.rejoinSeconds ?? '—'} s (${ok(result.met.storm)}) [bench/results/connections-${stamp}.json]`
    )
  } finally {
    await Promise.all(
      groups.map((g) => g.ask({ type: 'close' }, 'closed').catch(() => g.child.kill('SIGKILL')))
    )
    await Promise.all(apps.map((a) => a.kill()))
    await new RedisSharedState(redis, REDIS_PREFIX).clearPrefix('').catch(() => {})
    redis.disconnect()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
