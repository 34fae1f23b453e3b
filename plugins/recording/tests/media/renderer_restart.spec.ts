/*
| The board renderer (the sidecar's headless Chromium) crashing mid-class: the recording goes on in
| the same part with the last board frame held, Chromium starts again with the next board change,
| and the final MP4 shows the board drawn before the crash and the board drawn after it.
*/
import { test } from '@japa/runner'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pidsWithArgument, rendererMarker } from '#app/media/sidecar/recording/stale_renderers'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { killAll, running } from '#tests/helpers/process_tree'
import type { RpcClient } from '#app/media/rpc/rpc_client'
import { assembleRecording } from '../../assemble.js'
import { ffprobe, frameAt } from '../support/media_probe.js'
import { connectRpc, poll, recordingDirs, recordSegments } from '../support/sidecar_recording.js'

const SECRET = 'renderer-restart-secret'
const PORT = 4474
const RED: [number, number, number] = [224, 49, 49]
const BLUE: [number, number, number] = [25, 113, 194]
/** The stage without the pictures-in-picture (bottom right), where the board is drawn. */
const STAGE = { x: 40, y: 40, w: 800, h: 440 }

/** One filled rectangle over most of the page, in Excalidraw's element format. */
function filledRectangle(id: string, colour: string) {
  return {
    id, type: 'rectangle', x: 100, y: 100, width: 1000, height: 500, angle: 0,
    strokeColor: colour, backgroundColor: colour, fillStyle: 'solid', strokeWidth: 1, strokeStyle: 'solid',
    roughness: 0, opacity: 100, groupIds: [], frameId: null, roundness: null, seed: 7, version: 1, versionNonce: 7,
    index: 'a1', isDeleted: false, boundElements: null, updated: 1, link: null, locked: false,
  }
}

const showBoard = (rpc: RpcClient, recordingKey: string, element: ReturnType<typeof filledRectangle>) =>
  rpc.call('recording.board', { recordingKey, scene: { elements: [element], files: [] }, takenAt: Date.now() })

test.group('Recording: a board renderer crash', (group) => {
  runOnceInTheSuite(group)
  test('keeps the part going; the renderer starts again with the next board change, and both boards are in the MP4', async ({ assert }) => {
    const { dir, env, disk } = await recordingDirs()
    const sidecar: SidecarProcess = await startSidecarProcess({ port: PORT, secret: SECRET, env })
    const rpc = await connectRpc(sidecar.url, SECRET)
    const recordingKey = 'renderer-restart-1'
    try {
      await rpc.call('room.ensure', { roomKey: 's9104:main' })
      await rpc.call('recording.start', { recordingKey, roomKey: 's9104:main', width: 1280, height: 720, teacherUserIds: [7] })
      await showBoard(rpc, recordingKey, filledRectangle('before', '#e03131'))
      const drawn = await poll(
        'the first board frame in the picture',
        async () => {
          const status = await rpc.call('recording.status', { recordingKey })
          return status.layout.board && status.rendererPid ? status : null
        },
        90_000
      )
      const first = drawn.rendererPid!
      await recordSegments(rpc, disk, recordingKey, 2, sidecar)

      const killedAt = Date.now()
      await rpc.call('debug.recordingKill', { recordingKey, what: 'renderer' })
      await poll('the renderer gone', async () => !running(first) && (await rpc.call('recording.status', { recordingKey })).rendererPid === null)
      await showBoard(rpc, recordingKey, filledRectangle('after', '#1971c2'))
      const second = await poll('a new renderer', async () => (await rpc.call('recording.status', { recordingKey })).rendererPid, 90_000)
      assert.notEqual(second, first)
      await recordSegments(rpc, disk, recordingKey, 3, sidecar)
      const stopped = await rpc.call('recording.stop', { recordingKey })
      assert.isTrue(stopped.uploaded)

      const result = await assembleRecording({ disk, recordingKey, title: 'Renderer drill', marks: [], workDir: join(dir, 'work') })
      assert.lengthOf(result.parts, 1, 'the encoder did not restart')
      const probe = await ffprobe(result.mp4)
      assert.sameMembers(probe.streams.map((s) => s.codec_name), ['h264', 'aac'])
      const colours = async (seconds: number) => {
        const frame = await frameAt(result.mp4, seconds)
        return { red: frame.count(STAGE.x, STAGE.y, STAGE.w, STAGE.h, RED, 90), blue: frame.count(STAGE.x, STAGE.y, STAGE.w, STAGE.h, BLUE, 90) }
      }
      const early = await colours((killedAt - drawn.parts[0].startedAt) / 1000 - 1)
      assert.isAbove(early.red, 20_000, `the board before the crash: ${JSON.stringify(early)}`)
      assert.equal(early.blue, 0)
      const late = await colours(probe.durationMs / 1000 - 1)
      assert.isAbove(late.blue, 20_000, `the board after the crash: ${JSON.stringify(late)}`)
      assert.equal(late.red, 0)
    } finally {
      rpc.close()
      await sidecar.kill('SIGKILL')
      killAll(await pidsWithArgument(rendererMarker(resolve(env.MEDIA_RECORDING_SPOOL, 'cache'))))
      await rm(dir, { recursive: true, force: true, maxRetries: 5 })
    }
  }).timeout(180_000)
})
