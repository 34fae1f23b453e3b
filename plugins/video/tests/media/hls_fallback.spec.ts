/*
| HLS fallback for large lectures (issue 14) below the browser, against a real media sidecar: its
| per-worker CPU trigger (forced with the test-only `debug.cpu`, windows set low in the school's
| settings), the class's HLS stream written by the recording's real FFmpeg encode, and the web
| process serving it with the class's access rules.
*/
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { createSchool, type SchoolFixture } from '#tests/helpers/fixtures'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { eventually } from '#tests/helpers/poll'
import { writeLiveStream } from '../support/written_stream.js'
import { send, sendOk, socketTracker, type TestSocket } from '#tests/helpers/sockets'
import '../../events.js'
import '#plugins/chat/events'
import '#plugins/quizzes/events'

/* The sidecar's spool: the routing and access tests write a class's stream files there themselves. */
const SPOOL = joinPath(process.cwd(), 'tmp', `hls-test-spool-${SIDECAR_PORT}`)
const sockets = socketTracker()
const codeOf = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

/** Test settings: the trigger follows the CPU within a second either way. */
const FAST_TRIGGER = { hlsCpuPercent: 70, hlsCpuSeconds: 1, hlsLeavePercent: 50, hlsLeaveSeconds: 1, hlsViewerCap: 0 }

async function configureVideo(client: ApiClient, f: SchoolFixture, settings: Record<string, unknown>) {
  const response = await client
    .put('/admin/plugins/video')
    .json({ enabled: true, settings: { studentsMayShareScreen: false, studentsJoinMuted: true, maxVideoTiles: 25, strongNoiseSuppression: false, ...FAST_TRIGGER, ...settings } })
    .loginAs(f.admin)
    .withCsrfToken()
    .accept('json')
  response.assertStatus(200)
}

const join = (socket: TestSocket) => sendOk(socket, 'video:join', {})

test.group('Video: HLS fallback with a real sidecar and encoder', (group) => {
  let sidecar: SidecarProcess
  let rpc: RpcClient
  const recordings: { recordingKey: string }[] = []
  group.setup(async () => {
    rmSync(SPOOL, { recursive: true, force: true })
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET, env: { MEDIA_RECORDING_SPOOL: SPOOL } })
    rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 10_000 })
    await rpc.start()
    return async () => {
      for (const { recordingKey } of recordings) await rpc.call('recording.stop', { recordingKey }).catch(() => {})
      rpc.close()
      await sidecar.kill('SIGKILL')
      rmSync(SPOOL, { recursive: true, force: true })
    }
  })
  const writers: (() => void)[] = []
  group.each.teardown(() => writers.splice(0).forEach((stop) => stop()))

  /** A class's stream written as the encoder leaves it (support/written_stream.ts); the encoder's own output is the last test's. */
  function writtenStream(f: SchoolFixture) {
    const stream = writeLiveStream(SPOOL, f.classSession.id)
    writers.push(stream.stop)
    return stream
  }
  group.each.setup(async () => {
    await rpc.call('debug.cpu', { cpu: null })
  })
  group.each.teardown(() => sockets.closeAll())

  /** The class's encoder, as the recording plugin starts it at class start (it writes the HLS stream too). */
  async function startEncoder(f: SchoolFixture) {
    const recordingKey = randomUUID()
    recordings.push({ recordingKey })
    const roomKey = `s${f.classSession.id}:main`
    await rpc.call('room.ensure', { roomKey })
    await rpc.call('recording.start', { recordingKey, roomKey, width: 1280, height: 720, teacherUserIds: [f.teacher.id] })
    await eventually('the class’s HLS stream is written', async () => (await rpc.call('hls.status', { roomKey })).available, { timeoutMs: 30_000 }).catch(
      async (error) => {
        const status = await rpc.call('recording.status', { recordingKey }).catch((e) => e.message)
        throw new Error(`${error.message}\nrecording: ${JSON.stringify(status)}\nsidecar: ${sidecar.output().slice(-1500)}`)
      }
    )
    return recordingKey
  }

  test('new joiners get HLS while the worker’s trigger holds and WebRTC again once it falls; earlier viewers stay; HLS viewers send no media but chat and answer quizzes', async ({ client, assert }) => {
    const f = await createSchool({ students: 4, liveClass: true })
    await configureVideo(client, f, {})
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    await join(teacher)

    const early = await sockets.joined(f.students[0], f.classSession.id)
    assert.include(await join(early), { mode: 'webrtc', hlsUrl: null }, 'an idle worker: WebRTC')

    await rpc.call('debug.cpu', { cpu: 0.95 })
    const roomKey = `s${f.classSession.id}:main`
    await eventually('the trigger holds', async () => (await sendOk(teacher, 'video:viewers', {})).triggerActive)
    const loaded = await sockets.joined(f.students[1], f.classSession.id)
    assert.equal((await join(loaded)).mode, 'webrtc', 'no stream written (no encoder): WebRTC rather than a black player')
    writtenStream(f)
    await eventually('the sidecar offers the stream', async () => (await rpc.call('hls.status', { roomKey })).available)
    const joined = await eventually('a new joiner is sent to HLS while the worker is loaded', async () => {
      const answer = await join(loaded)
      return answer.mode === 'hls' ? answer : null
    })
    assert.equal(joined.hlsUrl, `/plugins/video/classes/${f.classSession.id}/hls/live.m3u8`)
    assert.equal(codeOf(await send(loaded, 'video:transport', { direction: 'recv' })), 'forbidden', 'an HLS viewer opens no WebRTC transport')
    assert.equal(codeOf(await send(loaded, 'video:transport', { direction: 'send' })), 'forbidden', 'and sends no media')
    assert.equal(codeOf(await send(early, 'video:transport', { direction: 'recv' })), 'ok', 'the earlier viewer stays on WebRTC')
    assert.equal(codeOf(await send(teacher, 'video:transport', { direction: 'send' })), 'ok', 'the teacher is never sent to HLS')

    const viewers = await sendOk(teacher, 'video:viewers', {})
    assert.include(viewers, { webrtc: 2, hls: 1, triggerActive: true, streamAvailable: true })
    assert.equal(viewers.cpu, 0.95)
    assert.equal(codeOf(await send(early, 'video:viewers', {})), 'forbidden', 'students do not see the counts')

    /* Everything else stays live for the HLS viewer. */
    assert.equal(codeOf(await send(loaded, 'chat:send', { body: 'hello from HLS' })), 'ok')
    const { run } = await sendOk(teacher, 'quizzes:launch', {
      question: { type: 'single', prompt: 'HLS?', options: [{ label: 'yes', correct: true }, { label: 'no' }] },
    } as any)
    assert.equal(codeOf(await send(loaded, 'quizzes:answer', { runId: run.id, optionIds: [run.options[0].id] })), 'ok')

    await rpc.call('debug.cpu', { cpu: 0.1 })
    await eventually('the trigger falls', async () => !(await sendOk(teacher, 'video:viewers', {})).triggerActive)
    const later = await sockets.joined(f.students[2], f.classSession.id)
    assert.equal((await join(later)).mode, 'webrtc', 'the next joiner gets WebRTC once the load fell')
    assert.include(await sendOk(teacher, 'video:viewers', {}), { webrtc: 3, hls: 1, triggerActive: false })
  })

  test('lecture mode and the viewer cap send new students to HLS; a student brought on stage and breakout rooms use WebRTC', async ({ client, assert }) => {
    const f = await createSchool({ students: 4, liveClass: true })
    await configureVideo(client, f, { hlsViewerCap: 3 })
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    await join(teacher)
    writtenStream(f)
    const [a, b, c] = await Promise.all(f.students.slice(0, 3).map((s) => sockets.joined(s, f.classSession.id)))
    assert.equal((await join(a)).mode, 'webrtc')
    assert.equal((await join(b)).mode, 'webrtc')
    assert.equal((await join(c)).mode, 'hls', 'teacher + two students = the cap of 3')

    await configureVideo(client, f, { hlsViewerCap: 0 })
    // Each try is a new tab: a tab sent to HLS keeps it when it joins again.
    await eventually('without a cap the next joiner gets WebRTC', async () => (await join(await sockets.joined(f.students[3], f.classSession.id))).mode === 'webrtc')
    // A tab already on HLS that joins again (what a media server restart makes every tab do) keeps HLS.
    assert.equal((await join(c)).mode, 'hls', 'the HLS tab joining again keeps HLS')
    assert.equal(codeOf(await send(a, 'video:lecture_mode', { on: true })), 'forbidden')
    await sendOk(teacher, 'video:lecture_mode', { on: true })
    const secondTab = await sockets.joined(f.students[3], f.classSession.id)
    assert.equal((await join(secondTab)).mode, 'hls', 'lecture mode')

    const told = new Promise((resolve) => c.once('video:rejoin', resolve))
    await sendOk(teacher, 'video:on_stage', { userId: f.students[2].id, on: true })
    assert.deepEqual(await told, { reason: 'on_stage' })
    assert.equal((await join(c)).mode, 'webrtc', 'on stage')
    assert.equal(codeOf(await send(c, 'video:transport', { direction: 'send' })), 'ok')
    await sendOk(teacher, 'video:lecture_mode', { on: false })
  })

  test('on stage only when there is room: refused with a reason while the worker is loaded or the viewer cap is reached, granted once there is room', async ({ client, assert }) => {
    const f = await createSchool({ students: 4, liveClass: true })
    await configureVideo(client, f, {})
    const teacher = await sockets.joined(f.teacher, f.classSession.id)
    await join(teacher)
    writtenStream(f)
    await sendOk(teacher, 'video:lecture_mode', { on: true })
    const [a, b] = await Promise.all(f.students.slice(0, 2).map((s) => sockets.joined(s, f.classSession.id)))
    assert.equal((await join(a)).mode, 'hls')
    assert.equal((await join(b)).mode, 'hls')

    /* The worker is loaded: no room on stage, and the student stays on HLS. */
    await rpc.call('debug.cpu', { cpu: 0.95 })
    await eventually('the worker reports the load', async () => (await sendOk(teacher, 'video:viewers', {})).cpu === 0.95)
    const refused = await send(teacher, 'video:on_stage', { userId: f.students[0].id, on: true })
    assert.equal(codeOf(refused), 'conflict')
    assert.include((refused as any).error.details, { reason: 'cpu', cpu: 0.95 })
    assert.equal((await join(a)).mode, 'hls', 'not brought on stage')

    /* The load falls: granted, the student's tab re-joins on WebRTC. */
    await rpc.call('debug.cpu', { cpu: 0.1 })
    await eventually('the worker reports the lower load', async () => (await sendOk(teacher, 'video:viewers', {})).cpu === 0.1)
    const told = new Promise((resolve) => a.once('video:rejoin', resolve))
    await sendOk(teacher, 'video:on_stage', { userId: f.students[0].id, on: true })
    assert.deepEqual(await told, { reason: 'on_stage' })
    assert.equal((await join(a)).mode, 'webrtc')

    /* The viewer cap: teacher + the student on stage = 2 WebRTC viewers, the cap; the next one is refused, a higher cap grants it. */
    await configureVideo(client, f, { hlsViewerCap: 2 })
    const capped = await send(teacher, 'video:on_stage', { userId: f.students[1].id, on: true })
    assert.equal(codeOf(capped), 'conflict')
    assert.include((capped as any).error.details, { reason: 'viewer_cap', webrtcViewers: 2 })
    assert.equal((await join(b)).mode, 'hls')
    await configureVideo(client, f, { hlsViewerCap: 3 })
    await sendOk(teacher, 'video:on_stage', { userId: f.students[1].id, on: true })
    assert.equal((await join(b)).mode, 'webrtc')
    await sendOk(teacher, 'video:lecture_mode', { on: false })
  })

  test('playlist and segments: the class’s participants get them, another class’s or school’s users and names outside the stream get not found', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const other = await createSchool({ liveClass: true })
    await rpc.call('room.ensure', { roomKey: `s${f.classSession.id}:main` })
    writtenStream(f)
    const base = `/plugins/video/classes/${f.classSession.id}/hls`
    for (const user of [f.students[0], f.teacher, f.admin]) {
      const playlist = await client.get(`${base}/live.m3u8`).loginAs(user)
      playlist.assertStatus(200)
      assert.equal(playlist.header('content-type'), 'application/vnd.apple.mpegurl')
      assert.include(playlist.text(), 'seg_101.m4s')
      const segment = await client.get(`${base}/seg_101.m4s`).loginAs(user)
      segment.assertStatus(200)
      assert.equal(segment.header('content-type'), 'video/iso.segment')
    }
    ;(await client.get(`${base}/init_part1.mp4`).loginAs(f.students[1])).assertStatus(200)

    for (const outsider of [f.outsider, f.otherTeacher, f.parent, other.students[0], other.teacher, other.admin]) {
      for (const file of ['live.m3u8', 'seg_101.m4s', 'init_part1.mp4']) {
        assert.equal((await client.get(`${base}/${file}`).loginAs(outsider)).status(), 404, `${outsider.email} ${file}`)
      }
    }
    /* Their own class's stream does not open this one either. */
    assert.equal((await client.get(`/plugins/video/classes/${other.classSession.id}/hls/seg_101.m4s`).loginAs(other.students[0])).status(), 404)
    /* Names that are not stream files are not found, even for a participant (nothing else in or outside the folder is read). */
    for (const name of ['other.txt', 'index.m3u8', '..%2F..%2F..%2Fpackage.json', 'seg_999.m4s']) {
      assert.equal((await client.get(`${base}/${name}`).loginAs(f.students[0])).status(), 404, name)
    }
    /* A class that is not live has no stream. */
    f.classSession.status = 'ended'
    await f.classSession.save()
    assert.equal((await client.get(`${base}/live.m3u8`).loginAs(f.students[0])).status(), 404)
  })

  test('the class’s encoder writes the HLS stream (1 s segments) next to the recording', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    await startEncoder(f)
    /* (Killing the encoder mid-class: plugins/video/tests/browser/video_hls.spec.ts, where the player must recover.) */
    const base = `/plugins/video/classes/${f.classSession.id}/hls`
    const playlist = async (user = f.students[0]) => {
      const response = await client.get(`${base}/live.m3u8`).loginAs(user)
      return response.status() === 200 ? response.text() : null
    }
    const first = await eventually('the playlist names a segment', async () => {
      const text = await playlist()
      return text && /^seg_\d+\.m4s$/m.test(text) ? text : null
    })
    assert.match(first, /#EXT-X-TARGETDURATION:1\b/, '1 s segments')
    const init = /#EXT-X-MAP:URI="(init_[\w-]+\.mp4)"/.exec(first)![1]
    const segment = /^(seg_\d+\.m4s)$/m.exec(first)![1]
    const segmentResponse = await client.get(`${base}/${segment}`).loginAs(f.students[0])
    segmentResponse.assertStatus(200)
    assert.isAbove(Number(segmentResponse.header('content-length')), 1000, 'a real media segment')
    ;(await client.get(`${base}/${init}`).loginAs(f.students[1])).assertStatus(200)
  })
})
