/*
| The viewer counts of issue 14 across web processes (Redis): a web process killed with SIGKILL runs
| no disconnect handler, so the shared list of who watches which way still names its tabs. Those
| must stop counting, or the teacher sees viewers who are gone and the viewer cap sends the next
| students to HLS for nothing.
*/
import { test } from '@japa/runner'
import { rmSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import { createSchool, PASSWORD } from '#tests/helpers/fixtures'
import { startAppProcess, TEST_REDIS_URL, type AppProcess } from '#tests/helpers/app_process'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { jsonClientAs } from '#tests/helpers/http_login'
import { runOnceInTheSuite } from '#tests/helpers/one_pass'
import { eventually } from '#tests/helpers/poll'
import { sendOk, socketTracker } from '#tests/helpers/sockets'
import { writeLiveStream } from '../support/written_stream.js'
import '../../events.js'

const PORT = 4483
const SECRET = 'hls-dead-process-secret'
const SPOOL = joinPath(process.cwd(), 'tmp', `hls-test-spool-${PORT}`)
const sockets = socketTracker()

test.group('Video: the viewers of a web process that died', (group) => {
  runOnceInTheSuite(group)
  group.each.teardown(() => sockets.closeAll())

  test('stop counting: the teacher sees the connected viewers only, and the viewer cap lets the next student on WebRTC', async ({ assert }) => {
    rmSync(SPOOL, { recursive: true, force: true })
    let sidecar: SidecarProcess | undefined
    const apps: AppProcess[] = []
    let stream: { stop(): void } | undefined
    try {
      sidecar = await startSidecarProcess({ port: PORT, secret: SECRET, env: { MEDIA_RECORDING_SPOOL: SPOOL } })
      const env = { MEDIA_SIDECARS: sidecar.url, MEDIA_RPC_SECRET: SECRET }
      apps.push(...(await Promise.all([startAppProcess({ redisUrl: TEST_REDIS_URL, env }), startAppProcess({ redisUrl: TEST_REDIS_URL, env })])))
      const [survivor, doomed] = apps

      const f = await createSchool({ students: 3, liveClass: true })
      const asAdmin = await jsonClientAs(survivor.url, f.admin.email, PASSWORD)
      const configured = await asAdmin('PUT', '/admin/plugins/video', {
        enabled: true,
        settings: { studentsMayShareScreen: false, studentsJoinMuted: true, maxVideoTiles: 25, strongNoiseSuppression: false, hlsCpuPercent: 70, hlsCpuSeconds: 30, hlsLeavePercent: 50, hlsLeaveSeconds: 60, hlsViewerCap: 3 },
      })
      assert.equal(configured.status, 200, await configured.text())
      stream = writeLiveStream(SPOOL, f.classSession.id)

      const teacher = await sockets.joined(f.teacher, f.classSession.id, survivor.url)
      assert.equal((await sendOk(teacher, 'video:join', {})).mode, 'webrtc')
      await eventually('the sidecar offers the stream', async () => (await sendOk(teacher, 'video:viewers', {})).streamAvailable)
      for (const student of f.students.slice(0, 2)) {
        const socket = await sockets.joined(student, f.classSession.id, doomed.url)
        assert.equal((await sendOk(socket, 'video:join', {})).mode, 'webrtc')
      }
      const third = await sockets.joined(f.students[2], f.classSession.id, survivor.url)
      assert.equal((await sendOk(third, 'video:join', {})).mode, 'hls', 'teacher + two students reach the cap of 3')
      assert.include(await sendOk(teacher, 'video:viewers', {}), { webrtc: 3, hls: 1 })

      await doomed.kill('SIGKILL')
      // Eventually: Redis notices the dead process's connections closed a moment after the kill.
      const after = await eventually('the dead process\'s two viewers no longer count', async () => {
        const viewers = await sendOk(teacher, 'video:viewers', {})
        return viewers.webrtc === 1 ? viewers : null
      })
      assert.include(after, { webrtc: 1, hls: 1 })
      const newTab = await sockets.joined(f.students[2], f.classSession.id, survivor.url)
      assert.equal((await sendOk(newTab, 'video:join', {})).mode, 'webrtc', 'the cap counts the connected viewers only')
      assert.include(await sendOk(teacher, 'video:viewers', {}), { webrtc: 2, hls: 1 })
    } finally {
      stream?.stop()
      await Promise.all(apps.map((app) => app.kill('SIGKILL')))
      await sidecar?.kill('SIGKILL')
      rmSync(SPOOL, { recursive: true, force: true })
    }
  }).timeout(120_000)
})
