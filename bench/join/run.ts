/*
| Join latency (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/join/run.ts [--runs=10]
|
| Starts a real media sidecar (app/media/sidecar/main.ts) and a real web process (bin/server.ts,
| NODE_ENV=production on the built assets like `bin/aula start`; `--dev`: Vite's dev server like
| `bin/aula dev`) on its own SQLite file (tmp/bench-join.sqlite3,
| migrated and seeded with the demo school). In Debian's Chromium with a fake camera and
| microphone, the teacher (ada@demo.aula) presses "Start class now" and publishes; then for each
| run the student (amara@demo.aula) loads the dashboard, clicks Join, and the page measures
| (performance.now(), same document: the classroom is an Inertia visit) the time until the
| teacher's video has framesDecoded > 0 in the receive transport's getStats(). One unmeasured
| warm-up join first (caches warm; in dev mode Vite transforms the classroom modules on first request).
| Writes bench/results/join-<timestamp>.json and bench/results/join-latest.json.
|
|   node --import=ts-node-maintained/register/esm bench/join/run.ts --lossy [--runs=10]
|
| Lossy mode: the same measurement twice in one run, first on loopback, then with both browsers'
| media through a userspace relay (bench/join/lossy_relay.ts) in front of the sidecar's one media
| port (MEDIA_WEBRTC_PORT, announced on 127.0.0.2 where the relay listens) that adds --delay=50 ms
| each way (100 ms RTT) and drops --loss=0.02 of the datagrams each way; signalling (socket.io)
| stays on loopback. Each phase also reports the teacher's video frame rate at the student 30 s
| after the last join. Writes bench/results/join-lossy-<timestamp>.json and join-lossy-latest.json.
*/
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { SidecarProcess } from '#tests/helpers/sidecar'
import { startBenchSidecar } from '../bench_sidecar.js'
import { appSetup, benchAppEnv, BENCH_CHROMIUM_ARGS, buildAssets, loggedIn, runAce } from '../bench_app.js'
import { startLossyRelay } from './lossy_relay.js'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const GOAL_MEDIAN_MS = 2000
const GOAL_LOSSY_P90_MS = 500

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
  lossy: args.get('lossy') === 'true',
  production: args.get('dev') !== 'true',
  /** Lossy mode: the sidecar's one media port, the delay each way and the loss rate each way. */
  mediaPort: num('media-port', 46300),
  delayMs: num('delay', 50),
  loss: Number(args.get('loss') ?? 0.02),
  /** Lossy mode: the frame rate is measured this long after the last join, over fpsWindowMs. */
  fpsAfterMs: num('fps-after', 30_000),
  fpsWindowMs: num('fps-window', 5000),
}
if (!(options.loss >= 0 && options.loss < 1)) throw new Error(`bad option --loss=${args.get('loss')}`)

const SQLITE_PATH = 'tmp/bench-join.sqlite3'
const secret = randomBytes(18).toString('base64url')
const appEnv = benchAppEnv({ sqlitePath: SQLITE_PATH, rpcPort: options.rpcPort, rpcSecret: secret, production: options.production })
const ace = (argv: string[]) => runAce(appEnv, argv)
const CHROMIUM_ARGS = BENCH_CHROMIUM_ARGS

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

type Network = 'loopback' | 'lossy'

/** The teacher's video as the student receives it, from the receive transport's getStats(). */
function inboundVideo(page: Page, teacherId: number) {
  return page.evaluate(async (teacherId) => {
    const w = window as any
    const remote = (w.__aulaVideo.remotes() as { userId: number; kind: string; trackId: string }[]).find(
      (r) => r.userId === teacherId && r.kind === 'video'
    )
    const rows = (await w.__aulaVideo.inbound()) as { trackId: string; framesDecoded: number; bytesReceived: number }[]
    return rows.find((r) => r.trackId === remote?.trackId) ?? null
  }, teacherId)
}

/** One phase: a fresh demo school, sidecar, web process and Chromium; the warm-up join and `runs` measured joins. */
async function phase(network: Network) {
  let sidecar: SidecarProcess | null = null
  let app: AppProcess | null = null
  let browser: Browser | null = null
  let relay: Awaited<ReturnType<typeof startLossyRelay>> | null = null
  try {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true })
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, SQLITE_PATH + suffix), { force: true })
    console.log(`[${network}] migrating and seeding the demo school into`, SQLITE_PATH)
    await ace(['migration:run', '--force'])
    await ace(['aula:demo'])

    // Lossy mode runs both phases on the one-port listener, so they differ only by the relay.
    const onePort: Record<string, string> = options.lossy ? { MEDIA_WEBRTC_PORT: String(options.mediaPort) } : {}
    const announced: Record<string, string> = network === 'lossy' ? { MEDIA_ANNOUNCED_IP: '127.0.0.2' } : {}
    if (network === 'lossy') {
      relay = await startLossyRelay({
        listenHost: '127.0.0.2',
        targetHost: '127.0.0.1',
        port: options.mediaPort,
        delayMs: options.delayMs,
        lossRate: options.loss,
      })
    }
    sidecar = await startBenchSidecar({
      port: options.rpcPort,
      secret,
      rtcMinPort: options.rtcMinPort,
      rtcMaxPort: options.rtcMaxPort,
      env: { ...onePort, ...announced },
    })
    app = await startAppProcess({ env: appEnv })
    console.log(`[${network}] app ${app.url} (pid ${app.pid}), sidecar ${sidecar.url}`)
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
    console.log(`[${network}] warm-up join (not counted): first frame after ${warmup.firstFrameMs} ms`)
    const runs: JoinTiming[] = []
    console.log('run | first frame ms | session ms | remote track ms | first bytes ms | presented ms')
    let lastJoinAt = Date.now()
    for (let i = 1; i <= options.runs; i++) {
      lastJoinAt = Date.now()
      const timing = await runOnce()
      runs.push(timing)
      console.log([i, timing.firstFrameMs, timing.sessionMs, timing.remoteTrackMs, timing.firstBytesMs, timing.presentedMs].join(' | '))
    }

    /* Frame rate of the teacher's video at the student, fpsAfterMs after the last join, over fpsWindowMs. */
    let frameRate: { afterMs: number; windowMs: number; fps: number; framesDecoded: number } | null = null
    if (options.lossy) {
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
      await wait(lastJoinAt + options.fpsAfterMs - Date.now())
      const a = await inboundVideo(student, teacherUserId)
      const t0 = Date.now()
      await wait(options.fpsWindowMs)
      const b = await inboundVideo(student, teacherUserId)
      const windowMs = Date.now() - t0
      if (a && b) {
        const fps = Math.round(((b.framesDecoded - a.framesDecoded) / windowMs) * 10_000) / 10
        frameRate = { afterMs: t0 - lastJoinAt, windowMs, fps, framesDecoded: b.framesDecoded }
      }
      console.log(`[${network}] frame rate ${frameRate ? `${frameRate.fps} fps` : 'not measured (no video)'} ${options.fpsAfterMs / 1000} s after the last join`)
    }
    return { network, warmupFirstFrameMs: warmup.firstFrameMs, runs, frameRate, relay: relay ? { ...relay.stats } : null }
  } finally {
    await browser?.close().catch(() => {})
    await app?.kill()
    await sidecar?.kill('SIGKILL')
    await relay?.close()
  }
}

function summary(result: Awaited<ReturnType<typeof phase>>) {
  const firstFrame = stats(result.runs.map((r) => r.firstFrameMs))
  const presentedValues = result.runs.map((r) => r.presentedMs).filter((v): v is number => v !== null)
  return { ...result, firstFrameMs: firstFrame, presentedMs: presentedValues.length ? stats(presentedValues) : null }
}

async function main() {
  if (options.production) await buildAssets()
  const startedAt = new Date()
  const machine = { cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, node: process.version, loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100) }
  const setup = {
    app: appSetup(options.production),
    sidecar: `app/media/sidecar/main.ts, 1 mediasoup worker, loopback${options.lossy ? `, one media port (MEDIA_WEBRTC_PORT=${options.mediaPort})` : ''}`,
    browser: 'Debian Chromium (headless, fake camera/microphone), one context per user',
    measured: 'student clicks Join on the dashboard → teacher video inbound-rtp framesDecoded > 0 (polled every 10 ms in the page)',
    ...(options.lossy
      ? {
          lossy: `both browsers' media through bench/join/lossy_relay.ts on 127.0.0.2:${options.mediaPort} (announced by the sidecar): +${options.delayMs} ms each way, ${options.loss * 100} % of UDP datagrams dropped each way (TCP: a "lost" chunk held back 200 ms); socket.io signalling on loopback`,
        }
      : {}),
  }
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  mkdirSync(RESULTS, { recursive: true })

  if (!options.lossy) {
    const only = summary(await phase('loopback'))
    const result = {
      bench: 'join',
      startedAt: startedAt.toISOString(),
      machine,
      options,
      setup,
      warmupFirstFrameMs: only.warmupFirstFrameMs,
      firstFrameMs: only.firstFrameMs,
      presentedMs: only.presentedMs,
      runs: only.runs,
      goal: { medianMs: GOAL_MEDIAN_MS, met: only.firstFrameMs.median <= GOAL_MEDIAN_MS },
    }
    const json = JSON.stringify(result, null, 2) + '\n'
    writeFileSync(join(RESULTS, `join-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'join-latest.json'), json)
    const f = only.firstFrameMs
    console.log(
      `\nJoin bench: click Join → first decoded teacher frame over ${f.n} runs: median ${f.median} ms, ` +
        `p90 ${f.p90} ms, min ${f.min} ms, max ${f.max} ms; goal median <= ${GOAL_MEDIAN_MS} ms: ` +
        `${result.goal.met ? 'met' : 'NOT met'} [bench/results/join-${stamp}.json]`
    )
    return
  }

  const loopback = summary(await phase('loopback'))
  const lossy = summary(await phase('lossy'))
  const result = {
    bench: 'join-lossy',
    startedAt: startedAt.toISOString(),
    machine,
    options,
    setup,
    loopback,
    lossy,
    goal: { lossyP90Ms: GOAL_LOSSY_P90_MS, met: lossy.firstFrameMs.p90 <= GOAL_LOSSY_P90_MS },
  }
  const json = JSON.stringify(result, null, 2) + '\n'
  writeFileSync(join(RESULTS, `join-lossy-${stamp}.json`), json)
  writeFileSync(join(RESULTS, 'join-lossy-latest.json'), json)
  console.log('\nnetwork  | first frame p50 | p90 | min | max | fps after 30 s')
  for (const p of [loopback, lossy]) {
    const f = p.firstFrameMs
    console.log(`${p.network.padEnd(8)} | ${f.median} ms | ${f.p90} ms | ${f.min} ms | ${f.max} ms | ${p.frameRate?.fps ?? '-'}`)
  }
  console.log(`relay: ${JSON.stringify(lossy.relay)}`)
  console.log(`goal lossy p90 <= ${GOAL_LOSSY_P90_MS} ms: ${result.goal.met ? 'met' : 'NOT met'} [bench/results/join-lossy-${stamp}.json]`)
}

await main()
