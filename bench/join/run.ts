/*
| Join latency (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/join/run.ts [--runs=10]
|
| Starts a real media sidecar (app/media/sidecar/main.ts) and a real web process (bin/server.ts,
| NODE_ENV=development like `bin/aula start`) on its own SQLite file (tmp/bench-join.sqlite3,
| migrated and seeded with the demo school). In Debian's Chromium with a fake camera and
| microphone, the teacher (ada@demo.aula) presses "Start class now" and publishes; then for each
| run the student (amara@demo.aula) loads the dashboard, clicks Join, and the page measures
| (performance.now(), same document: the classroom is an Inertia visit) the time until the
| teacher's video has framesDecoded > 0 in the receive transport's getStats(). One unmeasured
| warm-up join first (the dev-mode Vite server transforms the classroom modules on first request).
| Writes bench/results/join-<timestamp>.json and bench/results/join-latest.json.
*/
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { SidecarProcess } from '#tests/helpers/sidecar'
import { startBenchSidecar } from '../bench_sidecar.js'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const GOAL_MEDIAN_MS = 2000
const DEMO_PASSWORD = 'aula-demo'

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
    return [key, value] as const
  })
)
const num = (name: string, fallback: number) => {
  const value = args.has(name) ? Number(args.get(name)) : fallback
  if (!Number.isInteger(value) || value <= 0) throw new Error(`bad option --${name}=${args.get(name)}`)
  return value
}
const options = {
  runs: num('runs', 10),
  rpcPort: num('rpc-port', 4492),
  rtcMinPort: num('rtc-min-port', 46000),
  rtcMaxPort: num('rtc-max-port', 46199),
  timeoutMs: num('timeout', 30_000),
  teacher: args.get('teacher') ?? 'ada@demo.aula',
  student: args.get('student') ?? 'amara@demo.aula',
}

const SQLITE_PATH = 'tmp/bench-join.sqlite3'
const secret = randomBytes(18).toString('base64url')
const appEnv: Record<string, string> = {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  APP_KEY: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  DB_CONNECTION: 'sqlite',
  SQLITE_PATH,
  REDIS_URL: '',
  SESSION_DRIVER: 'cookie',
  MEDIA_SIDECARS: `tcp://127.0.0.1:${options.rpcPort}`,
  MEDIA_RPC_SECRET: secret,
}

function ace(argv: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...argv], { cwd: ROOT, env: { ...process.env, ...appEnv, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ace ${argv.join(' ')} failed:\n${output}`))))
  })
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
]

async function loggedIn(browser: Browser, baseUrl: string, email: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    if (!error.message.includes('WebSocket closed without opened')) console.error(`[${email}] page error: ${error.message}`)
  })
  await page.goto(`${baseUrl}/login`)
  await page.fill('#email', email)
  await page.fill('#password', DEMO_PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL(`${baseUrl}/`)
  return page
}

interface JoinTiming {
  /** Click on Join → first teacher video frame decoded (inbound-rtp framesDecoded > 0). */
  firstFrameMs: number
  /** Click → the classroom's video session exists (window.__aulaVideo). */
  sessionMs: number | null
  /** Click → the teacher's video track is a remote of this page (consumer created). */
  remoteTrackMs: number | null
  /** Click → first RTP bytes of that video received. */
  firstBytesMs: number | null
  /** Click → the <video> element showing the teacher presented its first frame (requestVideoFrameCallback). */
  presentedMs: number | null
}

/** Clicks Join on the dashboard and measures inside the page (the classroom is an Inertia visit: same document, same clock). */
function clickJoinAndMeasure(page: Page, teacherId: number, timeoutMs: number): Promise<JoinTiming> {
  return page.evaluate(
    ([teacherId, timeoutMs]) =>
      new Promise<JoinTiming>((resolve, reject) => {
        const w = window as any
        const t: Partial<JoinTiming> = {}
        let presentedHooked = false
        const button = document.querySelector<HTMLElement>('[data-test=join]')
        if (!button) return reject(new Error('no Join button on the dashboard'))
        const t0 = performance.now()
        const since = () => Math.round((performance.now() - t0) * 10) / 10
        const deadline = setTimeout(() => reject(new Error(`no teacher video frame within ${timeoutMs} ms: ${JSON.stringify(t)}`)), timeoutMs)
        button.click()
        const tick = async () => {
          try {
            const video = w.__aulaVideo
            if (video) {
              t.sessionMs ??= since()
              const remote = (video.remotes() as { userId: number; kind: string; trackId: string }[]).find(
                (r) => r.userId === teacherId && r.kind === 'video'
              )
              if (remote) {
                t.remoteTrackMs ??= since()
                if (!presentedHooked) {
                  const element = [...document.querySelectorAll('video')].find((v) =>
                    (v.srcObject as MediaStream | null)?.getVideoTracks().some((track) => track.id === remote.trackId)
                  )
                  if (element && 'requestVideoFrameCallback' in element) {
                    presentedHooked = true
                    element.requestVideoFrameCallback(() => (t.presentedMs ??= since()))
                  }
                }
                const rows = (await video.inbound()) as { trackId: string; bytesReceived: number; framesDecoded: number }[]
                const row = rows.find((r) => r.trackId === remote.trackId)
                if (row && row.bytesReceived > 0) t.firstBytesMs ??= since()
                if (row && row.framesDecoded > 0) {
                  t.firstFrameMs = since()
                  clearTimeout(deadline)
                  /* Give requestVideoFrameCallback a moment to report, without delaying the measured value. */
                  setTimeout(() => resolve({ sessionMs: null, remoteTrackMs: null, firstBytesMs: null, presentedMs: null, ...t } as JoinTiming), 300)
                  return
                }
              }
            }
          } catch {}
          setTimeout(tick, 10)
        }
        tick()
      }),
    [teacherId, timeoutMs] as const
  )
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const q = (p: number) => {
    const i = (sorted.length - 1) * p
    const lo = Math.floor(i)
    return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo)
  }
  const r = (v: number) => Math.round(v)
  return {
    n: sorted.length,
    median: r(q(0.5)),
    p90: r(q(0.9)),
    min: r(sorted[0]),
    max: r(sorted[sorted.length - 1]),
    mean: r(values.reduce((a, b) => a + b, 0) / values.length),
  }
}

async function main() {
  const startedAt = new Date()
  let sidecar: SidecarProcess | null = null
  let app: AppProcess | null = null
  let browser: Browser | null = null
  try {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true })
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, SQLITE_PATH + suffix), { force: true })
    console.log('migrating and seeding the demo school into', SQLITE_PATH)
    await ace(['migration:run', '--force'])
    await ace(['aula:demo'])

    sidecar = await startBenchSidecar({ port: options.rpcPort, secret, rtcMinPort: options.rtcMinPort, rtcMaxPort: options.rtcMaxPort })
    app = await startAppProcess({ env: appEnv })
    console.log(`app ${app.url} (pid ${app.pid}), sidecar ${sidecar.url}`)
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })

    const teacher = await loggedIn(browser, app.url, options.teacher)
    await teacher.click('[data-test=start-now]')
    await teacher.waitForURL(/\/classes\/\d+$/)
    const classUrl = teacher.url()
    await teacher.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', undefined, { timeout: options.timeoutMs })
    /* The class's teacher id, from the classroom page's Inertia props (data-page of a plain GET). */
    const teacherUserId = await teacher.evaluate(async () => {
      const html = await (await fetch(location.href, { headers: { accept: 'text/html' } })).text()
      const element = new DOMParser().parseFromString(html, 'text/html').querySelector<HTMLElement>('[data-page]')
      return JSON.parse(element!.dataset.page!).props.classSession.teacherId as number
    })
    const student = await loggedIn(browser, app.url, options.student)

    const runOnce = async () => {
      await student.goto(`${app!.url}/`)
      await student.waitForSelector('[data-test=join]')
      const timing = await clickJoinAndMeasure(student, teacherUserId, options.timeoutMs)
      if (student.url() !== classUrl) throw new Error(`Join led to ${student.url()}, expected ${classUrl}`)
      return timing
    }

    const warmup = await runOnce()
    console.log(`warm-up join (not counted): first frame after ${warmup.firstFrameMs} ms`)
    const runs: JoinTiming[] = []
    console.log('run | first frame ms | session ms | remote track ms | first bytes ms | presented ms')
    for (let i = 1; i <= options.runs; i++) {
      const timing = await runOnce()
      runs.push(timing)
      console.log([i, timing.firstFrameMs, timing.sessionMs, timing.remoteTrackMs, timing.firstBytesMs, timing.presentedMs].join(' | '))
    }

    const firstFrame = stats(runs.map((r) => r.firstFrameMs))
    const presentedValues = runs.map((r) => r.presentedMs).filter((v): v is number => v !== null)
    const result = {
      bench: 'join',
      startedAt: startedAt.toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, node: process.version, loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100) },
      options,
      setup: {
        app: 'bin/server.ts, NODE_ENV=development (Vite dev middleware, as `bin/aula start`), SQLite, in-process realtime',
        sidecar: 'app/media/sidecar/main.ts, 1 mediasoup worker, loopback',
        browser: 'Debian Chromium (headless, fake camera/microphone), one context per user',
        measured: 'student clicks Join on the dashboard → teacher video inbound-rtp framesDecoded > 0 (polled every 10 ms in the page)',
      },
      warmupFirstFrameMs: warmup.firstFrameMs,
      firstFrameMs: firstFrame,
      presentedMs: presentedValues.length ? stats(presentedValues) : null,
      runs,
      goal: { medianMs: GOAL_MEDIAN_MS, met: firstFrame.median <= GOAL_MEDIAN_MS },
    }
    mkdirSync(RESULTS, { recursive: true })
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
    const json = JSON.stringify(result, null, 2) + '\n'
    writeFileSync(join(RESULTS, `join-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'join-latest.json'), json)
    console.log(
      `\nJoin bench: click Join → first decoded teacher frame over ${firstFrame.n} runs: median ${firstFrame.median} ms, ` +
        `p90 ${firstFrame.p90} ms, min ${firstFrame.min} ms, max ${firstFrame.max} ms; goal median <= ${GOAL_MEDIAN_MS} ms: ` +
        `${result.goal.met ? 'met' : 'NOT met'} [bench/results/join-${stamp}.json]`
    )
  } finally {
    await browser?.close().catch(() => {})
    await app?.kill()
    await sidecar?.kill('SIGKILL')
  }
}

await main()
