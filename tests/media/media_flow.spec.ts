import { test } from '@japa/runner'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { RpcTimeoutError } from '#app/media/rpc/errors'
import type { RpcEvents } from '#app/media/rpc/contract'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { AUDIO_LEVEL_URI, ffmpegVp8, sendAudioLevels, udpSink } from '#tests/media/support/rtp'
import { nextEvent, until } from '#tests/media/support/wait'
import { srtpSessionKeys, srtpTagValid } from '#tests/media/support/srtp'

const SECRET = 'media-flow-secret'
const PORT = 4477

test.group('Media flow through a real sidecar', (group) => {
  let sidecar: SidecarProcess
  let rpc: RpcClient
  group.setup(async () => {
    sidecar = await startSidecarProcess({ port: PORT, secret: SECRET })
    rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 5000 })
    await rpc.start()
    return async () => {
      rpc.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('room.ensure returns the same router until the room is closed', async ({ assert }) => {
    const first = await rpc.call('room.ensure', { roomKey: 'session:12:main' })
    const again = await rpc.call('room.ensure', { roomKey: 'session:12:main' })
    assert.isTrue(first.created)
    assert.isFalse(again.created)
    assert.equal(again.routerId, first.routerId)
    assert.deepEqual((await rpc.call('room.capabilities', { roomKey: 'session:12:main' })).rtpCapabilities, first.rtpCapabilities)
    const codecs = first.rtpCapabilities.codecs!.map((c) => c.mimeType)
    assert.includeMembers(codecs, ['audio/opus', 'video/VP8'])

    assert.deepEqual(await rpc.call('room.close', { roomKey: 'session:12:main' }), { closed: true })
    const reopened = await rpc.call('room.ensure', { roomKey: 'session:12:main' })
    assert.isTrue(reopened.created)
    assert.notEqual(reopened.routerId, first.routerId)
  })

  test('WebRTC transports listen on the configured IP and port range', async ({ assert }) => {
    await rpc.call('room.ensure', { roomKey: 'webrtc' })
    const transport = await rpc.call('transport.create', { roomKey: 'webrtc', peerId: 'alice', direction: 'send' })
    assert.isNotEmpty(transport.iceCandidates)
    const range = { min: 42000 + (PORT % 50) * 100, max: 42099 + (PORT % 50) * 100 }
    for (const candidate of transport.iceCandidates) {
      assert.equal(candidate.ip, '127.0.0.1')
      assert.isAtLeast(candidate.port, range.min)
      assert.isAtMost(candidate.port, range.max)
    }
    assert.isNotEmpty(transport.dtlsParameters.fingerprints)
    const closed = nextEvent<RpcEvents['transport.closed']>(rpc, 'transport.closed', 5000, (e) => e.transportId === transport.id)
    assert.deepEqual(await rpc.call('peer.close', { roomKey: 'webrtc', peerId: 'alice' }), { closedTransports: 1 })
    assert.equal((await closed).peerId, 'alice')
  })

  test('FFmpeg VP8 over RTP is forwarded to a paused-then-resumed consumer', async ({ assert }) => {
    const roomKey = 'ffmpeg-flow'
    const { rtpCapabilities } = await rpc.call('room.ensure', { roomKey })
    const input = await rpc.call('plainTransport.create', { roomKey, peerId: 'camera', comedia: true, rtcpMux: true })
    const { producerId } = await rpc.call('producer.create', {
      transportId: input.transportId,
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 33333333 }] },
      appData: {},
    })
    const ffmpeg = ffmpegVp8({ ip: input.ip, port: input.port, ssrc: 33333333, payloadType: 101, seconds: 20 })
    const sink = await udpSink()
    try {
      const output = await rpc.call('plainTransport.create', { roomKey, peerId: 'viewer', comedia: false, rtcpMux: true })
      await rpc.call('plainTransport.connect', { transportId: output.transportId, ip: '127.0.0.1', port: sink.port })
      const consumer = await rpc.call('consumer.create', { transportId: output.transportId, producerId, rtpCapabilities })
      assert.equal(consumer.kind, 'video')
      const [codec] = consumer.rtpParameters.codecs
      assert.equal(codec.mimeType, 'video/VP8')
      const ssrc = consumer.rtpParameters.encodings![0].ssrc!
      assert.notEqual(ssrc, 33333333, 'the consumer has its own SSRC')

      await until(async () => {
        const { stats } = await rpc.call('stats.producer', { producerId })
        return Number((stats[0] as { packetCount?: number })?.packetCount ?? 0) > 30
      }, 15_000, 'producer receiving FFmpeg RTP')
      assert.equal(sink.packets(ssrc), 0, 'a paused consumer sends nothing')

      await rpc.call('consumer.resume', { consumerId: consumer.consumerId })
      await until(() => sink.packets(ssrc) > 20, 15_000, 'RTP reaching the consumer sink')
      assert.deepEqual(sink.payloadTypes(ssrc), [codec.payloadType])
      const { stats } = await rpc.call('stats.consumer', { consumerId: consumer.consumerId })
      const outbound = stats.find((s) => (s as { type?: string }).type === 'outbound-rtp') as { ssrc: number; packetCount: number }
      assert.equal(outbound.ssrc, ssrc)
      assert.isAtLeast(outbound.packetCount, 21)
      const load = await rpc.call('stats.load', {})
      assert.equal(load.consumers, 1)
      assert.equal(load.producers, 1)
      assert.equal(load.workers[0].consumers, 1)
    } finally {
      ffmpeg.kill('SIGKILL')
      sink.close()
      await rpc.call('room.close', { roomKey })
    }
  })

  test('an SRTP PlainTransport returns its key, requires the remote key, and sends authenticated SRTP', async ({ assert }) => {
    const roomKey = 'srtp-flow'
    const { rtpCapabilities } = await rpc.call('room.ensure', { roomKey })
    const input = await rpc.call('plainTransport.create', { roomKey, peerId: 'camera', comedia: true, rtcpMux: true })
    assert.notProperty(input, 'srtpParameters', 'no SRTP unless asked')
    const { producerId } = await rpc.call('producer.create', {
      transportId: input.transportId,
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: 55555555 }] },
      appData: {},
    })
    const ffmpeg = ffmpegVp8({ ip: input.ip, port: input.port, ssrc: 55555555, payloadType: 101, seconds: 20 })
    const sink = await udpSink()
    try {
      const output = await rpc.call('plainTransport.create', { roomKey, peerId: 'viewer', comedia: false, rtcpMux: true, srtp: true })
      assert.equal(output.srtpParameters?.cryptoSuite, 'AES_CM_128_HMAC_SHA1_80')
      const keys = srtpSessionKeys(output.srtpParameters!.keyBase64)

      const missing = await rpc.call('plainTransport.connect', { transportId: output.transportId, ip: '127.0.0.1', port: sink.port }).catch((e) => e)
      assert.equal(missing.code, 'invalid', 'an SRTP transport needs the remote SRTP parameters')
      const remoteKey = Buffer.alloc(30, 7).toString('base64')
      await rpc.call('plainTransport.connect', {
        transportId: output.transportId,
        ip: '127.0.0.1',
        port: sink.port,
        srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: remoteKey },
      })
      const consumer = await rpc.call('consumer.create', { transportId: output.transportId, producerId, rtpCapabilities })
      const ssrc = consumer.rtpParameters.encodings![0].ssrc!
      await rpc.call('consumer.resume', { consumerId: consumer.consumerId })
      await until(() => sink.packets(ssrc) > 5, 15_000, 'SRTP reaching the consumer sink')

      const packet = sink.firstPacket(ssrc)!
      assert.isTrue(srtpTagValid(packet, keys.authKey), 'the tag verifies with the key the sidecar returned')
      assert.isFalse(srtpTagValid(packet, srtpSessionKeys(remoteKey).authKey), 'and not with the remote key')
    } finally {
      ffmpeg.kill('SIGKILL')
      sink.close()
      await rpc.call('room.close', { roomKey })
    }
  })

  test('the loudest audio producer is announced as active speaker, then silence', async ({ assert }) => {
    const roomKey = 'speakers'
    await rpc.call('room.ensure', { roomKey })
    const input = await rpc.call('plainTransport.create', { roomKey, peerId: 'bob', comedia: true, rtcpMux: true })
    const { producerId } = await rpc.call('producer.create', {
      transportId: input.transportId,
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 44444444 }],
        headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: 1 }],
      },
      appData: {},
    })
    const speaking = nextEvent<RpcEvents['room.activeSpeaker']>(rpc, 'room.activeSpeaker', 10_000, (e) => e.roomKey === roomKey)
    const stop = sendAudioLevels({ ip: input.ip, port: input.port, ssrc: 44444444, payloadType: 100, extensionId: 1, dBov: 20 })
    try {
      const event = await speaking
      assert.equal(event.producerId, producerId)
      assert.equal(event.peerId, 'bob')
      assert.equal(event.volume, -20, 'the level FFmpeg-less RTP carried: 20 dBov')
      const silent = nextEvent<RpcEvents['room.activeSpeaker']>(rpc, 'room.activeSpeaker', 10_000, (e) => e.roomKey === roomKey)
      stop()
      assert.isNull((await silent).producerId)
    } finally {
      stop()
      await rpc.call('room.close', { roomKey })
    }
  })

  test('a paused sidecar makes calls fail with RpcTimeoutError, and it answers again once resumed', async ({ assert }) => {
    sidecar.child.kill('SIGSTOP')
    try {
      const error = await rpc.call('stats.load', {}, 300).catch((e) => e)
      assert.instanceOf(error, RpcTimeoutError)
      assert.equal(error.code, 'timeout')
      assert.match(error.message, /"stats\.load" did not answer within 300 ms/)
    } finally {
      sidecar.child.kill('SIGCONT')
    }
    const load = await rpc.call('stats.load', {})
    assert.lengthOf(load.workers, 1)
  })

  test('load reports carry CPU and counts per worker', async ({ assert }) => {
    const roomKey = 'load-report'
    await rpc.call('room.ensure', { roomKey })
    const transport = await rpc.call('transport.create', { roomKey, peerId: 'carol', direction: 'recv' })
    try {
      const after = Date.now()
      const report = await nextEvent<RpcEvents['load.report']>(rpc, 'load.report', 5000, (r) => r.at > after)
      assert.isString(report.sidecarId)
      assert.lengthOf(report.workers, 1)
      const [worker] = report.workers
      assert.equal(worker.pid, (await rpc.call('room.ensure', { roomKey })).workerPid)
      assert.isTrue(Number.isFinite(worker.cpu) && worker.cpu >= 0 && worker.cpu <= 1, `cpu ${worker.cpu} is a share of one core`)
      assert.equal(report.cpu, worker.cpu, 'with one worker the mean is that worker')
      const { roomKeys } = await rpc.call('room.list', {})
      assert.include(roomKeys, roomKey)
      assert.equal(report.rooms, roomKeys.length)
      assert.equal(worker.routers, roomKeys.length)
      assert.equal(report.transports, 1, 'only the transport of this test is open')
      assert.equal(worker.transports, 1)
      assert.equal(worker.producers, 0)
      assert.equal(worker.consumers, 0)
    } finally {
      await rpc.call('transport.close', { transportId: transport.id })
      await rpc.call('room.close', { roomKey })
    }
  })
})
