/*
| bench/recording/real_class: class end → ready MP4 for a class recorded in real time.
|
|   node --import=ts-node-maintained/register/esm bench/recording/real_class.ts [--minutes=10] [--height=720]
|
| One sidecar records a class of `--minutes` as it runs: a teacher camera (VP8 720p30), a microphone and,
| for the first half, a 1080p screen share, then the whiteboard with a stroke every 5 s (FFmpeg sources
| pinned to the last core). Chapters every 2 minutes, as page changes would give. At the end the clock
| starts: the sidecar finishes and uploads its last segments (recording.stop), the MP4 is assembled from
| storage (join, chapters, faststart) and stored, as the recording plugin does at class end. ffprobe checks
| the result. Prints the figures and writes bench/results/recording-real-latest.json.
*/
import { execFile, type ChildProcess } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'
import { startSidecarProcess } from '#tests/helpers/sidecar'
import { assembleRecording } from '#plugins/recording/assemble'
import { benchArgs } from '../cli_args.js'
import { boardScene, source } from './sources.js'

const run = promisify(execFile)
const { num } = benchArgs()
const MINUTES = num('minutes', 10, 1, 120)
const HEIGHT = num('height', 720, 720, 1080) >= 1080 ? 1080 : 720
const WIDTH = HEIGHT === 1080 ? 1920 : 1280
const SECRET = 'bench-recording-real'
const PORT = 4482
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const log = (...parts: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts)

const dir = await mkdtemp(join(tmpdir(), 'aula-bench-real-'))
const storageEnv = { AULA_STORAGE_PATH: join(dir, 'storage'), DRIVE_DISK: 'fs' }
const sidecar = await startSidecarProcess({
  port: PORT,
  secret: SECRET,
  env: { MEDIA_WORKERS: '1', MEDIA_RPC_TEST_METHODS: '0', MEDIA_RECORDING_SPOOL: join(dir, 'spool'), ...storageEnv },
})
const rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 120_000, reconnect: false })
const sources: ChildProcess[] = []
const recordingKey = `bench-real-${MINUTES}min`
const load: number[] = []
try {
  await rpc.start()
  const roomKey = 's1:main'
  await rpc.call('room.ensure', { roomKey })
  sources.push(await source(rpc, roomKey, 'camera', 1), await source(rpc, roomKey, 'mic', 1))
  const screen = await source(rpc, roomKey, 'screen', 1)
  await sleep(3000)

  const startedAt = Date.now()
  await rpc.call('recording.start', { recordingKey, roomKey, width: WIDTH, height: HEIGHT, teacherUserIds: [1] })
  log(`recording a ${MINUTES}-minute class at ${WIDTH}x${HEIGHT}…`)
  const sampler = setInterval(() => load.push(loadavg()[0]), 10_000)
  await sleep((MINUTES * 60_000) / 2)
  screen.kill('SIGKILL')
  let strokes = 1
  const drawing = setInterval(() => {
    void rpc.call('recording.board', { recordingKey, scene: boardScene(strokes++), takenAt: Date.now() }).catch(() => {})
  }, 5000)
  await sleep((MINUTES * 60_000) / 2)
  clearInterval(drawing)
  clearInterval(sampler)
  const status = await rpc.call('recording.status', { recordingKey })

  // The class ends: what the web process waits for before the recording is ready.
  const endedAt = Date.now()
  const stopped = await rpc.call('recording.stop', { recordingKey })
  const uploadedAt = Date.now()
  const disk = await diskFromSettings(storageSettingsFromEnv(storageEnv))
  const marks = Array.from({ length: Math.floor(MINUTES / 2) }, (_, i) => ({ at: startedAt + i * 120_000, title: `Page ${i + 1}` }))
  const result = await assembleRecording({ disk, recordingKey, title: 'Bench class', marks, workDir: join(dir, 'work') })
  const assembledAt = Date.now()
  await disk.putStream(`recordings/${recordingKey}/recording.mp4`, createReadStream(result.mp4))
  await disk.put(`recordings/${recordingKey}/chapters.vtt`, result.vtt)
  const readyAt = Date.now()

  const probe = JSON.parse(
    (await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-show_chapters', '-of', 'json', result.mp4])).stdout
  )
  const figures = {
    at: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    loadAverageDuringClass: `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
    minutes: MINUTES,
    resolution: `${WIDTH}x${HEIGHT}`,
    parts: stopped.parts.length,
    skippedMs: status.skippedMs,
    leftOutPictures: status.leftOutPictures,
    mp4Bytes: (await stat(result.mp4)).size,
    mp4DurationS: Number(probe.format.duration),
    classDurationS: (endedAt - startedAt) / 1000,
    codecs: probe.streams.map((s: { codec_name: string }) => s.codec_name),
    chapters: probe.chapters.length,
    stopAndUploadMs: uploadedAt - endedAt,
    assembleMs: assembledAt - uploadedAt,
    storeMs: readyAt - assembledAt,
    classEndToReadyMs: readyAt - endedAt,
  }
  console.table(figures)
  await mkdir('bench/results', { recursive: true })
  await writeFile('bench/results/recording-real-latest.json', JSON.stringify(figures, null, 2) + '\n')
  console.log('wrote bench/results/recording-real-latest.json')
} finally {
  for (const p of sources) p.kill('SIGKILL')
  rpc.close()
  await sidecar.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
}
process.exit(0)
