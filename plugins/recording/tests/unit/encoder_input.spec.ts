import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeArgs, matroskaInputArgs, partPrefix, recordingSlave } from '#app/media/sidecar/recording/encoder'
import { diskFromSettings, storageSettingsFromEnv } from '#app/storage/storage_env'
import { assembleRecording } from '../../assemble.js'
import { AUDIO_TRACK, VIDEO_TRACK, matroskaBlockHead, matroskaHeader } from '#app/media/sidecar/recording/matroska_stream'
import { avOffsets, ffprobe, flashesAndBeeps } from '../support/media_probe.js'

const W = 64
const H = 36

/**
 * Two seconds as the compositor writes them: sound every 20 ms, pictures only every 100 ms (as when
 * the stage does not change, or the encoder lags); white pictures and a beep during the first
 * 100 ms of each second.
 */
function stream(seconds = 2) {
  const blocks: Buffer[] = [matroskaHeader(W, H, 48_000)]
  for (let ms = 0; ms < seconds * 1000; ms += 20) {
    const flash = ms % 1000 < 100
    const sound = Buffer.alloc(960 * 2)
    for (let i = 0; i < 960; i++) sound.writeInt16LE(Math.round((flash ? 20_000 : 0) * Math.sin(i / 3)), i * 2)
    blocks.push(matroskaBlockHead(AUDIO_TRACK, ms * 1000, sound.length), sound)
    if (ms % 100 === 0) {
      const picture = Buffer.alloc((W * H * 3) / 2, 128)
      picture.fill(flash ? 235 : 16, 0, W * H)
      blocks.push(matroskaBlockHead(VIDEO_TRACK, ms * 1000, picture.length), picture)
    }
  }
  return Buffer.concat(blocks)
}

/** Starts the recording's encoder on a part directory of a fresh storage. */
async function encoder(root: string, partId: string, startedAt: number) {
  const dir = join(root, 'storage', partPrefix('encoder-input', partId))
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'part.json'), JSON.stringify({ partId, recordingKey: 'encoder-input', startedAt, width: W, height: H, fps: 30 }))
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...matroskaInputArgs, ...encodeArgs(720, [recordingSlave(dir)])], { stdio: ['pipe', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { dir, child, exited, stderr: () => stderr }
}

test.group('Recording encoder input (Matroska stream of timed pictures and sound)', () => {
  test('pictures written only when they change are shown from their own time to the next one; sound stays in step in the assembled MP4', async ({ assert }) => {
    const root = await mkdtemp(join(tmpdir(), 'aula-encoder-input-'))
    const dir = join(root, 'storage', partPrefix('encoder-input', 'p1'))
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'part.json'), JSON.stringify({ partId: 'p1', recordingKey: 'encoder-input', startedAt: 1000, width: W, height: H, fps: 30 }))
    try {
      const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...matroskaInputArgs, ...encodeArgs(720, [recordingSlave(dir)])], { stdio: ['pipe', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.stdin.end(stream())
      const code = await new Promise((resolve) => child.once('exit', resolve))
      assert.equal(code, 0, stderr)
      const disk = await diskFromSettings(storageSettingsFromEnv({ AULA_STORAGE_PATH: join(root, 'storage'), DRIVE_DISK: 'fs' }))
      const { mp4: file } = await assembleRecording({ disk, recordingKey: 'encoder-input', title: 'Encoder input', marks: [], workDir: join(root, 'work') })

      const probe = await ffprobe(file)
      assert.sameMembers(probe.streams.map((s) => s.codec_name), ['h264', 'aac'])
      const { flashes, beeps } = await flashesAndBeeps(file, { x: 0, y: 0, w: W, h: H })
      assert.lengthOf(flashes, 2, JSON.stringify({ flashes, beeps }))
      // 30 fps: the white picture written at 1.000 s is shown from the frame at 1.000 s, not before.
      assert.closeTo(flashes[1] - flashes[0], 1000, 1)
      for (const { offset } of avOffsets(flashes, beeps)) assert.isBelow(Math.abs(offset), 34, JSON.stringify({ flashes, beeps }))
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  }).timeout(30_000)

  test('a part cut by a killed encoder ends its sound with its pictures: the next part’s sound is not moved against its pictures', async ({ assert }) => {
    const root = await mkdtemp(join(tmpdir(), 'aula-encoder-cut-'))
    try {
      // Part 1: five seconds written, the input left open, the encoder SIGKILLed once two segments
      // (0–4 s) are complete; what remains in storage is what a crash leaves.
      const first = await encoder(root, 'p1', 1000)
      first.child.stdin.on('error', () => {})
      first.child.stdin.write(stream(5))
      for (let i = 0; i < 600; i++) {
        if (await access(join(first.dir, 'seg_00001.m4s')).then(() => true, () => false)) break
        await new Promise((r) => setTimeout(r, 50))
      }
      first.child.kill('SIGKILL')
      await first.exited
      await rm(join(first.dir, 'seg_00002.m4s'), { force: true })
      // Part 2: four seconds, ended cleanly.
      const second = await encoder(root, 'p2', 20_000)
      second.child.stdin.end(stream(4))
      assert.equal(await second.exited, 0, second.stderr())

      const disk = await diskFromSettings(storageSettingsFromEnv({ AULA_STORAGE_PATH: join(root, 'storage'), DRIVE_DISK: 'fs' }))
      const result = await assembleRecording({ disk, recordingKey: 'encoder-input', title: 'Encoder cut', marks: [], workDir: join(root, 'work') })
      assert.lengthOf(result.parts, 2)
      const { flashes, beeps } = await flashesAndBeeps(result.mp4, { x: 0, y: 0, w: W, h: H })
      assert.lengthOf(flashes, 8, JSON.stringify({ flashes, beeps }))
      const offsets = avOffsets(flashes, beeps)
      assert.lengthOf(offsets, 8, JSON.stringify({ flashes, beeps }))
      // Sound is decoded sample after sample, as a player plays it: a hole in the sound at the join
      // (sound ending before the pictures in the cut part) would put every later beep early.
      for (const { offset } of offsets) assert.isBelow(Math.abs(offset), 34, JSON.stringify({ flashes, beeps, parts: result.parts }))
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  }).timeout(60_000)
})
