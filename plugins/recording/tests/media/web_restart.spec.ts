/*
| The web process SIGKILLed mid-class: the recording runs in the media sidecar, so nothing stops it;
| the next web process to start picks the live class's recording up again (its boot sweep), and
| when the teacher ends the class there, the final MP4 is the whole class in one part.
*/
import { test } from '@japa/runner'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pidsWithArgument, rendererMarker } from '#app/media/sidecar/recording/stale_renderers'
import ClassSession from '#app/classes/models/class_session'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { startAppProcess, type AppProcess } from '#tests/helpers/app_process'
import { startSidecarProcess } from '#tests/helpers/sidecar'
import { jsonClientAs } from '#tests/helpers/http_login'
import { killAll } from '#tests/helpers/process_tree'
import Recording from '../../models/recording.js'
import { mp4Key } from '../../recording_service.js'
import { ffprobe } from '../support/media_probe.js'
import { connectRpc, poll, recordingDirs, recordSegments } from '../support/sidecar_recording.js'

const SECRET = 'web-restart-secret'
const PORT = 4475

test.group('Recording: a web process killed mid-class', (group) => {
  runOnceInTheSuite(group)
  test('the sidecar keeps recording; the next web process finishes one MP4 of the whole class', async ({ assert }) => {
    const { dir, env, disk } = await recordingDirs()
    const sidecar = await startSidecarProcess({ port: PORT, secret: SECRET, env })
    const rpc = await connectRpc(sidecar.url, SECRET)
    const appEnv = { MEDIA_SIDECARS: sidecar.url, MEDIA_RPC_SECRET: SECRET, AULA_STORAGE_PATH: env.AULA_STORAGE_PATH, DRIVE_DISK: 'fs' }
    const apps: AppProcess[] = []
    try {
      const f = await createSchool()
      apps.push(await startAppProcess({ env: appEnv }))
      const asTeacher = await jsonClientAs(apps[0].url, f.teacher.email, PASSWORD)
      assert.equal((await asTeacher('POST', `/classes/${f.classSession.id}/start`)).status, 200)
      const recording = await poll('the class recording', () => Recording.findBy('classSessionId', f.classSession.id))
      await poll('the recording running on the sidecar', async () => (await rpc.call('recording.list', {})).recordingKeys.includes(recording.recordingKey), 60_000)
      await recordSegments(rpc, disk, recording.recordingKey, 2, sidecar)

      await apps[0].kill('SIGKILL')
      // No web process at all: the class goes on recording.
      await recordSegments(rpc, disk, recording.recordingKey, 2, sidecar)

      apps.push(await startAppProcess({ env: appEnv }))
      const again = await jsonClientAs(apps[1].url, f.teacher.email, PASSWORD)
      assert.equal((await again('POST', `/classes/${f.classSession.id}/end`)).status, 200)
      await recording.refresh()
      const ready = await poll(
        'the recording ready',
        async () => {
          await recording.refresh()
          if (recording.state === 'failed') throw new Error(`failed: ${recording.failureReason}`)
          return recording.state === 'ready'
        },
        90_000
      )
      assert.isTrue(ready)
      const session = await ClassSession.findOrFail(f.classSession.id)
      const classMs = session.endedAt!.toMillis() - session.startedAt!.toMillis()
      assert.equal(recording.partCount, 1, 'one part: the encoder never stopped')
      const probe = await ffprobe(join(env.AULA_STORAGE_PATH, mp4Key(recording)))
      // The final file also holds its chapter track (a data stream).
      assert.sameMembers(probe.streams.filter((s) => s.codec_type !== 'data').map((s) => s.codec_name), ['h264', 'aac'])
      assert.approximately(probe.durationMs, classMs, 2000, `the MP4 (${probe.durationMs} ms) covers the class (${classMs} ms)`)
      assert.isTrue(await disk.exists(mp4Key(recording)))
    } finally {
      rpc.close()
      for (const app of apps) await app.kill('SIGKILL')
      await sidecar.kill('SIGKILL')
      killAll(await pidsWithArgument(rendererMarker(resolve(env.MEDIA_RECORDING_SPOOL, 'cache'))))
      await rm(dir, { recursive: true, force: true, maxRetries: 5 })
    }
  }).timeout(240_000)
})
