/*
| bench/recording: what recording a class costs and how fast its MP4 is ready.
|
|   node --import=ts-node-maintained/register/esm bench/recording/run.ts [--seconds=30] [--minutes=60] [--skip-cpu] [--skip-assembly]
|
| 1. CPU per recorded class, 720p and 1080p: one sidecar (one mediasoup worker), a teacher camera
|    (VP8 1280×720 30 fps), a 1080p screen share (VP8 15 fps) and a microphone played by FFmpeg
|    (pinned to the last core with taskset). The sidecar's whole process tree (Node, mediasoup
|    worker, decoders, encoder, Chromium) is measured without and with the recording; the
|    difference is the recording. Two layouts: screen share on the stage, and the whiteboard on
|    the stage with one board change per second (the Chromium renderer at work).
| 2. Class end → ready MP4 for a `--minutes` class: segments are synthesised quickly (10 s encoded
|    once with the recording's own x264/AAC settings, then looped with stream copy through the
|    recording's segmenter), put in storage as a part, and the real assembly (download, join,
|    chapters every 5 minutes, faststart, store) is timed.
| Prints the figures and writes bench/results/recording-latest.json.
*/
import { execFile, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createReadStream, readFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'
import { recordingSlave, partPrefix } from '#app/media/sidecar/recording/encoder'
import { startSidecarProcess } from '#tests/helpers/sidecar'
import { descendants } from '#tests/helpers/process_tree'
import { cpuSeconds } from '../process_cpu.js'
import { boardScene, source } from './sources.js'
import { assembleRecording } from '#plugins/recording/assemble'

const run = promisify(execFile)
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']))
const SECONDS = Number(args.seconds ?? 30)
const MINUTES = Number(args.minutes ?? 60)
const SECRET = 'bench-recording'
const PORT = 4481
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** CPU seconds of a process tree over `ms`, counting processes that start or end in between. */
async function treeCpu(root: number, ms: number) {
  const first = new Map<number, number>()
  const last = new Map<number, number>()
  const sample = () => {
    for (const pid of descendants(root)) {
      try {
        const cpu = cpuSeconds(pid)
        if (!roles.has(pid)) roles.set(pid, roleOf(pid))
        if (!first.has(pid)) first.set(pid, cpu)
        last.set(pid, cpu)
      } catch {}
    }
  }
  sample()
  const started = Date.now()
  while (Date.now() - started < ms) {
    await sleep(500)
    sample()
  }
  const seconds = (Date.now() - started) / 1000
  let total = 0
  const byRole: Record<string, number> = {}
  for (const [pid, end] of last) {
    const used = end - (first.get(pid) ?? end)
    total += used
    const role = roles.get(pid) ?? 'other'
    byRole[role] = round((byRole[role] ?? 0) + used / seconds)
  }
  return { cores: total / seconds, byRole }
}

/** What each process of the sidecar's tree is, from its command line (for the per-role breakdown). */
const roles = new Map<number, string>()
function roleOf(pid: number) {
  let cmdline = ''
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {}
  const args = cmdline.split('\0')
  if (args.some((a) => a.includes('mediasoup-worker'))) return 'mediasoup worker'
  if (args.some((a) => /chrom/i.test(a))) return 'board renderer (Chromium)'
  if (args.some((a) => a.includes('ffmpeg'))) {
    if (args.includes('libx264')) return 'encoder (x264 + AAC)'
    if (args.includes('-an')) return 'video decoders'
    if (args.includes('-vn')) return 'audio decoders'
    return 'other ffmpeg'
  }
  if (args.some((a) => a.includes('node'))) return 'sidecar node (compositor)'
  return 'other'
}

async function cpuBench(width: 1280 | 1920, height: 720 | 1080) {
  const dir = await mkdtemp(join(tmpdir(), 'aula-bench-rec-'))
  const sidecar = await startSidecarProcess({
    port: PORT,
    secret: SECRET,
    env: { MEDIA_WORKERS: '1', MEDIA_RPC_TEST_METHODS: '0', MEDIA_RECORDING_SPOOL: join(dir, 'spool'), AULA_STORAGE_PATH: join(dir, 'storage'), DRIVE_DISK: 'fs' },
  })
  const rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 60_000, reconnect: false })
  await rpc.start()
  const roomKey = 's1:main'
  const procs: ChildProcess[] = []
  try {
    await rpc.call('room.ensure', { roomKey })
    procs.push(await source(rpc, roomKey, 'camera', 1), await source(rpc, roomKey, 'mic', 1))
    const screen = await source(rpc, roomKey, 'screen', 1)
    procs.push(screen)
    await sleep(3000)
    const baseline = await treeCpu(sidecar.child.pid!, Math.min(15_000, SECONDS * 1000))
    await rpc.call('recording.start', { recordingKey: `bench-${height}`, roomKey, width, height, teacherUserIds: [1] })
    await sleep(8000)
    const withScreen = await treeCpu(sidecar.child.pid!, SECONDS * 1000)
    // Whiteboard on the stage: the screen share stops, the teacher draws one stroke a second.
    screen.kill('SIGKILL')
    let strokes = 1
    const drawing = setInterval(() => {
      void rpc.call('recording.board', { recordingKey: `bench-${height}`, scene: boardScene(strokes++), takenAt: Date.now() }).catch(() => {})
    }, 1000)
    await sleep(8000)
    const withBoard = await treeCpu(sidecar.child.pid!, SECONDS * 1000)
    clearInterval(drawing)
    const status = await rpc.call('recording.status', { recordingKey: `bench-${height}` })
    await rpc.call('recording.stop', { recordingKey: `bench-${height}` })
    return {
      resolution: `${width}x${height}`,
      baselineCores: round(baseline.cores),
      baselineByRole: baseline.byRole,
      screenShareLayout: { cores: round(withScreen.cores), recordingCores: round(withScreen.cores - baseline.cores), byRole: withScreen.byRole },
      whiteboardLayout: { cores: round(withBoard.cores), recordingCores: round(withBoard.cores - baseline.cores), byRole: withBoard.byRole },
      parts: status.parts.length,
      /** Time the encoder could not keep up with (the part's clock paused); 0 when it kept real time. */
      skippedMs: status.skippedMs,
      /** Changed pictures the encoder could not take in time (it repeated the previous one): 0 when it kept real time. */
      leftOutPictures: status.leftOutPictures,
    }
  } finally {
    for (const p of procs) p.kill('SIGKILL')
    rpc.close()
    await sidecar.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000

async function assemblyBench(minutes: number) {
  const dir = await mkdtemp(join(tmpdir(), 'aula-bench-asm-'))
  try {
    const seed = join(dir, 'seed.mp4')
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=f=440:r=48000',
      '-t', '10', '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0',
      '-b:v', '2100k', '-maxrate', '2500k', '-bufsize', '5000k', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', '-ac', '1', seed])
    const key = `bench-${minutes}min`
    const storageRoot = join(dir, 'storage')
    const partDir = join(storageRoot, partPrefix(key, 'p0'))
    await mkdir(partDir, { recursive: true })
    const synth = Date.now()
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-stream_loop', String(minutes * 6 - 1), '-i', seed, '-map', '0', '-c', 'copy',
      '-f', 'tee', recordingSlave(partDir)], { maxBuffer: 1 << 24 })
    await writeFile(join(partDir, 'part.json'), JSON.stringify({ partId: 'p0', recordingKey: key, startedAt: 1_000_000, width: 1280, height: 720, fps: 30 }))
    const segments = (await readdir(partDir)).filter((n) => n.endsWith('.m4s')).length
    const synthMs = Date.now() - synth
    const disk = await diskFromSettings(storageSettingsFromEnv({ AULA_STORAGE_PATH: storageRoot, DRIVE_DISK: 'fs' }))
    const marks = Array.from({ length: minutes / 5 }, (_, i) => ({ at: 1_000_000 + i * 300_000, title: `Page ${i + 1}` }))
    const started = Date.now()
    const result = await assembleRecording({ disk, recordingKey: key, title: 'Bench class', marks, workDir: join(dir, 'work') })
    const assembled = Date.now()
    await disk.putStream(`recordings/${key}/recording.mp4`, createReadStream(result.mp4))
    await disk.put(`recordings/${key}/chapters.vtt`, result.vtt)
    const stored = Date.now()
    const size = (await readFile(result.mp4)).length
    return {
      minutes,
      segments,
      synthesisMs: synthMs,
      mp4Bytes: size,
      durationMs: result.durationMs,
      chapters: result.chapters.length,
      assembleMs: assembled - started,
      storeMs: stored - assembled,
      classEndToReadyMs: stored - started,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const results: Record<string, unknown> = { at: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, loadavgAtStart: loadavg(), seconds: SECONDS }
if (args['skip-cpu'] !== 'true') {
  results.cpu720 = await cpuBench(1280, 720)
  console.log('720p', JSON.stringify(results.cpu720))
  results.cpu1080 = await cpuBench(1920, 1080)
  console.log('1080p', JSON.stringify(results.cpu1080))
}
if (args['skip-assembly'] !== 'true') {
  results.assembly = await assemblyBench(MINUTES)
  console.log('assembly', JSON.stringify(results.assembly))
}
await mkdir('bench/results', { recursive: true })
await writeFile('bench/results/recording-latest.json', JSON.stringify(results, null, 2) + '\n')
console.log('wrote bench/results/recording-latest.json')
process.exit(0)
