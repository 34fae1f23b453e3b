/*
| SFU capacity of ONE mediasoup worker (run on demand, not part of the test suite):
|
|   node --import=ts-node-maintained/register/esm bench/sfu/run.ts [--srtp=false] [--steps=50,100,200] [--window=10]
|
| A real sidecar process (app/media/sidecar/main.ts, MEDIA_WORKERS=1) gets one room with
| two FFmpeg RTP sources on PlainTransports: VP8 video (testsrc2 640x360@30, ~500 kbit/s)
| and Opus audio. Then N receivers per step, each on its own PlainTransport (SRTP unless
| --srtp=false) consuming both producers (2 consumers per receiver), send their RTP to local
| UDP sinks that count every packet per SSRC. For each step the bench measures, over a window
| without any other RPC traffic, the mediasoup-worker's CPU (utime+stime from /proc/<pid>/stat)
| and the loss (gaps in each consumer's RTP sequence numbers at the sinks; cross-checked against
| the packets the producers received × consumers). It reports the consumer count at which the
| worker uses 70 % of one core (linear interpolation between steps), prints a table and writes
| bench/results/sfu-<timestamp>.json and bench/results/sfu-latest.json (sfu-plainrtp-* without SRTP).
| See bench/README.md.
*/
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, setPriority } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RpcClient } from '#app/media/rpc/rpc_client'
import type { RtpCapabilities } from '#app/media/rpc/contract'
import type { SidecarProcess } from '#tests/helpers/sidecar'
import { startBenchSidecar } from '../bench_sidecar.js'
import { cpuSeconds } from '../process_cpu.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RESULTS = join(ROOT, 'bench', 'results')
const SOURCES = join(ROOT, 'tmp', 'bench')
const CPU_TARGET = 0.7
const GOAL_CONSUMERS_PER_CORE = 500

/* ---------- options ---------- */

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
    return [key, value] as const
  })
)
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback)
const options = {
  /** Receivers per producer at each step (each receiver consumes the video and the audio producer). */
  steps: (args.get('steps') ?? '25,50,100,200,300,400,500,600,800,1000,1200').split(',').map(Number),
  windowS: num('window', 10),
  warmupS: num('warmup', 4),
  videoKbps: num('video-kbps', 500),
  audioKbps: num('audio-kbps', 32),
  /** Stop stepping once a step reaches this CPU share of one core, or this loss. */
  stopCpu: num('stop-cpu', 0.95),
  stopLoss: num('stop-loss', 0.2),
  rpcPort: num('rpc-port', 4490),
  rtcMinPort: num('rtc-min-port', 47000),
  rtcMaxPort: num('rtc-max-port', 49999),
  sinkSockets: num('sinks', 4),
  concurrency: num('concurrency', 16),
  /**
   * Scheduling priority (nice) given to the processes the bench measures or depends on (worker, sidecar,
   * sink, FFmpeg), so that other work on a shared machine does not starve them; 0 leaves them alone.
   */
  nice: args.has('nice') ? Number(args.get('nice')) : -10,
  /** Receivers' PlainTransports encrypt with SRTP like a browser's WebRTC transport (--srtp=false: plain RTP). */
  srtp: args.get('srtp') !== 'false',
}
for (const [key, value] of Object.entries(options)) {
  if (typeof value === 'boolean') continue
  if (Array.isArray(value) ? value.some((v) => !Number.isInteger(v) || v <= 0) : !Number.isFinite(value)) {
    throw new Error(`bad option --${key}=${args.get(key)}`)
  }
}

/* ---------- /proc helpers ---------- */

/** Busy and total jiffies of the whole machine (to see whether anything else competed for the CPUs). */
function hostJiffies() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const n = values.map(Number)
  const idle = n[3] + n[4]
  const total = n.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

/** Kernel receive-buffer drops of the local IPv4 UDP sockets bound to `ports`. */
function udpDrops(ports: number[]) {
  const wanted = new Set(ports)
  let drops = 0
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 13) continue
    const port = parseInt(cols[1].split(':')[1], 16)
    if (wanted.has(port)) drops += Number(cols[12])
  }
  return drops
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/* ---------- FFmpeg sources ---------- */

function run(command: string, argv: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d) => (stderr += d))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`))))
  })
}

/**
 * Encodes the sources once (cached under tmp/bench/), so that during the bench FFmpeg only
 * copies packets to RTP and does not compete with the worker for CPU.
 */
async function prepareSources() {
  mkdirSync(SOURCES, { recursive: true })
  const video = join(SOURCES, `sfu-video-${options.videoKbps}k.webm`)
  const audio = join(SOURCES, `sfu-audio-${options.audioKbps}k.webm`)
  const kbps = `${options.videoKbps}k`
  if (!existsSync(video)) {
    console.log(`encoding ${video} (once)…`)
    await run('ffmpeg', [
      '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '30',
      '-c:v', 'libvpx', '-deadline', 'good', '-cpu-used', '4', '-b:v', kbps, '-minrate', kbps, '-maxrate', kbps,
      '-bufsize', `${options.videoKbps * 2}k`, '-g', '60', '-an', `${video}.part.webm`,
    ])
    await run('mv', [`${video}.part.webm`, video])
  }
  if (!existsSync(audio)) {
    console.log(`encoding ${audio} (once)…`)
    await run('ffmpeg', [
      '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '30',
      '-ac', '2', '-c:a', 'libopus', '-b:a', `${options.audioKbps}k`, '-frame_duration', '20', '-vn', `${audio}.part.webm`,
    ])
    await run('mv', [`${audio}.part.webm`, audio])
  }
  return { video, audio }
}

/**
 * Loops a pre-encoded file to RTP in real time (-re), copying packets. No RTCP sender reports:
 * FFmpeg sends them from another socket, and a comedia PlainTransport latches onto the first source.
 */
function streamRtp(file: string, target: { ip: string; port: number }, ssrc: number, payloadType: number): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy',
      '-ssrc', String(ssrc), '-payload_type', String(payloadType),
      '-rtpflags', 'skip_rtcp', '-f', 'rtp', `rtp://${target.ip}:${target.port}?pkt_size=1200`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
}

/* ---------- sinks ---------- */

interface SinkCount {
  packets: number
  bytes: number
  /** First and highest extended RTP sequence number seen. */
  firstSeq: number
  maxSeq: number
}

interface Sink {
  child: ChildProcess
  ports: number[]
  snapshot(): Promise<Map<number, SinkCount>>
}

async function startSink(): Promise<Sink> {
  const child = fork(join(ROOT, 'bench', 'sfu', 'sink.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import=ts-node-maintained/register/esm'],
    env: { ...process.env, SINK_SOCKETS: String(options.sinkSockets) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting = new Map<number, (rows: [number, number, number, number, number][]) => void>()
  let nextId = 1
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)))
    child.on('message', (message: any) => {
      if (message.type === 'ready') resolve(message.ports)
      if (message.type === 'snapshot') waiting.get(message.id)?.(message.counts)
    })
  })
  return {
    child,
    ports,
    snapshot: () =>
      new Promise((resolve) => {
        const id = nextId++
        waiting.set(id, (rows) => {
          waiting.delete(id)
          resolve(new Map(rows.map(([ssrc, packets, bytes, firstSeq, maxSeq]) => [ssrc, { packets, bytes, firstSeq, maxSeq }])))
        })
        child.send({ type: 'snapshot', id })
      }),
  }
}

/* ---------- the bench ---------- */

interface ProducerSource {
  kind: 'audio' | 'video'
  producerId: string
  inputPort: number
  ffmpeg: ChildProcess
}

interface ConsumerRef {
  kind: 'audio' | 'video'
  ssrc: number
}

interface StepResult {
  receiversPerProducer: number
  consumers: number
  videoConsumers: number
  audioConsumers: number
  windowS: number
  /** mediasoup-worker CPU, share of one core. */
  workerCpu: number
  /** Whole machine busy share (all cores), to spot other load during the window. */
  hostBusy: number
  sinkCpu: number
  producerPackets: { video: number; audio: number }
  producerKbps: { video: number; audio: number }
  inputDrops: number
  /** RTP sequence numbers the consumers sent during the window (per consumer: highest − previous highest). */
  expectedPackets: number
  receivedPackets: number
  /** 1 − received / expected: RTP-style loss at the sinks (gaps in each consumer's sequence numbers). */
  loss: number
  videoLoss: number
  audioLoss: number
  /** 1 − received / (packets the producer received + input-socket drops) × consumers: includes packets the worker never sent. */
  lossVsProducer: number
  /** Consumers that received nothing during the window. */
  silentConsumers: number
  sinkKernelDrops: number
  outMbps: number
  outPacketsPerS: number
}

function producerCounters(rpc: RpcClient, producerId: string) {
  return rpc.call('stats.producer', { producerId }).then(({ stats }) => {
    const row = (stats[0] ?? {}) as { packetCount?: number; byteCount?: number }
    return { packets: Number(row.packetCount ?? 0), bytes: Number(row.byteCount ?? 0) }
  })
}

async function measure(
  rpc: RpcClient,
  workerPid: number,
  sink: Sink,
  sources: ProducerSource[],
  consumers: ConsumerRef[],
  receivers: number
): Promise<StepResult> {
  const sample = async () => {
    const producers = await Promise.all(sources.map((s) => producerCounters(rpc, s.producerId)))
    const sinks = await sink.snapshot()
    return {
      at: performance.now(),
      producers,
      sinks,
      worker: cpuSeconds(workerPid),
      sinkCpu: cpuSeconds(sink.child.pid!),
      host: hostJiffies(),
      inputDrops: sources.map((s) => udpDrops([s.inputPort])),
      sinkDrops: udpDrops(sink.ports),
    }
  }
  const a = await sample()
  await sleep(options.windowS * 1000)
  const b = await sample()
  const seconds = (b.at - a.at) / 1000

  const byKind = { video: { expected: 0, received: 0 }, audio: { expected: 0, received: 0 } }
  const vsProducer = { expected: 0, received: 0 }
  const producerPackets = { video: 0, audio: 0 }
  const producerKbps = { video: 0, audio: 0 }
  let inputDrops = 0
  sources.forEach((source, i) => {
    const packets = b.producers[i].packets - a.producers[i].packets
    const drops = b.inputDrops[i] - a.inputDrops[i]
    inputDrops += drops
    producerPackets[source.kind] += packets
    producerKbps[source.kind] += ((b.producers[i].bytes - a.producers[i].bytes) * 8) / 1000 / seconds
    vsProducer.expected += (packets + drops) * consumers.filter((c) => c.kind === source.kind).length
  })
  let silent = 0
  let bytes = 0
  for (const consumer of consumers) {
    const after = b.sinks.get(consumer.ssrc)
    if (!after) {
      silent++
      continue
    }
    const before = a.sinks.get(consumer.ssrc)
    const packets = after.packets - (before?.packets ?? 0)
    if (packets === 0) silent++
    byKind[consumer.kind].expected += after.maxSeq - (before ? before.maxSeq : after.firstSeq - 1)
    byKind[consumer.kind].received += packets
    vsProducer.received += packets
    bytes += after.bytes - (before?.bytes ?? 0)
  }
  const loss = (k: { expected: number; received: number }) => (k.expected ? 1 - k.received / k.expected : 0)
  const expected = byKind.video.expected + byKind.audio.expected
  const received = byKind.video.received + byKind.audio.received
  return {
    receiversPerProducer: receivers,
    consumers: consumers.length,
    videoConsumers: consumers.filter((c) => c.kind === 'video').length,
    audioConsumers: consumers.filter((c) => c.kind === 'audio').length,
    windowS: round(seconds, 2),
    workerCpu: round((b.worker - a.worker) / seconds, 4),
    hostBusy: round((b.host.busy - a.host.busy) / Math.max(1, b.host.total - a.host.total), 4),
    sinkCpu: round((b.sinkCpu - a.sinkCpu) / seconds, 4),
    producerPackets,
    producerKbps: { video: round(producerKbps.video, 1), audio: round(producerKbps.audio, 1) },
    inputDrops,
    expectedPackets: expected,
    receivedPackets: received,
    loss: round(loss({ expected, received }), 5),
    videoLoss: round(loss(byKind.video), 5),
    audioLoss: round(loss(byKind.audio), 5),
    lossVsProducer: round(loss(vsProducer), 5),
    silentConsumers: silent,
    sinkKernelDrops: b.sinkDrops - a.sinkDrops,
    outMbps: round((bytes * 8) / 1e6 / seconds, 2),
    outPacketsPerS: Math.round(received / seconds),
  }
}

function round(value: number, digits: number) {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Consumers at which the worker reaches `target` CPU: interpolated between the two steps around it. */
function consumersAt(target: number, steps: StepResult[]) {
  for (let i = 1; i < steps.length; i++) {
    const [p, q] = [steps[i - 1], steps[i]]
    if (p.workerCpu < target && q.workerCpu >= target) {
      return { consumers: Math.round(p.consumers + ((target - p.workerCpu) * (q.consumers - p.consumers)) / (q.workerCpu - p.workerCpu)), method: 'interpolated' as const }
    }
  }
  if (steps[0] && steps[0].workerCpu >= target) return { consumers: steps[0].consumers, method: 'at-or-below-first-step' as const }
  /* Not reached: least-squares line through the measured steps, clearly marked as an extrapolation. */
  const pts = steps.filter((s) => s.consumers > 0)
  if (pts.length < 2) return { consumers: null, method: 'not-reached' as const }
  const mx = pts.reduce((s, p) => s + p.consumers, 0) / pts.length
  const my = pts.reduce((s, p) => s + p.workerCpu, 0) / pts.length
  const slope = pts.reduce((s, p) => s + (p.consumers - mx) * (p.workerCpu - my), 0) / pts.reduce((s, p) => s + (p.consumers - mx) ** 2, 0)
  if (!(slope > 0)) return { consumers: null, method: 'not-reached' as const }
  return { consumers: Math.round(mx + (target - my) / slope), method: 'extrapolated' as const }
}

function machine() {
  let ffmpeg = ''
  try {
    ffmpeg = execFileSync('ffmpeg', ['-version']).toString().split('\n')[0]
  } catch {}
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'mediasoup', 'package.json'), 'utf8')) as { version: string }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    node: process.version,
    mediasoup: pkg.version,
    ffmpeg,
    loadavgAtStart: loadavg().map((l) => round(l, 2)),
  }
}

async function main() {
  const startedAt = new Date()
  const secret = `bench-${process.pid}-${Date.now()}`
  const children: ChildProcess[] = []
  let sidecar: SidecarProcess | null = null
  let sink: Sink | null = null
  let rpc: RpcClient | null = null
  const cleanup = async () => {
    for (const child of children) child.kill('SIGKILL')
    rpc?.close()
    sink?.child.kill('SIGKILL')
    await sidecar?.kill('SIGKILL')
  }
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))

  try {
    const files = await prepareSources()
    sidecar = await startBenchSidecar({ port: options.rpcPort, secret, rtcMinPort: options.rtcMinPort, rtcMaxPort: options.rtcMaxPort })
    rpc = new RpcClient({ url: sidecar.url, secret, timeoutMs: 30_000, reconnect: false })
    await rpc.start()
    sink = await startSink()
    const roomKey = 'bench:sfu'
    const { rtpCapabilities, workerPid } = await rpc.call('room.ensure', { roomKey })

    const sources: ProducerSource[] = []
    const specs = [
      { kind: 'video' as const, file: files.video, ssrc: 11110001, payloadType: 101, codec: { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 } },
      { kind: 'audio' as const, file: files.audio, ssrc: 11110002, payloadType: 100, codec: { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 } },
    ]
    for (const spec of specs) {
      const input = await rpc.call('plainTransport.create', { roomKey, peerId: `source-${spec.kind}`, comedia: true, rtcpMux: true })
      const { producerId } = await rpc.call('producer.create', {
        transportId: input.transportId,
        kind: spec.kind,
        rtpParameters: { codecs: [spec.codec], encodings: [{ ssrc: spec.ssrc }] },
        appData: { bench: true },
      })
      const ffmpeg = streamRtp(spec.file, input, spec.ssrc, spec.payloadType)
      children.push(ffmpeg)
      sources.push({ kind: spec.kind, producerId, inputPort: input.port, ffmpeg })
    }
    for (const source of sources) {
      const deadline = Date.now() + 15_000
      while ((await producerCounters(rpc, source.producerId)).packets === 0) {
        if (Date.now() > deadline) throw new Error(`no RTP reached the ${source.kind} producer`)
        await sleep(200)
      }
    }

    if (options.nice !== 0) {
      for (const pid of [workerPid, sidecar.child.pid!, sink.child.pid!, ...children.map((c) => c.pid!)]) setPriority(pid, options.nice)
    }

    const consumers: ConsumerRef[] = []
    let receivers = 0
    const addReceiver = async (index: number) => {
      const transport = await rpc!.call('plainTransport.create', { roomKey, peerId: `receiver-${index}`, comedia: false, rtcpMux: true, srtp: options.srtp })
      await rpc!.call('plainTransport.connect', {
        transportId: transport.transportId,
        ip: '127.0.0.1',
        port: sink!.ports[index % sink!.ports.length],
        /* The sinks count SRTP packets by their clear RTP header; they never decrypt, so any remote key does. */
        ...(options.srtp ? { srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80' as const, keyBase64: randomBytes(30).toString('base64') } } : {}),
      })
      for (const source of sources) {
        const consumer = await rpc!.call('consumer.create', { transportId: transport.transportId, producerId: source.producerId, rtpCapabilities: rtpCapabilities as RtpCapabilities })
        await rpc!.call('consumer.resume', { consumerId: consumer.consumerId })
        consumers.push({ kind: consumer.kind, ssrc: consumer.rtpParameters.encodings![0].ssrc! })
      }
    }

    const header = [
      'recv/prod', 'consumers', 'worker CPU', 'host busy', 'sink CPU', 'video kbps in', 'input drops', 'out Mbit/s', 'out pkt/s',
      'loss', 'video loss', 'audio loss', 'vs producer', 'silent', 'sink drops',
    ]
    console.log(
      `\nmediasoup ${machine().mediasoup}, 1 worker (pid ${workerPid}), ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}; ` +
        `receivers on ${options.srtp ? 'SRTP' : 'plain RTP'} PlainTransports; nice ${options.nice}; window ${options.windowS} s, warm-up ${options.warmupS} s`
    )
    console.log(header.join(' | '))
    const steps: StepResult[] = []
    for (const target of [0, ...options.steps]) {
      const first = receivers
      const indexes = Array.from({ length: Math.max(0, target - first) }, (_, i) => first + i)
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          for (let index = indexes.shift(); index !== undefined; index = indexes.shift()) await addReceiver(index)
        })
      )
      receivers = Math.max(receivers, target)
      const load = await rpc.call('stats.load', {})
      if (load.workers[0].consumers !== consumers.length) throw new Error(`sidecar reports ${load.workers[0].consumers} consumers, bench created ${consumers.length}`)
      await sleep(options.warmupS * 1000)
      const step = await measure(rpc, workerPid, sink, sources, consumers, receivers)
      steps.push(step)
      const pct = (v: number) => `${(v * 100).toFixed(2)} %`
      console.log(
        [
          step.receiversPerProducer, step.consumers, pct(step.workerCpu), pct(step.hostBusy), pct(step.sinkCpu), step.producerKbps.video, step.inputDrops,
          step.outMbps, step.outPacketsPerS, pct(step.loss), pct(step.videoLoss), pct(step.audioLoss), pct(step.lossVsProducer), step.silentConsumers,
          step.sinkKernelDrops,
        ].join(' | ')
      )
      if (step.workerCpu >= options.stopCpu || step.loss >= options.stopLoss) break
    }

    const at70 = consumersAt(CPU_TARGET, steps)
    /* Loss of the steps up to the first one at or above the CPU target (the load the figure stands for). */
    const upTo = steps.findIndex((s) => s.workerCpu >= CPU_TARGET)
    const lossUpTo70 = steps.slice(0, upTo === -1 ? steps.length : upTo + 1).reduce((max, s) => Math.max(max, s.loss), 0)
    /* The largest step such that it and every step before it lost less than 1 %. */
    const firstLossy = steps.findIndex((s) => s.loss >= 0.01)
    const clean = steps.slice(0, firstLossy === -1 ? steps.length : firstLossy).at(-1)
    const result = {
      bench: 'sfu',
      startedAt: startedAt.toISOString(),
      machine: machine(),
      options,
      source: {
        video: `VP8 testsrc2 640x360@30, target ${options.videoKbps} kbit/s, keyframe every 2 s, RTP pkt_size 1200`,
        audio: `Opus 48 kHz stereo, ${options.audioKbps} kbit/s, 20 ms frames`,
      },
      definitions: {
        consumers: 'mediasoup Consumer objects on the worker; each receiver has its own PlainTransport (SRTP unless --srtp=false) and consumes the video and the audio producer',
        workerCpu: 'utime+stime of the mediasoup-worker process over the window / window length (1.0 = one full core)',
        loss: "1 - packets counted at the UDP sinks / RTP sequence numbers sent, per consumer over the window (gaps in each consumer's sequence: input drops, worker drops, sink socket drops)",
        lossVsProducer: '1 - packets counted at the UDP sinks / ((packets received by the producers + kernel drops at their input sockets) x consumers of that producer), over the window; sensitive to when the sinks were read',
      },
      steps,
      result: {
        cpuTarget: CPU_TARGET,
        consumersAt70PercentCpu: at70.consumers,
        method: at70.method,
        maxLossUpTo70PercentCpu: round(lossUpTo70, 5),
        largestStepWithLossBelow1Percent: clean ? { consumers: clean.consumers, workerCpu: clean.workerCpu, loss: clean.loss } : null,
        goalConsumersPerCore: GOAL_CONSUMERS_PER_CORE,
        goalMet: at70.consumers !== null && at70.method !== 'extrapolated' ? at70.consumers >= GOAL_CONSUMERS_PER_CORE : null,
      },
    }
    mkdirSync(RESULTS, { recursive: true })
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
    const name = options.srtp ? 'sfu' : 'sfu-plainrtp'
    const json = JSON.stringify(result, null, 2) + '\n'
    writeFileSync(join(RESULTS, `${name}-${stamp}.json`), json)
    writeFileSync(join(RESULTS, `${name}-latest.json`), json)
    const at = at70.consumers === null ? 'not reached' : `${at70.consumers} consumers (${at70.method})`
    console.log(
      `\nSFU bench (${options.srtp ? 'SRTP' : 'plain RTP'} receivers): one mediasoup worker reaches ${CPU_TARGET * 100} % of one core at ${at}; ` +
        `max loss up to the first step at or above it ${(lossUpTo70 * 100).toFixed(2)} %; ` +
        `loss < 1 % up to ${clean ? `${clean.consumers} consumers (${(clean.workerCpu * 100).toFixed(0)} % CPU)` : 'no step'}; goal >= ${GOAL_CONSUMERS_PER_CORE} consumers/core: ` +
        `${result.result.goalMet === null ? 'undetermined' : result.result.goalMet ? 'met' : 'NOT met'} ` +
        `[bench/results/${name}-${stamp}.json]`
    )
  } finally {
    await cleanup()
  }
}

await main()
