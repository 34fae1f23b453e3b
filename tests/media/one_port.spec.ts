import { test } from '@japa/runner'
import { RpcClient } from '#app/media/rpc/rpc_client'
import { sidecarConfigFromEnv } from '#app/media/sidecar/config'
import { startSidecarProcess, type SidecarProcess } from '#tests/helpers/sidecar'
import { iceBinding } from '#tests/helpers/turn'

const SECRET = 'one-port-secret'
const RPC_PORT = 4479
const WEBRTC_PORT = 44790

test.group('One media port per worker (MEDIA_WEBRTC_PORT, mediasoup WebRtcServer)', (group) => {
  let sidecar: SidecarProcess
  let rpc: RpcClient
  group.setup(async () => {
    sidecar = await startSidecarProcess({
      port: RPC_PORT,
      secret: SECRET,
      env: { MEDIA_WORKERS: '2', MEDIA_WEBRTC_PORT: String(WEBRTC_PORT) },
    })
    rpc = new RpcClient({ url: sidecar.url, secret: SECRET, timeoutMs: 5000 })
    await rpc.start()
    return async () => {
      rpc.close()
      await sidecar.kill('SIGKILL')
    }
  })

  test('every transport of a worker answers ICE on that worker’s one UDP and one TCP port; the other worker uses the next port', async ({
    assert,
  }) => {
    const a = await rpc.call('room.ensure', { roomKey: 'one-port-a' })
    const b = await rpc.call('room.ensure', { roomKey: 'one-port-b' })
    assert.notEqual(a.workerPid, b.workerPid, 'the two rooms are placed on the two workers')
    const portsOf = new Map<number, Set<string>>()
    for (const [roomKey, workerPid] of [
      ['one-port-a', a.workerPid],
      ['one-port-b', b.workerPid],
    ] as const) {
      for (const peerId of ['p1', 'p2', 'p3']) {
        const transport = await rpc.call('transport.create', { roomKey, peerId, direction: 'recv' })
        const seen = portsOf.get(workerPid) ?? new Set()
        for (const candidate of transport.iceCandidates) seen.add(`${candidate.protocol}:${candidate.port}`)
        portsOf.set(workerPid, seen)
        assert.sameMembers(
          transport.iceCandidates.map((c) => c.protocol),
          ['udp', 'tcp']
        )
        // The shared listeners really serve this transport (demultiplexed by its ICE username fragment).
        const { usernameFragment, password } = transport.iceParameters
        for (const candidate of transport.iceCandidates) {
          assert.isTrue(
            await iceBinding(candidate.protocol, candidate.ip, candidate.port, usernameFragment, password),
            `${candidate.protocol} ${candidate.port} answers ICE for ${roomKey}/${peerId}`
          )
        }
        assert.isFalse(await iceBinding('udp', '127.0.0.1', transport.iceCandidates[0].port, usernameFragment, 'wrong-password'))
      }
    }
    const sets = [...portsOf.values()].map((s) => [...s].sort())
    assert.sameDeepMembers(sets, [
      [`tcp:${WEBRTC_PORT}`, `udp:${WEBRTC_PORT}`],
      [`tcp:${WEBRTC_PORT + 1}`, `udp:${WEBRTC_PORT + 1}`],
    ])
  })

  test('a replaced worker listens on the same port again', async ({ assert }) => {
    const room = await rpc.call('room.ensure', { roomKey: 'one-port-a' })
    const before = await rpc.call('transport.create', { roomKey: 'one-port-a', peerId: 'p9', direction: 'send' })
    const recreated = new Promise<void>((resolve) => rpc.on('room.recreated', ({ roomKey }) => roomKey === 'one-port-a' && resolve()))
    process.kill(room.workerPid, 'SIGKILL')
    await recreated
    const after = await rpc.call('transport.create', { roomKey: 'one-port-a', peerId: 'p9', direction: 'send' })
    assert.sameDeepMembers(
      after.iceCandidates.map((c) => `${c.protocol}:${c.port}`),
      before.iceCandidates.map((c) => `${c.protocol}:${c.port}`)
    )
    const { usernameFragment, password } = after.iceParameters
    assert.isTrue(await iceBinding('udp', '127.0.0.1', after.iceCandidates[0].port, usernameFragment, password))
  })

  test('the one-port listeners must not overlap the port range, which stays the default', ({ assert }) => {
    assert.isNull(sidecarConfigFromEnv({ MEDIA_RPC_SECRET: 's', MEDIA_WORKERS: '2' }).webRtcPort)
    assert.equal(sidecarConfigFromEnv({ MEDIA_RPC_SECRET: 's', MEDIA_WORKERS: '2', MEDIA_WEBRTC_PORT: '443' }).webRtcPort, 443)
    assert.throws(() => sidecarConfigFromEnv({ MEDIA_RPC_SECRET: 's', MEDIA_WORKERS: '2', MEDIA_WEBRTC_PORT: '39999' }), /overlaps/)
    assert.throws(() => sidecarConfigFromEnv({ MEDIA_RPC_SECRET: 's', MEDIA_WORKERS: '2', MEDIA_WEBRTC_PORT: '65535' }), /no port/)
  })
})
