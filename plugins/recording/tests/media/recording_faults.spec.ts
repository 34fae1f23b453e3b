/*
| The fault proofs: a real sidecar records an FFmpeg "camera + microphone" whose flashes and
| beeps are in sync, (1) its encoder is SIGKILLed mid-class, (2) the whole sidecar is SIGKILLed and
| started again; each time the final MP4 has H.264 + AAC and both parts, every flash within 100 ms of
| its beep in both parts and the drift across parts under 100 ms; the killed sidecar's board renderer
| is ended by the next one. Never loosen its assertions: what it took to pass is in docs/recording.md.
*/
import { test } from '@japa/runner'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pidsWithArgument, rendererMarker } from '#app/media/sidecar/recording/stale_renderers'
import type { RpcClient } from '#app/media/rpc/rpc_client'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { descendants, killAll, running } from '#tests/helpers/process_tree'
import { assembleRecording } from '../../assemble.js'
import { startFlashBeepSource } from '../support/av_source.js'
import { avOffsets, ffprobe, flashesAndBeeps } from '../support/media_probe.js'
import { connectRpc, poll, recordingDirs, recordSegments } from '../support/sidecar_recording.js'

const SECRET = 'recording-fault-secret'
const PORT = 4471

type Source = Awaited<ReturnType<typeof startFlashBeepSource>>

/** Starts recording a room whose teacher camera and mic play flashes and beeps (`onSource` gets it to stop it later), and waits until both are in the picture and the mix. */
async function recordRoom(rpc: RpcClient, recordingKey: string, roomKey: string, onSource: (source: Source) => void) {
  await rpc.call('room.ensure', { roomKey })
  onSource(await startFlashBeepSource(rpc, roomKey, { userId: 7, peerId: 'teacher-peer' }))
  await rpc.call('recording.start', { recordingKey, roomKey, width: 1280, height: 720, teacherUserIds: [7] })
  let status: Awaited<ReturnType<typeof rpc.call<'recording.status'>>> | null = null
  await poll(
    'both inputs decoding',
    async () => {
      status = await rpc.call('recording.status', { recordingKey })
      return status.inputs.some((i) => i.kind === 'video' && i.hasPicture) && status.inputs.some((i) => i.kind === 'audio' && i.mixing)
    },
    30_000
  ).catch((error) => {
    throw new Error(`${error.message}; last status ${JSON.stringify(status)}`)
  })
}

function assertInSync(assert: any, path: Promise<{ flashes: number[]; beeps: number[] }>, parts: { offsetMs: number; durationMs: number }[]) {
  return path.then(({ flashes, beeps }) => {
    const offsets = avOffsets(flashes, beeps)
    for (const part of parts) {
      const inPart = offsets.filter((o) => o.at >= part.offsetMs + 1000 && o.at < part.offsetMs + part.durationMs - 500)
      assert.isAtLeast(inPart.length, 3, `flashes with beeps in the part at ${part.offsetMs} ms: ${JSON.stringify(offsets)}`)
      for (const { offset } of inPart) assert.isBelow(Math.abs(offset), 100, `A/V offset ${offset} ms in the part at ${part.offsetMs} ms; parts ${JSON.stringify(parts)}, all offsets ${JSON.stringify(offsets)}`)
    }
    const all = offsets.map((o) => o.offset)
    assert.isBelow(Math.max(...all) - Math.min(...all), 100, `A/V drift across parts: ${JSON.stringify(all)}`)
  })
}

test.group('Recording survives faults (real sidecar, FFmpeg camera and microphone)', (group) => {
  runOnceInTheSuite(group)
  test('an encoder killed mid-class: the final MP4 plays both parts, in sync', async ({ assert }) => {
    const { dir, env, disk } = await recordingDirs()
    const sidecar = await startSidecarProcess({ port: PORT, secret: SECRET, env })
    const rpc = await connectRpc(sidecar.url, SECRET)
    const recordingKey = 'fault-encoder-1'
    const sources: Source[] = []
    try {
      await recordRoom(rpc, recordingKey, 's9101:main', (s) => sources.push(s))
      await recordSegments(rpc, disk, recordingKey, 4, sidecar)
      await rpc.call('debug.recordingKill', { recordingKey, what: 'encoder' })
      const status = await poll('a second part', async () => {
        const s = await rpc.call('recording.status', { recordingKey })
        return s.parts.length === 2 && s.encoderPid ? s : null
      })
      assert.lengthOf(status.parts, 2)
      await recordSegments(rpc, disk, recordingKey, 4, sidecar)
      const stopped = await rpc.call('recording.stop', { recordingKey })
      assert.isTrue(stopped.uploaded)

      const result = await assembleRecording({ disk, recordingKey, title: 'Fault drill', marks: [], workDir: join(dir, 'work') })
      assert.lengthOf(result.parts, 2, 'both parts are in the final file')
      const probe = await ffprobe(result.mp4)
      assert.sameMembers(probe.streams.map((s) => s.codec_name), ['h264', 'aac'])
      assert.isAbove(result.parts[0].durationMs, 5000)
      assert.isAbove(result.parts[1].durationMs, 5000)
      await assertInSync(assert, flashesAndBeeps(result.mp4, { x: 320, y: 180, w: 640, h: 360 }), result.parts)
    } finally {
      for (const source of sources) await source.stop()
      rpc.close()
      await sidecar.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  }).timeout(120_000)

  test('a sidecar SIGKILLed mid-class: the part before and the part after are both in the final MP4', async ({ assert }) => {
    const { dir, env, disk } = await recordingDirs()
    let sidecar: SidecarProcess = await startSidecarProcess({ port: PORT, secret: SECRET, env })
    let rpc = await connectRpc(sidecar.url, SECRET)
    const recordingKey = 'fault-sidecar-1'
    const roomKey = 's9102:main'
    const sources: Source[] = []
    // What the killed sidecar leaves running: its encoder (finishes its last segment on its own), Chromium.
    let orphans: number[] = []
    try {
      await recordRoom(rpc, recordingKey, roomKey, (s) => sources.push(s))
      await recordSegments(rpc, disk, recordingKey, 4, sidecar)
      // The board renderer (Chromium, started when the recording began): a SIGKILLed sidecar cannot close it.
      const marker = rendererMarker(resolve(env.MEDIA_RECORDING_SPOOL, 'cache'))
      const renderers = await poll('the board renderer running', async () => {
        const pids = await pidsWithArgument(marker)
        return pids.length ? pids : null
      }, 90_000)
      const rendererTree = renderers.flatMap((pid) => descendants(pid))
      orphans = descendants(sidecar.child.pid!).slice(1)
      await sidecar.kill('SIGKILL')
      await sources.pop()!.stop()
      rpc.close()

      // What a web process does when the sidecar is back: the room is new, the recording starts again (same key).
      sidecar = await startSidecarProcess({ port: PORT, secret: SECRET, env })
      // The new sidecar ended the renderer the killed one left, with its zygote, GPU and renderer processes.
      await poll('the killed sidecar’s Chromium ended', async () => rendererTree.every((pid: number) => !running(pid)), 10_000)
      rpc = await connectRpc(sidecar.url, SECRET)
      await recordRoom(rpc, recordingKey, roomKey, (s) => sources.push(s))
      await recordSegments(rpc, disk, recordingKey, 4, sidecar)
      const stopped = await rpc.call('recording.stop', { recordingKey })
      assert.isTrue(stopped.uploaded)

      const result = await assembleRecording({ disk, recordingKey, title: 'Fault drill', marks: [], workDir: join(dir, 'work') })
      assert.lengthOf(result.parts, 2, 'the part cut by the kill and the part after the restart')
      assert.isAbove(result.parts[0].durationMs, 5000, 'the killed sidecar’s part kept its last seconds')
      const probe = await ffprobe(result.mp4)
      assert.sameMembers(probe.streams.map((s) => s.codec_name), ['h264', 'aac'])
      await assertInSync(assert, flashesAndBeeps(result.mp4, { x: 320, y: 180, w: 640, h: 360 }), result.parts)
    } finally {
      for (const source of sources) await source.stop()
      rpc.close()
      await sidecar.kill('SIGKILL')
      killAll(orphans)
      await rm(dir, { recursive: true, force: true, maxRetries: 5 })
    }
  }).timeout(120_000)
})
