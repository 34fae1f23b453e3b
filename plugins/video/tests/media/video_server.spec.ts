/*
| The video plugin's server side below the browser, against a real media sidecar (mediasoup):
| transport and consumer ownership, forcing a running camera off, the screen-sharing setting and simulcast layer
| requests. Producers are created from hand-written RTP parameters (no browser, no DTLS needed).
*/
import { test } from '@japa/runner'
import MediaStateEvent from '../../models/media_state_event.js'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { createSchool } from '#tests/helpers/fixtures'
import { startSidecarProcess, type SidecarProcess, TEST_MEDIA_SECRET as SECRET, TEST_SIDECAR_PORT as SIDECAR_PORT } from '#tests/helpers/sidecar'
import { nextEvent, send, sendOk, socketTracker } from '#tests/helpers/sockets'
import '../../events.js'

/* The in-test web process talks to MEDIA_SIDECARS / MEDIA_RPC_SECRET from .env.test. */
const sockets = socketTracker()
const codeOf = (response: { ok: boolean; error?: { code: string } }) => (response.ok ? 'ok' : response.error!.code)

let ssrc = 20_000_000
/** Three simulcast encodings (spatial layers 0-2), as a browser sends a camera. */
const simulcastVp8 = () => ({
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, rtcpFeedback: [], parameters: {} }],
  headerExtensions: [],
  encodings: [{ ssrc: ssrc++ }, { ssrc: ssrc++ }, { ssrc: ssrc++ }],
  rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
})
const vp8 = () => ({
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, rtcpFeedback: [], parameters: {} }],
  headerExtensions: [],
  encodings: [{ ssrc: ssrc++ }],
  rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
})

test.group('Video: server side with a real sidecar', (group) => {
  let sidecar: SidecarProcess
  /* The test's own line to the sidecar, to read a consumer's state (test-only RPC methods). */
  let rpc: RpcClient
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: SIDECAR_PORT, secret: SECRET })
    rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 5000 })
    await rpc.start()
    return async () => {
      rpc.close()
      await sidecar.kill('SIGKILL')
    }
  })
  group.each.teardown(() => sockets.closeAll())

  test('transports belong to their tab; forcing a camera off pauses it for everyone and records it', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const owner = await sockets.joined(students[0], classSession.id)
    const intruder = await sockets.joined(students[1], classSession.id)
    for (const socket of [teacherSocket, owner, intruder]) await sendOk(socket, 'video:join' as any, {})

    const transport = await sendOk(owner, 'video:transport', { direction: 'send' })
    const stolen = await send(intruder, 'video:produce', { transportId: transport.id, kind: 'video', rtpParameters: vp8(), source: 'camera' })
    assert.equal(codeOf(stolen), 'forbidden', 'another tab cannot produce on my transport')
    assert.equal(codeOf(await send(intruder, 'video:connect', { transportId: transport.id, dtlsParameters: {} })), 'forbidden')
    assert.equal(codeOf(await send(intruder, 'video:restart_ice', { transportId: transport.id })), 'forbidden', 'nor restart its ICE')

    const added = nextEvent(teacherSocket, 'video:producer_added', (p) => p.userId === students[0].id)
    const { producerId } = await sendOk(owner, 'video:produce', { transportId: transport.id, kind: 'video', rtpParameters: vp8(), source: 'camera' } as any)
    assert.deepInclude(await added, { producerId, source: 'camera', paused: false })
    assert.equal(codeOf(await send(intruder, 'video:set_paused', { producerId, paused: true })), 'forbidden')
    assert.equal(codeOf(await send(intruder, 'video:close_producer', { producerId })), 'forbidden')

    const paused = nextEvent(intruder, 'video:producer_paused', (p) => p.producerId === producerId)
    const told = nextEvent(owner, 'video:forced_off')
    const result = await sendOk(teacherSocket, 'video:force_off', { userId: students[0].id, source: 'camera' })
    assert.deepEqual(result, { paused: 1 })
    assert.deepEqual(await paused, { producerId, userId: students[0].id, source: 'camera', paused: true })
    assert.deepEqual(await told, { source: 'camera', by: teacher.fullName })
    const rows = await MediaStateEvent.query().where({ classSessionId: classSession.id, userId: students[0].id, source: 'camera' }).orderBy('id')
    assert.deepEqual(rows.map((r) => r.on), [true, false])

    /* A late joiner sees the camera as paused. */
    const late = await sockets.joined(teacher, classSession.id)
    const joined = await sendOk(late, 'video:join' as any, {})
    assert.deepInclude((joined as any).producers.find((p: any) => p.producerId === producerId), { paused: true })

    /* What was refused to the intruder works for the tab that owns the transport and the camera. */
    const restarted = await sendOk(owner, 'video:restart_ice', { transportId: transport.id })
    assert.isString(restarted.iceParameters.usernameFragment)
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':')
    await sendOk(owner, 'video:connect', { transportId: transport.id, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] } })
    const resumed = nextEvent(intruder, 'video:producer_paused', (p) => p.producerId === producerId && !p.paused)
    await sendOk(owner, 'video:set_paused', { producerId, paused: false })
    assert.deepEqual(await resumed, { producerId, userId: students[0].id, source: 'camera', paused: false })
    const closed = nextEvent(intruder, 'video:producer_closed', (p) => p.producerId === producerId)
    await sendOk(owner, 'video:close_producer', { producerId })
    assert.deepEqual(await closed, { producerId })
  })

  test('students share their screen only when the school allows it', async ({ client, assert }) => {
    const f = await createSchool({ liveClass: true })
    const student = await sockets.joined(f.students[0], f.classSession.id)
    await sendOk(student, 'video:join' as any, {})
    const transport = await sendOk(student, 'video:transport', { direction: 'send' })
    const screen = () => send(student, 'video:produce', { transportId: transport.id, kind: 'video', rtpParameters: vp8(), source: 'screen' })
    assert.equal(codeOf(await screen()), 'forbidden')

    const saved = await client
      .put('/admin/plugins/video')
      .json({ enabled: true, settings: { studentsMayShareScreen: true, studentsJoinMuted: true, maxVideoTiles: 25, hlsCpuPercent: 70, hlsCpuSeconds: 30, hlsLeavePercent: 50, hlsLeaveSeconds: 60, hlsViewerCap: 0, strongNoiseSuppression: false } })
      .loginAs(f.admin)
      .withCsrfToken()
      .accept('json')
    saved.assertStatus(200)
    assert.equal(codeOf(await screen()), 'ok')
  })

  test('a consumer is resumed and its simulcast layer chosen only by the tab that created it', async ({ assert }) => {
    const { teacher, students, classSession } = await createSchool({ liveClass: true })
    const teacherSocket = await sockets.joined(teacher, classSession.id)
    const viewer = await sockets.joined(students[0], classSession.id)
    const intruder = await sockets.joined(students[1], classSession.id)
    await sendOk(teacherSocket, 'video:join' as any, {})
    const { rtpCapabilities } = (await sendOk(viewer, 'video:join' as any, {})) as any
    await sendOk(intruder, 'video:join' as any, {})
    const sendTransport = await sendOk(teacherSocket, 'video:transport', { direction: 'send' })
    const { producerId } = await sendOk(teacherSocket, 'video:produce', {
      transportId: sendTransport.id,
      kind: 'video',
      rtpParameters: simulcastVp8(),
      source: 'camera',
    } as any)
    const consume = async (socket: typeof viewer) => {
      const recv = await sendOk(socket, 'video:transport', { direction: 'recv' })
      return { recv, ...(await sendOk(socket, 'video:consume', { transportId: recv.id, producerId, rtpCapabilities })) }
    }
    const mine = await consume(viewer)
    const theirs = await consume(intruder)
    assert.equal(mine.producerId, producerId)
    const before = await rpc.call('debug.consumer', { consumerId: mine.consumerId })
    assert.deepEqual(before, { paused: true, preferredLayers: { spatialLayer: 2, temporalLayer: 0 } })

    /* Another participant (a student, or the teacher whose camera it is) names my consumer: refused, nothing changes. */
    for (const other of [intruder, teacherSocket]) {
      assert.equal(codeOf(await send(other, 'video:resume_consumer', { consumerId: mine.consumerId })), 'forbidden')
      assert.equal(codeOf(await send(other, 'video:layers', { consumerId: mine.consumerId, spatialLayer: 0 })), 'forbidden')
    }
    assert.deepEqual(await rpc.call('debug.consumer', { consumerId: mine.consumerId }), before)

    /* Each tab controls its own consumer. */
    assert.equal(codeOf(await send(intruder, 'video:layers', { consumerId: theirs.consumerId, spatialLayer: 1 })), 'ok')
    assert.equal(codeOf(await send(viewer, 'video:resume_consumer', { consumerId: mine.consumerId })), 'ok')
    assert.equal(codeOf(await send(viewer, 'video:layers', { consumerId: mine.consumerId, spatialLayer: 0 })), 'ok')
    assert.equal(codeOf(await send(viewer, 'video:layers', { consumerId: mine.consumerId, spatialLayer: 3 })), 'invalid')
    assert.deepEqual(await rpc.call('debug.consumer', { consumerId: mine.consumerId }), {
      paused: false,
      preferredLayers: { spatialLayer: 0, temporalLayer: 0 },
    })
    assert.deepInclude(await rpc.call('debug.consumer', { consumerId: theirs.consumerId }), { paused: true })
    assert.equal((await rpc.call('debug.consumer', { consumerId: theirs.consumerId })).preferredLayers?.spatialLayer, 1)

    /* Consuming needs a transport of one's own, and a stream of one's own room. */
    assert.equal(codeOf(await send(teacherSocket, 'video:consume', { transportId: mine.recv.id, producerId, rtpCapabilities })), 'forbidden')
    const elsewhere = await createSchool({ liveClass: true })
    const otherTeacher = await sockets.joined(elsewhere.teacher, elsewhere.classSession.id)
    await sendOk(otherTeacher, 'video:join' as any, {})
    const otherSend = await sendOk(otherTeacher, 'video:transport', { direction: 'send' })
    const other = await sendOk(otherTeacher, 'video:produce', { transportId: otherSend.id, kind: 'video', rtpParameters: vp8(), source: 'camera' } as any)
    for (const [stream, what] of [
      [other.producerId, "another school's class camera"],
      [crypto.randomUUID(), 'a stream that does not exist'],
    ]) {
      assert.equal(codeOf(await send(viewer, 'video:consume', { transportId: mine.recv.id, producerId: stream, rtpCapabilities })), 'not_found', what)
    }
    assert.equal(codeOf(await send(viewer, 'video:consume', { transportId: mine.recv.id, producerId, rtpCapabilities })), 'ok')
  })
})
