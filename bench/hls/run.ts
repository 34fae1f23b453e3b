/*
| HLS fallback bench (issue 14; run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/hls/run.ts [--seconds=20] [--steps=50,100,200,400]
|
| Starts a real media sidecar and a real web process (as bench/join does: demo school in its own SQLite
| file). In Debian's Chromium the teacher (ada@demo.aula) starts a class and shares a "screen" that is a canvas
| showing the send time (Date.now() mod 2^32, 32 bars + parity between two marker bars, redrawn every
| frame); the recording plugin starts the class's encoder (which writes the HLS stream too).
|
|  1. Glass to glass, same run, same clock: a student on WebRTC and, after the teacher switches lecture
|     mode on, a student on HLS (hls.js) read the bars back from the <video> they show, every 100 ms:
|     latency = now − the decoded send time.
|  2. CPU per HLS class in the sidecar: the class's encoder FFmpeg and the sidecar's whole process tree
|     (compositor, decoders, encoder; the mediasoup worker left out), from /proc over `--seconds`.
|  3. HLS viewers one web process serves at 70 % of a core: simulated viewers (bench/hls/viewers.ts, a
|     process pinned to --viewers-cpu=1 while the web process is pinned to --app-cpu=0) each fetch the
|     playlist every second and each new segment, as hls.js does; the web process's CPU is measured at
|     each step of `--steps` and interpolated to 70 %.
|
| The app runs as `bin/aula start` does (NODE_ENV=production, built assets); `--dev` runs Vite's dev
| server instead. The HLS join (opening the classroom → first decoded frame) is measured --joins=5 times.
| Writes bench/results/hls-<timestamp>.json and bench/results/hls-latest.json.
*/
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { SidecarProcess } from '#tests/helpers/sidecar'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { loginCookies } from '#tests/helpers/http_login'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { startBenchSidecar } from '../bench_sidecar.js'
import { appSetup, benchAppEnv, BENCH_CHROMIUM_ARGS, buildAssets, loggedIn, runAce } from '../bench_app.js'
import { benchArgs } from '../cli_args.js'
import { cpuSeconds, pin } from '../process_cpu.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const DEMO_PASSWORD = 'aula-demo'
const { args, num } = benchArgs()
const options = {
  seconds: num('seconds', 20, 5, 600),
  rpcPort: num('rpc-port', 4493, 1024, 65535),
  rtcMinPort: num('rtc-min-port', 46200, 1024, 65535),
  rtcMaxPort: num('rtc-max-port', 46399, 1024, 65535),
  steps: (args.get('steps') ?? '50,100,200,400').split(',').map(Number),
  teacher: args.get('teacher') ?? 'ada@demo.aula',
  webrtcStudent: args.get('webrtc-student') ?? 'amara@demo.aula',
  hlsStudent: args.get('hls-student') ?? 'ben@demo.aula',
  /** HLS joins measured (opening the classroom → first decoded frame), each in a new browser context. */
  joins: num('joins', 5, 1, 50),
  production: args.get('dev') !== 'true',
  /** The CPUs the web process and the simulated viewers are pinned to (taskset), apart. */
  appCpu: args.get('app-cpu') ?? '0',
  viewersCpu: args.get('viewers-cpu') ?? '1',
}
const SQLITE_PATH = 'tmp/bench-hls.sqlite3'
const secret = randomBytes(18).toString('base64url')
const appEnv = benchAppEnv({ sqlitePath: SQLITE_PATH, rpcPort: options.rpcPort, rpcSecret: secret, production: options.production })
const ace = (argv: string[]) => runAce(appEnv, argv)
const CHROMIUM_ARGS = BENCH_CHROMIUM_ARGS

/** In the teacher's page: the camera is a canvas that shows the send time as bars (audio stays the fake microphone). */
function clockCamera() {
  const BARS = 36 // marker white, marker black, 32 data bits, parity, marker white
  const canvas = document.createElement('canvas')
  canvas.width = 1280
  canvas.height = 720
  const context = canvas.getContext('2d')!
  const draw = () => {
    const value = Date.now() % 2 ** 32
    const bits: number[] = [1, 0]
    let parity = 0
    for (let i = 31; i >= 0; i--) {
      const bit = Math.floor(value / 2 ** i) % 2
      parity ^= bit
      bits.push(bit)
    }
    bits.push(parity, 1)
    const width = canvas.width / BARS
    bits.forEach((bit, i) => {
      context.fillStyle = bit ? '#ffffff' : '#000000'
      context.fillRect(Math.round(i * width), 0, Math.ceil(width), canvas.height)
    })
  }
  setInterval(draw, 1000 / 30)
  draw()
  const stream = (canvas as any).captureStream(30) as MediaStream
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  /* The shared screen is the same clock: it takes the stage of the WebRTC view and of the class's encode (over the board). */
  navigator.mediaDevices.getDisplayMedia = async () => new MediaStream([stream.getVideoTracks()[0].clone()])
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const audio = constraints?.audio ? await original({ audio: constraints.audio }) : null
    return new MediaStream([...(audio?.getAudioTracks() ?? []), ...(constraints?.video ? [stream.getVideoTracks()[0].clone()] : [])])
  }
}

/**
 * In a viewer's page: reads the send time back from a <video> every 100 ms for `ms`, answers the
 * latencies (now − send time). The bars' box is found in the picture (the HLS stream composes the
 * camera into the class's layout): the widest run of bright/dark bars across the middle row.
 */
function readLatencies([selector, ms]: [string, number]) {
  return new Promise<number[]>((resolve) => {
    const canvas = document.createElement('canvas')
    const context = canvas.getContext('2d', { willReadFrequently: true })!
    const latencies: number[] = []
    const pick = () => document.querySelector(selector) as HTMLVideoElement | null
    const sample = () => {
      const video = pick()
      if (!video || !video.videoWidth) return
      const w = (canvas.width = video.videoWidth)
      const h = (canvas.height = video.videoHeight)
      context.drawImage(video, 0, 0, w, h)
      const rows = [0.4, 0.5, 0.6].map((f) => context.getImageData(0, Math.floor(h * f), w, 1).data)
      const luma = (x: number) => rows.reduce((sum, row) => sum + (row[x * 4] + row[x * 4 + 1] + row[x * 4 + 2]) / 3, 0) / rows.length
      /* The bars span from the first pure white to the last pure white column with pure black inside. */
      let left = -1
      let right = -1
      for (let x = 0; x < w; x++) if (luma(x) > 200) { left = x; break }
      for (let x = w - 1; x >= 0; x--) if (luma(x) > 200) { right = x; break }
      if (left < 0 || right - left < 72) return
      const bar = (right + 1 - left) / 36
      const bit = (i: number) => (luma(Math.floor(left + (i + 0.5) * bar)) > 128 ? 1 : 0)
      if (bit(0) !== 1 || bit(1) !== 0 || bit(35) !== 1) return
      let value = 0
      let parity = 0
      for (let i = 0; i < 32; i++) {
        const b = bit(2 + i)
        parity ^= b
        value = value * 2 + b
      }
      if (parity !== bit(34)) return
      const latency = (Date.now() % 2 ** 32) - value
      if (latency >= 0 && latency < 30_000) latencies.push(latency)
    }
    const timer = setInterval(sample, 100)
    setTimeout(() => {
      clearInterval(timer)
      resolve(latencies)
    }, ms)
  })
}

/** The value at quantile `p` (nearest rank) of the values. */
function quantile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))]
}

function stats(values: number[]) {
  if (!values.length) return null
  const q = (p: number) => quantile(values, p)
  return { n: values.length, median: q(0.5), p95: q(0.95), min: Math.min(...values), max: Math.max(...values) }
}

/** Every descendant of a process (from /proc), to measure a process tree. */
function descendants(pid: number): number[] {
  try {
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().trim().split(/\s+/).filter(Boolean).map(Number)
    return children.flatMap((child) => [child, ...descendants(child)])
  } catch {
    return []
  }
}
const treeCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + (() => { try { return cpuSeconds(pid) } catch { return 0 } })(), 0)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * `count` simulated hls.js viewers (bench/hls/viewers.ts) in a child process pinned to `cpu`:
 * playlist every second, each segment not fetched yet. `counts()` is the child's latest report.
 */
function simulatedViewers(baseUrl: string, path: string, cookie: string, count: number, cpu: string) {
  const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'bench/hls/viewers.ts', baseUrl, path, cookie, String(count)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const pinned = pin(child.pid!, cpu)
  let latest = { requests: 0, failures: 0, bytes: 0 }
  let buffered = ''
  child.stdout!.on('data', (data: Buffer) => {
    buffered += data
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines) if (line.startsWith('{')) latest = JSON.parse(line)
  })
  return {
    pid: child.pid!,
    pinned,
    counts: () => latest,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function main() {
  if (options.production) await buildAssets()
  const startedAt = new Date()
  let sidecar: SidecarProcess | null = null
  let app: AppProcess | null = null
  let browser: Browser | null = null
  const rpc = new RpcClient({ url: `tcp://127.0.0.1:${options.rpcPort}`, secret, timeoutMs: 10_000 })
  try {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true })
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(ROOT, SQLITE_PATH + suffix), { force: true })
    console.log('migrating and seeding the demo school into', SQLITE_PATH)
    await ace(['migration:run', '--force'])
    await ace(['aula:demo'])
    sidecar = await startBenchSidecar({ port: options.rpcPort, secret, rtcMinPort: options.rtcMinPort, rtcMaxPort: options.rtcMaxPort })
    app = await startAppProcess({ env: appEnv })
    await rpc.start()
    console.log(`app ${app.url} (pid ${app.pid}), sidecar ${sidecar.url} (pid ${sidecar.child.pid})`)
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })

    const teacher = await loggedIn(browser, app.url, options.teacher, async (page) => void (await page.addInitScript(clockCamera)))
    await teacher.click('[data-test=start-now]')
    await teacher.waitForURL(/\/classes\/\d+$/)
    const classId = Number(/\/classes\/(\d+)$/.exec(teacher.url())![1])
    const classUrl = teacher.url()
    await teacher.waitForFunction(() => (window as any).__aulaVideo?.status() === 'live', undefined, { timeout: 30_000 })
    const roomKey = `s${classId}:main`
    const recordingKey = await (async () => {
      for (let i = 0; i < 300; i++) {
        const { recordingKeys } = await rpc.call('recording.list', {})
        if (recordingKeys.length && (await rpc.call('hls.status', { roomKey })).available) return recordingKeys[0]
        await sleep(100)
      }
      throw new Error('the class’s encoder did not start (is the recording plugin enabled?)')
    })()

    await teacher.click('[data-test=toggle-screen]')
    const webrtc = await loggedIn(browser, app.url, options.webrtcStudent)
    await webrtc.goto(classUrl)
    await webrtc.waitForFunction(() => (window as any).__aulaVideo?.mode() === 'webrtc' && (window as any).__aulaVideo?.status() === 'live')
    await teacher.click('[data-test=lecture-mode]')
    await teacher.waitForSelector('[data-test=lecture-mode][aria-pressed=true]')
    /* Time from opening the classroom to the first decoded HLS frame (the "video within 2 s of joining"), `joins` times. */
    const hlsJoin = async () => {
      const page = await loggedIn(browser!, app!.url, options.hlsStudent)
      const opened = Date.now()
      await page.goto(classUrl)
      const loaded = Date.now() - opened
      await page.waitForFunction(() => (window as any).__aulaVideo?.mode() === 'hls', undefined, { polling: 20 })
      const hlsMode = Date.now() - opened
      await page.waitForFunction(() => ((window as any).__aulaHls?.frames() ?? 0) > 0, undefined, { timeout: 30_000, polling: 20 })
      const ms = Date.now() - opened
      console.log(`HLS viewer: classroom opened → page loaded ${loaded} ms → told to watch HLS ${hlsMode} ms → first decoded frame ${ms} ms`)
      return { page, ms, loaded, hlsMode }
    }
    /* Each join in a new context; the last page stays to measure latency (earlier players could have stalled while the others started). */
    const joinTimes: number[] = []
    const joinSteps: { loadedMs: number; hlsModeMs: number; firstFrameMs: number }[] = []
    let hls!: Page
    for (let i = 0; i < options.joins; i++) {
      const joined = await hlsJoin()
      joinTimes.push(joined.ms)
      joinSteps.push({ loadedMs: joined.loaded, hlsModeMs: joined.hlsMode, firstFrameMs: joined.ms })
      if (i < options.joins - 1) await joined.page.context().close()
      else hls = joined.page
    }
    /** Per join, ms from opening the classroom: page loaded (goto resolved), told to watch HLS, first decoded frame. */
    const hlsFirstFrameMs = { ...stats(joinTimes), p90: quantile(joinTimes, 0.9), all: joinTimes, steps: joinSteps }
    await hls.waitForFunction(() => ((window as any).__aulaHls?.frames() ?? 0) > 30, undefined, { timeout: 30_000 })
    await webrtc.waitForFunction(() => ((document.querySelector('[data-test=screen-tile] video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0, undefined, { timeout: 30_000 })

    /* 1 + 2: latency on both viewers and the sidecar's CPU over the same seconds. */
    const status = await rpc.call('recording.status', { recordingKey })
    const workerPids = new Set((await rpc.call('stats.load', {})).workers.map((w) => w.pid))
    const sidecarTree = [sidecar.child.pid!, ...descendants(sidecar.child.pid!)].filter((pid) => !workerPids.has(pid))
    const encoderPid = status.encoderPid!
    const cpu0 = { tree: treeCpu(sidecarTree), encoder: cpuSeconds(encoderPid), at: Date.now() }
    const [webrtcLatencies, hlsLatencies, behindEdge] = await Promise.all([
      webrtc.evaluate(readLatencies, ['[data-test=screen-tile] video', options.seconds * 1000] as [string, number]),
      hls.evaluate(readLatencies, ['[data-test=hls-video]', options.seconds * 1000] as [string, number]),
      /* Of the HLS latency, how much is the player behind its playlist's live edge (the rest: capture, encode, segmenting, serving). */
      hls.evaluate(async (ms) => {
        const samples: number[] = []
        const timer = setInterval(() => {
          const latency = (window as any).__aulaHls?.latency()
          if (typeof latency === 'number') samples.push(Math.round(latency * 1000))
        }, 250)
        await new Promise((resolve) => setTimeout(resolve, ms))
        clearInterval(timer)
        return samples
      }, options.seconds * 1000),
    ])
    const wall = (Date.now() - cpu0.at) / 1000
    const sidecarCores = (treeCpu(sidecarTree) - cpu0.tree) / wall
    const encoderCores = (cpuSeconds(encoderPid) - cpu0.encoder) / wall
    const latency = { webrtc: stats(webrtcLatencies), hls: stats(hlsLatencies), hlsPlayerBehindLiveEdge: stats(behindEdge) }
    console.log('glass to glass (ms):', JSON.stringify(latency))
    console.log(`sidecar tree without workers ${sidecarCores.toFixed(2)} cores, encoder ${encoderCores.toFixed(2)} cores`)

    /* 3: HLS viewers per web process. */
    const cookie = await loginCookies(app.url, options.hlsStudent, DEMO_PASSWORD)
    const path = `/plugins/video/classes/${classId}/hls`
    const steps: { viewers: number; cores: number; requestsPerSecond: number; megabytesPerSecond: number; generatorCores: number; failures: number }[] = []
    /* The measuring pages go; the teacher's stays (the encode needs its camera). The web process and the viewers get a core each. */
    await webrtc.context().close()
    await hls.context().close()
    const appPinned = pin(app.pid, options.appCpu)
    /* Everything else (the sidecar with its workers and FFmpegs, Chromium) moves to the viewers' CPU: the web process gets its core to itself. */
    const chromiumPids = execFileSync('pgrep', ['-f', 'chromium']).toString().trim().split(/\s+/).filter(Boolean).map(Number)
    const othersPinned = [sidecar.child.pid!, ...descendants(sidecar.child.pid!), ...chromiumPids].map((pid) => pin(pid, options.viewersCpu))
    let viewersPinned = 'unpinned'
    for (const count of options.steps) {
      const viewers = simulatedViewers(app.url, path, cookie, count, options.viewersCpu)
      viewersPinned = viewers.pinned
      await sleep(3000)
      const before = { cpu: cpuSeconds(app.pid), generator: cpuSeconds(viewers.pid), at: Date.now(), ...viewers.counts() }
      await sleep(Math.min(options.seconds, 10) * 1000)
      const after = { cpu: cpuSeconds(app.pid), generator: cpuSeconds(viewers.pid), at: Date.now(), ...viewers.counts() }
      await viewers.stop()
      const seconds = (after.at - before.at) / 1000
      const step = {
        viewers: count,
        cores: Math.round(((after.cpu - before.cpu) / seconds) * 1000) / 1000,
        requestsPerSecond: Math.round((after.requests - before.requests) / seconds),
        megabytesPerSecond: Math.round((after.bytes - before.bytes) / seconds / 1e5) / 10,
        /* Near 1: the viewers' process, not the web process, limited the step. */
        generatorCores: Math.round(((after.generator - before.generator) / seconds) * 1000) / 1000,
        failures: after.failures - before.failures,
      }
      steps.push(step)
      console.log(
        `${count} HLS viewers: web process ${(step.cores * 100).toFixed(1)} % of a core, ${step.requestsPerSecond} req/s, ${step.megabytesPerSecond} MB/s, ${step.failures} failures (viewers' process ${(step.generatorCores * 100).toFixed(0)} % of a core)`
      )
      if (step.cores >= 0.7) break
    }
    const at70 = (() => {
      const points = [{ viewers: 0, cores: 0 }, ...steps]
      for (let i = 1; i < points.length; i++) {
        const [a, b] = [points[i - 1], points[i]]
        if (b.cores >= 0.7) return Math.round(a.viewers + ((0.7 - a.cores) / (b.cores - a.cores)) * (b.viewers - a.viewers))
      }
      const last = points[points.length - 1]
      return last.cores > 0 ? { extrapolated: Math.round((last.viewers * 0.7) / last.cores) } : null
    })()

    const result = {
      bench: 'hls',
      startedAt: startedAt.toISOString(),
      machine: { cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, node: process.version, loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100) },
      options,
      setup: {
        app: appSetup(options.production),
        pinning: `for the viewer steps: web process on CPU ${appPinned}; simulated viewers (bench/hls/viewers.ts, one process) on CPU ${viewersPinned}, with the sidecar, its workers and FFmpegs and Chromium (${othersPinned.filter((c) => c !== 'unpinned').length} of ${othersPinned.length} processes pinned there)`,
        sidecar: 'app/media/sidecar/main.ts, 1 mediasoup worker, loopback; the recording plugin’s 720p encode writes the HLS stream',
        browser: 'Debian Chromium (headless), teacher camera = canvas with the send time as bars, read back from the viewers’ <video> every 100 ms',
      },
      latencyMs: latency,
      hlsFirstFrameMs,
      sidecar: { treeCoresWithoutWorkers: Math.round(sidecarCores * 1000) / 1000, encoderCores: Math.round(encoderCores * 1000) / 1000 },
      webProcess: { steps, hlsViewersAt70PercentOfACore: at70 },
      goal: { hlsMedianMs: 4000, hlsP95Ms: 6000 },
    }
    mkdirSync(RESULTS, { recursive: true })
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
    const json = JSON.stringify(result, null, 2) + '\n'
    writeFileSync(join(RESULTS, `hls-${stamp}.json`), json)
    writeFileSync(join(RESULTS, 'hls-latest.json'), json)
    console.log(`\nHLS bench: ${JSON.stringify({ latency, hlsFirstFrameMs, sidecar: result.sidecar, at70 })} [bench/results/hls-${stamp}.json]`)
  } finally {
    rpc.close()
    await browser?.close().catch(() => {})
    await app?.kill()
    await sidecar?.kill('SIGKILL')
  }
}

await main()
